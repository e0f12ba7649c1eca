"""A refund without goods at the counter, in Chromium on tablet-sized screens (1024 × 768).

The cashier is refused without a code → the manager, on their own device, approves an amount for the
receipt and reads out the code → the cashier refunds with it → the closing page shows the refund on its
own line, with who approved it.
"""

import pytest

from ocophub.places.services import places_load
from ocophub.sales.models import Refund

from ..sales import world as sample
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 1024, "height": 768}


def test_a_cashier_refunds_without_goods_with_the_managers_code(browser, live_server, screenshot):
    places_load()
    world = sample.build()
    sale = sample.counter_sale(world, 1)  # 150.000 ₫ in cash, in the cashier's open shift
    receipt = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/"

    def tablet():
        context = browser.new_context(viewport=TABLET, locale="vi-VN", base_url=live_server.url)
        return context, context.new_page()

    till_context, till = tablet()
    log_in(till, world.staff_a, receipt)
    till.locator(".pos-receipt-actions a[href$='/hoan-tien/']").click()
    till.wait_for_url("**/hoan-tien/")
    till.locator("#amount").fill("20.000")
    till.locator("#reason").fill("Bớt giá vì men bị trầy")
    till.locator(".pos-wide button[type=submit]").click()
    till.locator(".pos-error", has_text="cần quản lý trung tâm duyệt").wait_for()
    assert not Refund.objects.exists()

    manager_context, office = tablet()
    log_in(office, world.manager_a, receipt)
    office.locator(".pos-receipt-actions a[href$='/duyet-hoan-tien/']").click()
    office.wait_for_url("**/duyet-hoan-tien/")
    office.locator("#max_amount").fill("20000")
    office.locator(".pos-wide button[type=submit]").click()
    code = office.get_by_test_id("refund-code").inner_text()
    screenshot(office, "refund-01-manager-code")
    manager_context.close()

    till.locator("#approval_code").fill(code)
    till.locator(".pos-wide button[type=submit]").click()
    till.wait_for_url(f"**{receipt}")
    assert "không kèm hàng" in till.locator(".receipt-returns").inner_text()
    screenshot(till, "refund-02-receipt")
    refund = Refund.objects.get()
    assert (refund.amount, refund.approved_by, refund.actor) == (20_000, world.manager_a, world.staff_a)

    till.goto(f"/quay/{world.center_a.slug}/ca/{sale.shift_id}/dong/")
    assert till.get_by_test_id("cash-refunds-without-goods").inner_text() == "20.000 ₫"
    assert till.get_by_test_id("expected-cash").inner_text() == "630.000 ₫"  # 500.000 + 150.000 − 20.000
    assert str(world.manager_a) in till.get_by_test_id("refunds-without-goods-list").inner_text()
    screenshot(till, "refund-03-close-shift")
    till_context.close()
