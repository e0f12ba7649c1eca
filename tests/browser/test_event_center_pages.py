"""A center's event pages for its staff fit a phone and a desktop under the Content-Security-Policy,
and the door's check-in works as a keyboard-wedge scanner uses it: the code typed into the focused
field and Enter; a second scan says "already checked in" and writes no second check-in."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ocophub.accounts.models import Role
from ocophub.events import services
from ocophub.events.models import CheckIn, PaymentMethod

from ..conftest import make_user
from ..events import world as w
from .conftest import log_in
from .test_layout_widths import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_event_pages_fit_and_a_ticket_is_checked_in_once(page, live_server, screenshot):
    center = w.center()
    staff = make_user(Role.CENTER_STAFF, scope_id=center.pk)
    event = w.event(center, title="Tự tay nặn gốm trên bàn xoay cùng nghệ nhân làng Bát Tràng")
    start = timezone.localtime() + dt.timedelta(minutes=5)
    session = services.session_create(
        actor=None,
        event=event,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=10,
        price=120_000,
    )
    w.session(event, seats=8, price=150_000, makes="Một chiếc bát men lam")
    registration = w.register(session, 3, method=PaymentMethod.DOOR, name="Nguyễn Văn An")
    w.register(session, 2, name="Trần Thị Bình")

    base = f"/lam-viec/trung-tam/{center.slug}"
    log_in(page, staff, f"{base}/su-kien/")
    assert_fits(page, f"{base}/su-kien/", "the center's events")
    assert_fits(page, f"{base}/su-kien/{event.pk}/", "an event's page")
    assert_fits(page, f"{base}/buoi/{session.pk}/", "a session's registrations")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "events-center-session-390")

    assert_fits(page, f"{base}/soat-ve/", "the check-in door")
    field = page.locator("#checkin-code")
    expect(field).to_be_focused()
    page.keyboard.type(registration.code)
    page.keyboard.press("Enter")
    result = page.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-kind", "ok")
    expect(result).to_contain_text("Nguyễn Văn An")
    expect(page.get_by_test_id("today-total")).to_have_text("3 / 3")
    expect(field).to_be_focused()
    screenshot(page, "events-center-checkin-390")

    page.keyboard.type(registration.code)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("checkin-result")).to_have_attribute("data-kind", "already")
    assert CheckIn.objects.filter(registration=registration).count() == 1
