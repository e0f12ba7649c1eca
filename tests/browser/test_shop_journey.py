"""A visitor finds a bowl, buys it online for pick-up at a center as a guest and gets the VietQR code."""

import datetime as dt

import pytest

from ocophub.centers.services import center_hours_set, center_update
from ocophub.places.services import places_load
from ocophub.sales.models import Order, OrderStatus
from ocophub.sales.vietqr import fold_message

from ..factories import PASSWORD
from ..sales import world as w

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_buys_for_pick_up_and_sees_the_payment_code(page, screenshot):
    places_load()
    world = w.build()
    center_update(
        actor=None,
        center=world.center_a,
        address="Số 1 đường Giang Cao, xã Bát Tràng",
        contact_phone="024 3874 0000",
    )
    center_hours_set(
        actor=None,
        center=world.center_a,
        hours=[(day, dt.time(8), dt.time(17, 30)) for day in range(7)],
    )

    page.goto("/san-pham/?q=bat gom")
    page.get_by_role("link", name="Bát gốm men lam").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Bát gốm men lam"
    panel = page.locator(".buy-panel")
    assert panel.get_by_text(world.center_a.name).is_visible()
    panel.locator(f"#buy-qty-{world.center_a.pk}").fill("2")
    screenshot(page, "shop-01-product")
    panel.locator(".buy-form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.url.endswith("/cua-hang/gio-hang/")
    assert page.get_by_role("heading", name=world.center_a.name).is_visible()
    assert page.locator(".basket-table .total").inner_text() == "300.000 ₫"
    screenshot(page, "shop-02-basket")
    page.locator(f"a[href='/cua-hang/thanh-toan/{world.center_a.slug}/']").click()
    page.wait_for_load_state()

    page.locator("#id_name").fill("Phạm Thu Hà")
    page.locator("#id_email").fill("ha.pham@example.vn")
    page.locator("#id_phone").fill("0903 123 456")
    assert page.locator("#fulfilment-pickup").is_checked()
    assert not page.locator("#id_address").is_visible()  # delivery fields only for delivery
    page.locator("#fulfilment-delivery").check()
    assert page.locator("#id_address").is_visible() and page.locator("#id_commune").is_visible()
    page.locator("#fulfilment-pickup").check()
    screenshot(page, "shop-03-checkout")
    page.locator(".checkout-form button[type=submit]").click()
    page.wait_for_load_state()

    order = Order.objects.get()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.customer is None
    assert page.url.endswith(f"/cua-hang/don-hang/{order.token}/")
    assert "order-status-awaiting_payment" in page.get_by_test_id("order-status").get_attribute("class")
    qr = page.get_by_test_id("vietqr").locator("svg")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150
    assert page.get_by_text(fold_message(order.number), exact=True).is_visible()
    assert page.get_by_text("300.000 ₫").first.is_visible()
    screenshot(page, "shop-04-order")

    # the center's staff see the order at their desk, confirm the transfer and make it ready
    page.goto(f"/cua-hang/quan-ly/{world.center_a.slug}/")
    page.locator("#id_username").fill(world.staff_a.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/cua-hang/quan-ly/{world.center_a.slug}/")
    page.get_by_role("link", name=order.number).click()
    page.wait_for_load_state()
    page.locator("#id_reference").fill("FT26112026")
    screenshot(page, "shop-05-desk")
    page.locator("form:has(input[value=paid]) button[type=submit]").click()
    page.wait_for_load_state()
    assert "order-status-paid" in page.get_by_test_id("order-status").get_attribute("class")
    page.locator("form:has(input[value=ready]) button[type=submit]").click()
    page.wait_for_load_state()
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    screenshot(page, "shop-06-desk-ready")
