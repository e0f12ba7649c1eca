"""Home → switch to English → log in → log out, in a real Chromium."""

import pytest

from ocophub.accounts.models import Role
from ocophub.places.services import places_load

from ..conftest import make_user
from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_switches_to_english_logs_in_and_out(page, screenshot):
    places_load()
    user = make_user(Role.CUSTOMER)
    user.full_name = "Nguyễn Thị Lan"
    user.save()

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Sản phẩm OCOP và làng nghề Hà Nội"
    assert page.get_by_text("Bát Tràng").first.is_visible()
    screenshot(page, "shell-01-home-vi")

    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "OCOP products and craft villages of Hanoi"
    assert page.get_by_text("Ceramics").first.is_visible()
    screenshot(page, "shell-02-home-en")

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail or phone number").fill(user.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").inner_text().startswith("Wrong e-mail/phone number or password")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")  # the form works from the keyboard
    page.wait_for_url("**/")
    assert page.get_by_test_id("account-link").inner_text() == "Nguyễn Thị Lan"
    screenshot(page, "shell-03-logged-in-en")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Log in").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"  # the language choice outlives the session
    screenshot(page, "shell-04-logged-out-en")


def test_home_fits_a_phone_screen(page, screenshot):
    places_load()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Bỏ qua, đến nội dung chính"
    screenshot(page, "shell-05-home-phone")
