"""A visitor finds a product, opens its page and the trace page its QR code points to, in Chromium."""

import pytest

from ocophub.catalogue.demo import demo_catalogue_create, reference_load
from ocophub.centers.demo import criteria_load, demo_centers_create
from ocophub.places.services import places_load
from ocophub.programme.demo import plans_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_a_product_and_follows_its_qr_code(page, screenshot):
    places_load()
    criteria_load()
    plans_load()
    reference_load()
    demo_centers_create()
    demo_catalogue_create()

    page.goto("/san-pham/?group=148-gom-su&sort=name")
    assert page.get_by_role("link", name="Bình hút lộc gốm sứ Bát Tràng men lam").is_visible()
    screenshot(page, "catalogue-01-ceramics")
    page.get_by_role("link", name="Bình hút lộc gốm sứ Bát Tràng men lam").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Bình hút lộc gốm sứ Bát Tràng men lam"
    assert page.get_by_text("1.250.000 ₫").is_visible()
    qr = page.locator("figure.qr img")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(page, "catalogue-02-product")

    svg = page.request.get(page.url.replace("/san-pham/", "/truy-xuat/") + "qr.svg")
    assert svg.ok and svg.headers["content-type"] == "image/svg+xml"
    page.locator("figure.qr a").click()
    page.wait_for_load_state()
    assert "/truy-xuat/" in page.url
    assert page.get_by_role("link", name="HTX Gốm sứ Bát Tràng (minh họa)").is_visible()
    assert page.get_by_role("link", name="Trung tâm OCOP làng gốm Bát Tràng").is_visible()
    screenshot(page, "catalogue-03-trace")
