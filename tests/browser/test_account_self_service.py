"""On a phone: a visitor makes an account from the login page, logs out, forgets the password and sets
a new one through the e-mailed link."""

import re

import pytest
from django.core import mail

from ocophub.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "gốm-men-lam-bát-tràng-9"
NEWER_PASSWORD = "khảm-trai-chuyên-mỹ-27"


def test_sign_up_then_reset_the_password_on_a_phone(page, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_test_id("signup-link").click()
    page.get_by_label("Họ và tên").fill("Phạm Thu Trang")
    page.get_by_label("E-mail").fill("trang@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill("một mật khẩu khác")
    page.get_by_role("button", name="Tạo tài khoản").click()
    assert "không khớp" in page.locator(".field-error").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "account-01-signup-error-phone")
    page.get_by_label("Mật khẩu", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.wait_for_url("**/tai-khoan/")
    assert page.get_by_test_id("account-link").inner_text() == "Phạm Thu Trang"
    assert "Khách hàng" in page.content()
    screenshot(page, "account-02-signed-up-phone")

    page.context.clear_cookies()
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_test_id("forgot-password").click()
    page.get_by_label("E-mail").fill("trang@example.vn")
    page.get_by_role("button", name="Gửi liên kết").click()
    page.wait_for_url("**/quen-mat-khau/da-gui/")
    screenshot(page, "account-03-reset-sent-phone")
    link = re.search(r"http://[^/\s]+(/tai-khoan/dat-lai-mat-khau/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEWER_PASSWORD)
    page.get_by_label("Xác nhận mật khẩu mới").fill(NEWER_PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_url("**/dat-lai-mat-khau/xong/")
    page.get_by_role("link", name="Đăng nhập").last.click()
    page.get_by_label("E-mail hoặc số điện thoại").fill("trang@example.vn")
    page.get_by_label("Mật khẩu").fill(NEWER_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_url("**/")
    assert page.get_by_test_id("account-link").inner_text() == "Phạm Thu Trang"
    assert User.objects.get(email="trang@example.vn").check_password(NEWER_PASSWORD)
