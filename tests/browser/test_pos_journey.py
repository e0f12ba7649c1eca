"""A cashier's shift at the counter, in Chromium on a tablet-sized screen (1024 × 768).

Log in → open a shift with a float → scan goods by typing barcodes and Enter into the barcode field (as a
keyboard-wedge scanner does) → take cash → print the receipt → take one item back → count the drawer and
close the shift → the manager sees the center's recent shifts.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from ocophub.inventory import services as inventory
from ocophub.places.services import places_load
from ocophub.sales.models import Sale, Shift

from ..factories import PASSWORD
from ..sales import world as sample
from ..sales.world import BOWL_GTIN, TEA_GTIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, code: str, lines: int) -> None:
    """Type the code into the focused barcode field and press Enter; wait for the basket's answer."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.locator("#pos-basket .pos-line").nth(lines - 1).wait_for()


def test_cashier_sells_prints_the_receipt_and_closes_the_shift(page, screenshot):
    places_load()
    world = sample.build()
    inventory.stock_receive(
        actor=None,
        center=world.center_a,
        product=world.tea,
        quantity=12,
        lot_code="TS-2611",
        expires_on=dt.date.today() + dt.timedelta(days=180),
    )
    page.set_viewport_size({"width": 1024, "height": 768})
    till = f"/quay/{world.center_a.slug}/"

    # the counter asks for a login, then goes straight to the only center's till
    page.goto("/quay/")
    page.locator("#id_username").fill(world.staff_a.email)
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{till}")

    # open the shift with a float of 500.000 ₫
    screenshot(page, "pos-00-open-shift")
    page.locator("#opening_float").fill("500000")
    page.locator(".pos-open button[type=submit]").click()
    code = page.locator("#pos-code")
    expect(code).to_be_focused()  # ready for the first scan

    # scan: bowl, tea, bowl again — the field is emptied and focused again after each item
    scan(page, BOWL_GTIN, 1)
    expect(code).to_have_value("")
    expect(code).to_be_focused()
    scan(page, TEA_GTIN, 2)
    page.keyboard.type(BOWL_GTIN)
    page.keyboard.press("Enter")
    page.locator("#pos-basket .pos-line-last .pos-qty", has_text="2").wait_for()
    assert page.get_by_test_id("basket-total").inner_text() == "385.000 ₫"

    # an unknown code says so and leaves the basket as it was
    page.keyboard.type("8930000000999")
    page.keyboard.press("Enter")
    page.locator("#pos-flash.pos-flash-error", has_text="8930000000999").wait_for()
    assert page.locator("#pos-basket .pos-line").count() == 2
    expect(code).to_be_focused()

    # the name search finds the tea without diacritics
    page.locator("#pos-q").fill("tra sen")
    page.locator("#pos-results .pos-tile", has_text="Trà sen Tây Hồ").wait_for()
    page.locator("#pos-q").fill("")
    page.locator("#pos-results .pos-tile", has_text="Bát gốm men lam").wait_for()

    # a transfer shows the center's VietQR code for the basket's total
    page.locator(".pos-method", has=page.locator("input[value=transfer]")).click()
    page.locator(".pos-qr svg").wait_for()
    assert page.get_by_test_id("transfer-reference").inner_text().startswith("OCOP ")
    screenshot(page, "pos-01-till-transfer")
    page.locator(".pos-method", has=page.locator("input[value=cash]")).click()

    # cash: the change is worked out as the cashier types
    page.locator("#pos-tendered").fill("500000")
    assert page.locator("#pos-change").inner_text() == "115.000 ₫"
    page.locator("#pos-code").focus()
    screenshot(page, "pos-02-till")

    page.locator(".pos-pay-button").click()
    page.wait_for_url("**/hoa-don/**")
    sale = Sale.objects.get()
    assert sale.total == 385_000
    assert page.get_by_test_id("receipt-number").inner_text() == sale.number
    assert page.get_by_test_id("receipt-total").inner_text() == "385.000 ₫"
    assert page.get_by_test_id("receipt-change").inner_text() == "115.000 ₫"
    screenshot(page, "pos-03-receipt")

    # the Print button opens the browser's print dialog; the print styles give an 80 mm slip
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator("[data-print]").click()
    assert page.evaluate("window.printed === true")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator("[data-print]").is_hidden()
    width = page.locator(".receipt").evaluate("node => node.getBoundingClientRect().width")
    assert 260 < width < 290  # 72 mm printable at 96 dpi
    screenshot(page, "pos-04-receipt-print")
    page.emulate_media(media="screen")

    # the customer brings the tea back: it goes back on the shelf and the cash is refunded
    page.locator(".pos-receipt-actions a[href$='/tra-hang/']").click()
    page.wait_for_url("**/tra-hang/")
    tea_line = sale.lines.get(product=world.tea)
    page.locator(f"#qty_{tea_line.pk}").fill("1")
    page.locator("#reason").fill("Khách đổi ý")
    screenshot(page, "pos-05-return")
    page.locator(".pos-wide button[type=submit]").click()
    page.locator(".receipt-returns").wait_for()
    assert "Khách đổi ý" in page.locator(".receipt-returns").inner_text()
    screenshot(page, "pos-06-receipt-with-return")

    # back at the till the basket is empty; close the shift with what the drawer holds
    page.goto(till)
    assert page.locator("#pos-basket .pos-line").count() == 0
    page.locator(".pos-topbar-nav .pos-navlink-strong").click()
    page.wait_for_url("**/dong/")
    assert page.get_by_test_id("expected-cash").inner_text() == "800.000 ₫"  # 500.000 + 385.000 − 85.000
    # count the notes: 1 × 500.000, 1 × 200.000, 1 × 50.000, 2 × 20.000, 1 × 5.000 = 795.000
    for note, count in ((500000, 1), (200000, 1), (50000, 1), (20000, 2), (5000, 1)):
        page.locator(f"#note-{note}").fill(str(count))
    assert page.locator("#counted_cash").input_value() == "795000"
    assert page.locator("#variance-preview").inner_text().startswith("-5.000 ₫")
    screenshot(page, "pos-07-close-shift")
    page.locator(".pos-close form button[type=submit]").click()
    page.wait_for_url("**/ca/*/")
    shift = Shift.objects.get()
    assert (shift.expected_cash, shift.counted_cash, shift.variance) == (800_000, 795_000, -5_000)
    assert page.get_by_test_id("variance").inner_text() == "-5.000 ₫"
    screenshot(page, "pos-08-shift-summary")

    # the center's manager sees the recent shifts of the center under the summary
    page.context.clear_cookies()
    page.goto(f"{till}ca/{shift.pk}/")
    page.locator("#id_username").fill(world.manager_a.email)
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.locator("#shifts-title").wait_for()
    assert page.locator(".pos-current .pos-short").inner_text() == "-5.000 ₫"
    screenshot(page, "pos-09-shifts-manager")
