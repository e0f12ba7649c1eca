"""Every response carries a Content-Security-Policy that runs only the site's own files, and the
templates hold nothing the policy would block."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from ocophub import settings as project_settings
from ocophub.accounts.models import User
from ocophub.common.charts import Bar, Series, stacked_bars

SRC = Path(__file__).resolve().parents[2] / "src" / "ocophub"
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root@ocophub.vn", "x", full_name="Quản trị")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),  # a page
        ("/tai-khoan/dang-nhap/", 200),  # a form
        ("/khong-co-trang-nay/", 404),  # the not-found page
        ("/api/v1/health", 200),  # an API answer
        ("/api/v1/me", 401),  # an API error
        ("/api/v1/docs", 200),  # the API's interactive docs
        ("/quan-tri/login/", 200),  # the admin site
        ("/static/web/site.css", 200),  # a static file
    ],
)
def test_every_kind_of_response_carries_the_policy(
    client: Client, loaded_places, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert policy_of(response) == POLICY


def test_the_admin_pages_carry_the_policy(client: Client, superuser: User) -> None:
    client.force_login(superuser)
    for path in ["/quan-tri/", "/quan-tri/centers/center/", "/quan-tri/centers/center/add/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy_of(response) == POLICY, path


@pytest.mark.urls("tests.web.failing_urls")
def test_the_server_error_page_carries_the_policy(db) -> None:
    response = Client(raise_request_exception=False).get("/loi-may-chu/")
    assert response.status_code == 500
    assert policy_of(response) == POLICY


def test_htmx_is_told_to_add_no_inline_style_and_to_run_no_text_as_code(
    client: Client, loaded_places
) -> None:
    html = client.get("/").content.decode()
    metas = re.findall(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert len(metas) == 1, "htmx reads the first configuration only"
    config = json.loads(metas[0])
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False
    assert html.index('name="htmx-config"') < html.index("htmx-2.min.js")  # read when htmx starts


def test_pages_add_to_the_htmx_configuration_rather_than_declare_their_own() -> None:
    declaring = [
        str(template.relative_to(SRC))
        for template in SRC.glob("*/templates/**/*.html")
        if 'name="htmx-config"' in template.read_text()
    ]
    assert declaring == ["web/templates/base.html"]


def test_the_map_tile_server_is_the_one_other_host_for_images() -> None:
    map_tile_source = project_settings.map_tile_source
    assert map_tile_source("") is None
    assert (
        map_tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
        == "https://*.tile.openstreetmap.org"
    )
    assert (
        map_tile_source("https://tiles.example.vn:8443/osm/{z}/{x}/{y}.png")
        == "https://tiles.example.vn:8443"
    )
    assert map_tile_source("https://tiles-{s}.example.vn/{z}/{x}/{y}.png") == "https://*.example.vn"
    with pytest.raises(ImproperlyConfigured):
        map_tile_source("https://tiles.{s}.example.vn/{z}/{x}/{y}.png")
    with pytest.raises(ImproperlyConfigured):
        map_tile_source("tile.openstreetmap.org/{z}/{x}/{y}.png")


def test_a_configured_tile_server_is_allowed_in_the_policy() -> None:
    # the settings are read once per process: a fresh one reads the variable
    env = {**os.environ, "MAP_TILE_URL": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"}
    env["DJANGO_SETTINGS_MODULE"] = "ocophub.settings"
    script = (
        "from django.conf import settings; "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert output.stdout.split() == ["'self'", "data:", "https://*.tile.openstreetmap.org"]


INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: address": re.compile(r"javascript:", re.I),
    # htmx would have to eval these, which it is told not to do
    "hx-on handler": re.compile(r"\shx-on", re.I),
    "hx-trigger filter": re.compile(r"hx-trigger=\"[^\"]*\[", re.I),
    "js: value": re.compile(r"hx-(?:vals|headers)='?\"?(?:js|javascript):", re.I),
}


def test_templates_hold_nothing_the_policy_blocks() -> None:
    found = []
    for template in sorted(SRC.glob("*/templates/**/*.html")):
        # what a template says about itself in {# … #} is not sent
        text = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", template.read_text(), flags=re.S)
        for what, pattern in INLINE.items():
            found += [f"{template.relative_to(SRC)}: {what}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []


def test_charts_draw_with_presentation_attributes_not_inline_style() -> None:
    svg = stacked_bars(
        [Bar("Gia Lâm", [2, 1], marker=4)], [Series("a", "#1e6b3a"), Series("b", "#c99a06")], title="t"
    )
    assert "style" not in svg
    assert 'fill="#1e6b3a"' in svg


def _through_the_middleware(view, path: str = "/a-page/", middleware=None):
    from django.test import RequestFactory

    from ocophub.web.csp import ContentSecurityPolicyMiddleware

    return (middleware or ContentSecurityPolicyMiddleware)(view)(RequestFactory().get(path))


def test_the_policy_built_once_follows_a_change_of_the_settings(settings) -> None:
    from django.http import HttpResponse

    assert policy_of(_through_the_middleware(lambda request: HttpResponse("ok"))) == POLICY
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert policy_of(_through_the_middleware(lambda request: HttpResponse("ok"))) == {
        "default-src": ["'none'"]
    }


def test_a_view_that_widens_the_policy_or_asks_for_a_nonce_gets_its_own_header() -> None:
    from csp.decorators import csp_update
    from django.http import HttpResponse

    @csp_update({"img-src": ["https://example.org"]})
    def widened(request):
        return HttpResponse("ok")

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    assert policy_of(_through_the_middleware(widened))["img-src"] == [
        "'self'",
        "data:",
        "https://example.org",
    ]
    from csp.middleware import CSPMiddleware

    with_ours = _through_the_middleware(with_nonce)
    with_theirs = _through_the_middleware(with_nonce, middleware=CSPMiddleware)
    assert policy_of(with_ours) == policy_of(with_theirs) == POLICY
    # the plain header is unchanged by them
    assert policy_of(_through_the_middleware(lambda request: HttpResponse("ok"))) == POLICY
