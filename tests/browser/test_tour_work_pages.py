"""The tours' work pages fit a phone, a tablet and a desktop under the Content-Security-Policy, and the
guide's check-in at the meeting point works as a keyboard-wedge scanner uses it: the code typed into
the focused field and Enter; a second scan says "already checked in" and writes no second check-in."""

import pytest
from playwright.sync_api import expect

from ocophub.accounts.models import Role
from ocophub.tours import services
from ocophub.tours.models import CheckIn

from ..conftest import make_user
from ..tours import world as w
from .conftest import log_in
from .test_layout_widths import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tour_work_pages_fit_and_a_ticket_is_checked_in_once(page, live_server, screenshot):
    operator = w.operator(name="Công ty Lữ hành Sông Hồng")
    member = make_user(Role.OPERATOR_MEMBER, scope_id=operator.pk)
    near = w.center("Trung tâm OCOP Bát Tràng", lat="20.975000", lng="105.912000")
    far = w.center("Trung tâm OCOP Đường Lâm", lat="21.155000", lng="105.470000")
    tour = w.tour(
        operator,
        title="Một ngày ở làng gốm Bát Tràng và làng cổ Đường Lâm, có buổi nặn gốm cùng nghệ nhân",
        stops=[
            {"kind": "center", "center": far.pk, "minutes": 90},
            {"kind": "meal", "title": "Bữa trưa", "minutes": 60},
            {"kind": "center", "center": near.pk, "minutes": 120},
        ],
    )
    departure = w.departure(tour, seats=30, days=1)
    booking = w.book(departure, 2, 1, name="Nguyễn Văn An")
    services.booking_pay(actor=None, booking=booking, reference="FT123456")
    w.book(departure, 1, name="Trần Thị Bình")

    base = f"/lam-viec/tour/{operator.pk}"
    log_in(page, member, f"{base}/")
    assert_fits(page, f"{base}/", "the operator's tours")
    assert_fits(page, f"{base}/{tour.pk}/", "a tour's page")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "tours-work-tour-390")
    assert_fits(page, f"{base}/{tour.pk}/de-xuat-thu-tu/", "the proposed order")
    assert_fits(page, f"{base}/chuyen/{departure.pk}/", "a departure's bookings")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "tours-work-departure-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "tours-work-departure-1280")

    assert_fits(page, f"{base}/soat-ve/", "the guide's check-in")
    page.set_viewport_size({"width": 390, "height": 844})
    field = page.locator("#checkin-code")
    expect(field).to_be_focused()
    page.keyboard.type(booking.code)
    page.keyboard.press("Enter")
    result = page.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-kind", "ok")
    expect(result).to_contain_text("Nguyễn Văn An")
    expect(field).to_be_focused()
    screenshot(page, "tours-work-checkin-390")

    page.keyboard.type(booking.code)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("checkin-result")).to_have_attribute("data-kind", "already")
    assert CheckIn.objects.filter(booking=booking).count() == 1
