"""The design API's files and portfolio: a request's files to those who may see it, never run by the
browser; the public portfolio of delivered designs their producers let the center show."""

import pytest

from ocophub.design import services
from ocophub.design.models import DesignRequest
from ocophub.places.models import Craft

from ..helpers import assert_fixed_queries
from . import world
from .world import pdf, png, svg

FILES = "/api/v1/design/files"
PORTFOLIO = "/api/v1/design/portfolio"


@pytest.fixture
def w(loaded_places):
    return world.build()


def _bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_file_is_downloaded_by_those_who_see_its_request(api, w):
    request = world.advance(w, world.submit(w), "proposal_sent")
    reference = request.files.get(role="reference")
    url = f"{FILES}/{reference.pk}"
    for user in (w.member_a, w.manager_a, w.designer_a, w.city):
        response = api.as_user(user).call("get", url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" not in response.get("Content-Disposition", "")
        assert "private" in response["Cache-Control"]
        assert _bytes(response).startswith(b"\x89PNG")
    for user in (w.member_b, w.manager_b, w.designer_b, w.designer_a2):
        assert api.as_user(user).call("get", url).status_code == 404
    assert api.as_user(None).call("get", url).status_code == 401
    assert api.as_user(w.city).call("get", f"{FILES}/999999").status_code == 404


def test_svg_pdf_and_source_files_are_always_downloads(api, w):
    request = world.submit(w, references=[svg("logo mới.svg"), pdf(), world.psd()])
    client = api.as_user(w.member_a)
    for row in request.files.order_by("pk"):
        response = client.call("get", f"{FILES}/{row.pk}")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    first = request.files.order_by("pk").first()
    response = client.call("get", f"{FILES}/{first.pk}")
    assert response["Content-Type"] == "image/svg+xml"
    assert "logo%20m%E1%BB%9Bi.svg" in response["Content-Disposition"]


def _delivered(w, *, allowed: bool = True, **overrides) -> DesignRequest:
    request = world.advance(w, world.submit(w, **overrides), "approved")
    if not allowed:
        services.design_portfolio_set(actor=w.member_a, request=request, allowed=False)
    services.design_request_deliver(
        actor=w.designer_a, request=request, note="Tệp in", files=[png("sau.png", color="#e67e22"), pdf()]
    )
    return DesignRequest.objects.get(pk=request.pk)


def test_the_portfolio_shows_what_producers_allowed(api, w):
    shown = _delivered(w, title="Nhãn mới")
    closed = world.advance(w, _delivered(w, kind="packaging", title="Hộp mới"), "closed")
    _delivered(w, allowed=False, title="Riêng tư")
    world.advance(w, world.submit(w, title="Chưa xong"), "approved")
    response = api.as_user(None).call("get", PORTFOLIO)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and {i["id"] for i in body["items"]} == {shown.pk, closed.pk}
    item = next(i for i in body["items"] if i["id"] == shown.pk)
    assert item["before"]["id"] == shown.before_file_id and item["after"]["id"] == shown.after_file_id
    before = api.as_user(None).call("get", item["before"]["url"])
    after = api.as_user(None).call("get", item["after"]["url"])
    assert before.status_code == after.status_code == 200
    assert after["Content-Type"] == "image/png" and "public" in after["Cache-Control"]
    assert _bytes(before) == shown.before_file.file.open("rb").read()
    assert "brief" not in item and "budget" not in item


def test_portfolio_images_of_other_requests_are_404(api, w):
    private = _delivered(w, allowed=False)
    unfinished = world.advance(w, world.submit(w), "approved")
    for request in (private, unfinished):
        for which in ("before", "after"):
            url = f"{PORTFOLIO}/{request.pk}/{which}"
            assert api.as_user(None).call("get", url).status_code == 404
    assert api.as_user(None).call("get", f"{PORTFOLIO}/{private.pk}/side").status_code == 422
    # a private request's files stay private to anonymous callers
    assert api.as_user(None).call("get", f"{FILES}/{private.after_file_id}").status_code == 401


def test_portfolio_filters(api, w):
    label = _delivered(w, title="Nhãn")
    package = _delivered(w, kind="packaging", title="Hộp")
    craft, other_craft = Craft.objects.order_by("pk")[:2]
    w.center_a.crafts.add(craft)
    anonymous = api.as_user(None)

    def ids(query: str) -> set[int]:
        response = anonymous.call("get", f"{PORTFOLIO}?{query}")
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids("kind=packaging") == {package.pk}
    assert ids(f"center_id={w.center_a.pk}") == {label.pk, package.pk}
    assert ids(f"center_id={w.center_b.pk}") == set()
    assert ids(f"craft={craft.slug}") == {label.pk, package.pk}
    assert ids(f"craft={craft.pk}") == {label.pk, package.pk}
    assert ids(f"craft={other_craft.slug}") == set()
    bad = anonymous.call("get", f"{PORTFOLIO}?kind=tattoo&craft=Gốm sứ")
    assert bad.status_code == 422 and {"kind", "craft"} <= set(bad.json()["error"]["fields"])


def test_the_portfolio_runs_a_fixed_number_of_queries(api, w):
    client = api.as_user(None)
    assert_fixed_queries(
        lambda: client.call("get", f"{PORTFOLIO}?limit=100"),
        lambda n: [_delivered(w) for _ in range(n)],
        steps=(1, 3),
    )
