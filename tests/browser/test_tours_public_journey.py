"""A visitor finds a tour in the list, opens it, picks a departure, books two adults, sees the VietQR
transfer to the operator on the e-ticket, and gets the ticket's QR code once the operator's payment is
recorded (through the services: the operator's pages are another part). The list, the tour, the
booking form and the ticket fit 390, 768 and 1280 px."""

import pytest
from playwright.sync_api import expect

from ocophub.tours import services
from ocophub.tours.models import Booking, BookingState

from ..tours import world as w
from .test_layout_widths import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_books_two_adults_on_a_tour_and_gets_the_ticket(page, screenshot):
    operator = w.operator(
        bank_bin="970436",
        bank_name="Vietcombank",
        account_number="0011001234567",
        account_holder="CTY SONG HONG",
    )
    a = w.center("Trung tâm OCOP Bát Tràng", "20.975000", "105.912000")
    b = w.center("Trung tâm OCOP Kim Lan", "20.958000", "105.905000")
    tour = w.tour(
        operator,
        title="Một ngày ở làng gốm Bát Tràng và Kim Lan",
        summary="Nặn gốm trên bàn xoay, thăm chợ gốm và làng cổ Kim Lan",
        included="Xe đưa đón, hướng dẫn viên, vé vào cửa",
        excluded="Đồ uống, chi tiêu cá nhân",
        stops=[
            {"kind": "center", "center": a.pk, "minutes": 120, "title": "Xưởng gốm Bát Tràng"},
            {
                "kind": "meal",
                "minutes": 60,
                "title": "Ăn trưa",
                "latitude": "20.970000",
                "longitude": "105.910000",
            },
            {"kind": "center", "center": b.pk, "minutes": 90, "title": "Làng gốm Kim Lan"},
        ],
    )
    departure = w.departure(tour, seats=16, days=6)
    w.departure(tour, seats=16, days=13)
    w.tour(title="Tour lụa Vạn Phúc")

    assert_fits(page, "/tour/", "the tours list")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.get_by_test_id("tours-link").first.click()
    expect(page.get_by_test_id("tour-card")).to_have_count(2)
    page.select_option("#id_center", a.slug)
    page.get_by_role("button", name="Lọc").click()
    cards = page.get_by_test_id("tour-card")
    expect(cards).to_have_count(1)  # waits for the filtered page; count() would read the one before
    assert "Bát Tràng" in cards.first.inner_text()
    screenshot(page, "tours-list-1280")
    cards.first.get_by_role("link", name=tour.title).click()
    expect(page.get_by_test_id("timeline-stop")).to_have_count(3)
    expect(page.get_by_test_id("departure-row")).to_have_count(2)
    screenshot(page, "tours-tour-1280")
    assert_fits(page, page.url, "the tour's page")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "tours-tour-390")

    page.get_by_test_id("book-link").first.click()
    assert page.url.endswith(f"/tour/{tour.slug}/dat/{departure.pk}/")
    assert_fits(page, page.url, "the booking form")
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("#id_adults", "2")
    page.fill("#id_children", "0")
    page.fill("#id_name", "Nguyễn Thị Lan")
    page.fill("#id_email", "lan@example.vn")
    page.fill("#id_phone", "0912 345 678")
    screenshot(page, "tours-book-390")
    page.get_by_test_id("submit").click()

    booking = Booking.objects.get()
    assert page.url.endswith(f"/tour/ve/{booking.code}/")
    assert page.get_by_test_id("vietqr").is_visible()
    assert "1.700.000 ₫" in page.inner_text("main")
    assert_fits(page, page.url, "the ticket awaiting payment")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "tours-ticket-unpaid-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "tours-ticket-unpaid-1280")

    # the operator sees the transfer arrive and records it
    services.booking_pay(actor=None, booking=booking, reference="FT26337-LAN")
    page.reload()
    assert page.get_by_test_id("ticket-qr").is_visible()
    assert page.get_by_test_id("ticket-state").inner_text().strip() == BookingState.CONFIRMED.label
    screenshot(page, "tours-ticket-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "tours-ticket-390")
    assert_fits(page, page.url, "the confirmed ticket")
