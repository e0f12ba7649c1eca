"""A customer with a phone and no e-mail: signs up, resets the password with the texted code, checks
out without an e-mail (the confirmation comes by text), logs out and in again and finds the basket."""

import re

import pytest

from ocophub.common import sms
from ocophub.places.services import places_load
from ocophub.sales.models import Order, OrderStatus

from ..sales import world as w

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "0912 777 888"
FIRST_PASSWORD = "gốm-men-lam-bát-tràng-9"
NEW_PASSWORD = "trà-sen-tây-hồ-2026"


def _narrow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll at 390 px"


def _log_in(page, password: str) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(PHONE)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()


def _log_out(page) -> None:
    page.goto("/tai-khoan/")
    form = page.locator("form[action='/tai-khoan/dang-xuat/']")
    if not form.locator("button").is_visible():
        page.locator(".nav-toggle, [aria-controls]").first.click()
    with page.expect_navigation():
        form.locator("button").click()


def _add_bowls(page, world, quantity: int) -> None:
    page.goto(f"/san-pham/{world.bowl.slug}/")
    page.locator(f"#buy-qty-{world.center_a.pk}").fill(str(quantity))
    with page.expect_navigation():
        page.locator(".buy-panel .buy-form button[type=submit]").click()
    assert page.url.endswith("/cua-hang/gio-hang/")


def test_phone_customer_resets_by_code_checks_out_without_email_and_keeps_the_basket(page, screenshot):
    places_load()
    world = w.build()
    page.set_viewport_size({"width": 390, "height": 844})

    # sign up with a phone number only
    page.goto("/tai-khoan/dang-ky/")
    page.locator("#id_full_name").fill("Lê Thị Hoa")
    page.locator("#id_phone").fill(PHONE)
    page.locator("#id_password1").fill(FIRST_PASSWORD)
    page.locator("#id_password2").fill(FIRST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo tài khoản").click()
    assert page.url.endswith("/tai-khoan/")
    assert page.get_by_text("+84912777888").is_visible()
    assert page.get_by_test_id("password-change-link").is_visible()
    _narrow(page)
    screenshot(page, "phone-01-account-390")

    # forgot the password: the code comes by text message
    _log_out(page)
    page.goto("/tai-khoan/quen-mat-khau/")
    page.locator("#id_email").fill(PHONE)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert page.url.endswith("/tai-khoan/quen-mat-khau/nhap-ma/")
    assert [m.phone for m in sms.outbox] == ["+84912777888"]
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page.locator("#id_code").fill(wrong)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Mã không đúng" in page.locator(".form-error").inner_text()
    _narrow(page)
    screenshot(page, "phone-02-wrong-code-390")
    page.locator("#id_code").fill(code)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert page.url.endswith("/tai-khoan/dat-lai-mat-khau/xong/")

    # log in with the new password and buy without an e-mail
    _log_in(page, NEW_PASSWORD)
    _add_bowls(page, world, 2)
    page.locator(f"a[href='/cua-hang/thanh-toan/{world.center_a.slug}/']").click()
    page.wait_for_load_state()
    assert page.locator("#id_name").input_value() == "Lê Thị Hoa"
    assert page.locator("#id_email").input_value() == ""
    assert page.locator("#id_phone").input_value() == "+84912777888"
    _narrow(page)
    screenshot(page, "phone-03-checkout-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "phone-04-checkout-1280")
    sms.outbox.clear()
    with page.expect_navigation():
        page.locator(".checkout-form button[type=submit]").click()
    order = Order.objects.get()
    assert page.url.endswith(f"/cua-hang/don-hang/{order.token}/")
    assert (order.email, order.status, order.total) == ("", OrderStatus.AWAITING_PAYMENT, 300_000)
    assert [m.phone for m in sms.outbox] == ["+84912777888"]
    assert order.number in sms.outbox[0].text

    # a new basket, then log out and in again: the same basket is there
    page.set_viewport_size({"width": 390, "height": 844})
    _add_bowls(page, world, 3)
    _log_out(page)
    page.goto("/cua-hang/gio-hang/")
    assert world.bowl.name not in page.locator("main").inner_text()
    _log_in(page, NEW_PASSWORD)
    page.goto("/cua-hang/gio-hang/")
    assert page.get_by_test_id("basket-link").inner_text().endswith("3")
    assert page.get_by_role("heading", name=world.center_a.name).is_visible()
    assert page.locator(".basket-table .total").inner_text() == "450.000 ₫"
    _narrow(page)
    screenshot(page, "phone-05-basket-after-login-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "phone-06-basket-after-login-1280")

    # the password change page from the account page
    page.goto("/tai-khoan/")
    page.get_by_test_id("password-change-link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/tai-khoan/doi-mat-khau/")
    screenshot(page, "phone-07-password-change-1280")
