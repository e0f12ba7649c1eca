"""A center manager grants the cashier role, in Chromium at 1280 and 390 px wide; the new cashier then
opens the till.

Log in as the manager → the menu's staff page → a wrong address is refused next to the field → grant
"center staff" by e-mail → the grant is listed → log out → the cashier logs in and opens a shift.
"""

import pytest
from playwright.sync_api import expect

from ocophub.accounts.models import Role, RoleGrant
from ocophub.places.services import places_load

from ..factories import UserFactory
from ..sales import world as sample
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_grants_the_cashier_role_and_the_cashier_opens_the_till(page, screenshot):
    places_load()
    world = sample.build()
    cashier = UserFactory(full_name="Đỗ Minh Châu", email="chau.thu.ngan@example.vn")
    staff_url = f"/lam-viec/trung-tam/{world.center_a.slug}/nhan-vien/"

    log_in(page, world.manager_a, "/")
    page.locator(".nav-work summary").click()
    page.get_by_test_id("staff-link").click()
    page.wait_for_url(f"**{staff_url}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nhân viên của")
    screenshot(page, "center-staff-00-list-1280")

    # an address nobody logs in with is refused next to the field, and nothing is granted
    page.get_by_label("E-mail hoặc số điện thoại").fill("khong-ai@example.vn")
    page.get_by_role("button", name="Cấp vai trò").click()
    expect(page.locator(".field-error")).to_contain_text("Không có tài khoản nào")
    assert not RoleGrant.objects.filter(user=cashier).exists()

    page.get_by_label("E-mail hoặc số điện thoại").fill("chau.thu.ngan@example.vn")
    page.locator("#id_role").select_option(Role.CENTER_STAFF)
    page.get_by_role("button", name="Cấp vai trò").click()
    page.wait_for_url(f"**{staff_url}")
    expect(page.locator(".message-success")).to_contain_text("Đỗ Minh Châu")
    row = page.get_by_test_id("staff-row").filter(has_text="Đỗ Minh Châu")
    expect(row).to_contain_text("Nhân viên trung tâm")
    expect(row).to_contain_text(str(world.manager_a))
    screenshot(page, "center-staff-01-granted-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "center-staff-02-granted-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    till = f"/quay/{world.center_a.slug}/"
    log_in(page, cashier, till)
    page.wait_for_url(f"**{till}")
    page.locator("#opening_float").fill("300000")
    page.locator(".pos-open button[type=submit]").click()
    expect(page.locator("#pos-code")).to_be_focused()
    screenshot(page, "center-staff-03-cashier-till-1280")
