"""The audit trail fits a phone: the city's list with its filters, and a center's own list, do not
scroll sideways at 390, 768 or 1280 px."""

import pytest

from ocophub.catalogue import services as catalogue
from ocophub.places.services import places_load

from ..conftest import make_user
from ..sales import world
from .conftest import log_in
from .test_layout_widths import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_pages_fit_phones(page, live_server, screenshot):
    from ocophub.accounts.models import Role

    places_load()
    w = world.build()
    city = make_user(Role.CITY_ADMIN)
    for price in (151_000, 152_000):
        catalogue.product_save(actor=city, product=w.bowl, list_price=price)
    world.counter_sale(w, 2)

    log_in(page, city, "/lam-viec/nhat-ky/")
    assert_fits(page, "/lam-viec/nhat-ky/", "the city's audit trail")
    assert page.get_by_test_id("audit-row").count() >= 5
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "audit-list-390")

    page.context.clear_cookies()
    center_page = f"/lam-viec/nhat-ky/trung-tam/{w.center_a.slug}/"
    log_in(page, w.manager_a, center_page)
    assert_fits(page, center_page, "a center's audit trail")
    assert page.get_by_test_id("audit-row").count() >= 2
