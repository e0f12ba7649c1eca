"""A visitor finds a workshop in the events calendar, registers two people, sees the VietQR transfer on
the ticket page, and gets the ticket's QR code once the center records the payment; the check-in shows
on the ticket. The calendar (list and month), the event, the registration and the ticket pages fit
390, 768 and 1280 px."""

import pytest
from playwright.sync_api import expect

from ocophub.accounts.models import Role
from ocophub.events.models import CheckIn, EventKind, Registration, RegistrationState
from ocophub.sales.models import BankAccount

from ..conftest import make_user
from ..events import world as w
from .conftest import log_in
from .test_layout_widths import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_registers_two_people_for_a_workshop_and_gets_the_ticket(page, screenshot):
    center = w.center()
    BankAccount.objects.create(
        center=center, bank_bin="970415", bank_name="VietinBank", account_number="113366668888"
    )
    workshop = w.event(center, title="Tự tay nặn gốm trên bàn xoay", languages=["vi", "en"])
    session = w.session(workshop, seats=12, price=150_000, days=6, makes="Một chiếc bát tự nặn")
    w.session(w.event(center, kind=EventKind.EXHIBITION, title="Triển lãm gốm men lam"), days=8)

    assert_fits(page, "/su-kien/", "the events calendar")
    assert_fits(page, "/su-kien/lich-thang/", "the month view")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/su-kien/")
    page.select_option("#id_kind", "workshop")
    page.get_by_role("button", name="Lọc").click()
    cards = page.get_by_test_id("session-card")
    expect(cards).to_have_count(1)  # waits for the filtered page; count() would read the one before
    assert "Tự tay nặn gốm" in cards.first.inner_text()
    screenshot(page, "events-calendar-1280")
    cards.first.get_by_role("link", name="Tự tay nặn gốm trên bàn xoay").click()
    expect(page.get_by_test_id("session-row")).to_have_count(1)
    assert_fits(page, page.url, "the event's page")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "events-event-390")

    page.get_by_test_id("register-link").click()
    assert_fits(page, page.url, "the registration form")
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("#id_party_size", "2")
    page.fill("#id_name", "Nguyễn Thị Lan")
    page.fill("#id_email", "lan@example.vn")
    page.fill("#id_phone", "0912 345 678")
    screenshot(page, "events-register-390")
    page.get_by_test_id("submit").click()

    registration = Registration.objects.get()
    assert page.url.endswith(f"/su-kien/ve/{registration.code}/")
    assert page.get_by_test_id("vietqr").is_visible()
    assert "300.000 ₫" in page.inner_text("main")
    assert_fits(page, page.url, "the ticket awaiting payment")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "events-ticket-unpaid-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "events-ticket-unpaid-1280")

    ticket_url = page.url

    # the center's staff see the transfer arrive and record it on the session's registrations page
    staff = make_user(Role.CENTER_STAFF, scope_id=center.pk)
    session_url = f"/lam-viec/trung-tam/{center.slug}/buoi/{session.pk}/"
    log_in(page, staff, session_url)
    row = page.get_by_test_id("registration-row").filter(has_text="Nguyễn Thị Lan")
    row.locator("input[name=reference]").fill("FT26337-LAN")
    row.get_by_test_id("confirm-transfer").click()
    expect(page.get_by_test_id("registration-row").first).to_contain_text("300.000 ₫")
    screenshot(page, "events-staff-session-1280")

    # the visitor's ticket now carries its QR code
    page.goto(ticket_url)
    assert page.get_by_test_id("ticket-qr").is_visible()
    assert page.get_by_test_id("ticket-state").inner_text().strip() == RegistrationState.CONFIRMED.label
    screenshot(page, "events-ticket-1280")

    # at the door, on a phone: the scanner types the code and Enter; a second scan changes nothing
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/lam-viec/trung-tam/{center.slug}/soat-ve/")
    field = page.locator("#checkin-code")
    expect(field).to_be_focused()
    page.keyboard.type(registration.code)
    page.keyboard.press("Enter")
    result = page.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-kind", "ok")
    expect(result).to_contain_text("Nguyễn Thị Lan")
    screenshot(page, "events-staff-checkin-390")
    page.keyboard.type(registration.code)
    page.keyboard.press("Enter")
    expect(result).to_have_attribute("data-kind", "already")
    assert CheckIn.objects.filter(registration=registration).count() == 1

    page.goto(ticket_url)
    assert page.get_by_test_id("ticket-state").inner_text().strip() == "đã check-in"
    screenshot(page, "events-ticket-checked-in-390")
    assert session.pk == registration.session_id
    assert Registration.objects.get().payments.get().reference == "FT26337-LAN"
