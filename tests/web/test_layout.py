"""The site's menu: a button opens it on a phone without any script; staff see their work, not a basket."""

import pytest

from ocophub.accounts.models import Role

from ..conftest import make_user

MENU_BUTTON = '<label for="menu-toggle" class="menu-button">'


@pytest.mark.django_db
def test_the_menu_button_is_a_checkbox_label_that_needs_no_script(client):
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert '<input type="checkbox" id="menu-toggle"' in html
    assert MENU_BUTTON in html
    # the checkbox comes before the menu, so that the stylesheet can open it with a sibling selector
    assert html.index('id="menu-toggle"') < html.index('id="site-menu"')


@pytest.mark.django_db
def test_visitors_and_customers_see_the_basket(client):
    assert 'data-testid="basket-link"' in client.get("/tai-khoan/dang-nhap/").content.decode()
    client.force_login(make_user(Role.CUSTOMER))
    html = client.get("/tai-khoan/").content.decode()
    assert 'data-testid="basket-link"' in html and "/cua-hang/don-cua-toi/" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scoped"),
    [
        (Role.CENTER_STAFF, True),
        (Role.CENTER_MANAGER, True),
        (Role.CITY_ADMIN, False),
        (Role.TOURISM, False),
    ],
)
def test_staff_are_not_shown_the_customers_basket(client, loaded_places, role, scoped):
    from ..sales.world import make_center

    center = make_center("Trung tâm OCOP Bát Tràng (thử)", 583) if scoped else None
    user = make_user(role, scope_id=center.pk) if center else make_user(role)
    client.force_login(user)
    html = client.get("/tai-khoan/").content.decode()
    assert 'data-testid="basket-link"' not in html
    assert "/cua-hang/don-cua-toi/" not in html
    assert 'data-testid="account-link"' in html


@pytest.mark.django_db
def test_a_unit_officer_is_not_shown_the_basket(client, loaded_places):
    from ocophub.places.models import AdministrativeUnit

    client.force_login(make_user(Role.UNIT_OFFICER, unit=AdministrativeUnit.objects.first()))
    assert 'data-testid="basket-link"' not in client.get("/tai-khoan/").content.decode()


def test_maps_use_openstreetmap_tiles_by_default_and_the_policy_allows_only_that_host() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"MAP_TILE_URL", "MAP_TILE_ATTRIBUTION"}}
    env["DJANGO_SETTINGS_MODULE"] = "ocophub.settings"
    script = (
        "from django.conf import settings; "
        "print(settings.MAP_TILE_URL); print(settings.MAP_TILE_ATTRIBUTION); "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    url, attribution, img_src = out.stdout.splitlines()
    assert url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in attribution and "openstreetmap.org/copyright" in attribution
    assert img_src.split() == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_the_suite_runs_with_tiles_off_and_asks_no_other_host_for_images(settings) -> None:
    assert settings.MAP_TILE_URL == ""
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'", "data:"]


def test_the_maps_controls_are_in_vietnamese() -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("vi"):
        html = render_to_string("web/_map.html", {"points": [], "map_id": "m", "tile_url": ""})
    assert 'data-zoom-in="Phóng to"' in html and 'data-zoom-out="Thu nhỏ"' in html
    assert 'data-leaflet-title="Thư viện JavaScript cho bản đồ tương tác"' in html
