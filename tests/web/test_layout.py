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
