"""The public tour pages: the list with its filters, a tour's page (timeline, map, departures), the
booking flow (and the waiting list of a full departure), the e-ticket, its iCalendar file, and the
"tours that visit …" panels."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from ocophub.accounts.models import Role
from ocophub.places.models import Craft, CraftVillage
from ocophub.tours import services
from ocophub.tours.models import Booking, BookingState, WaitlistEntry, WaitlistState

from ..conftest import make_user
from ..events import world as ew
from ..helpers import assert_fixed_queries
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    return Client()


@pytest.fixture(params=["anonymous", "customer"])
def client_of(request) -> Client:
    client = Client()
    if request.param == "customer":
        client.force_login(make_user(Role.CUSTOMER))
    return client


def _op():
    return w.operator(
        bank_bin="970436",
        bank_name="Vietcombank",
        account_number="0011001234567",
        account_holder="CONG TY SONG HONG",
    )


def _form(adults=2, children=0, email="lan@example.vn", **more) -> dict:
    data = {
        "adults": adults,
        "children": children,
        "name": "Nguyễn Thị Lan",
        "email": email,
        "phone": "0912 345 678",
    }
    data.update(more)
    return data


def _key() -> str:
    import uuid

    return uuid.uuid4().hex


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_published_tours_with_their_next_departure(client_of):
    tour = w.tour(_op(), title="Gốm Bát Tràng một ngày", summary="Nặn gốm và thăm chợ gốm")
    d = w.departure(tour, seats=10, days=5)
    w.book(d, 3)
    w.tour(title="Bản nháp chưa mở", publish=False)
    response = client_of.get("/tour/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gốm Bát Tràng một ngày" in page and "Nặn gốm và thăm chợ gốm" in page
    assert "Bản nháp chưa mở" not in page
    assert tour.operator.name in page
    assert "850.000" in page  # the price from
    assert timezone.localtime(d.starts_at).strftime("%d/%m/%Y") in page
    assert "7 chỗ" in page  # 10 seats less 3


def test_the_filters_by_craft_village_center_and_days(visitor):
    village = CraftVillage.objects.create(
        name="Bát Tràng", slug="bat-trang-t", commune=ew.commune(), source="thử"
    )
    ceramics = Craft.objects.create(name="Gốm sứ", slug="gom-su-t")
    village.crafts.add(ceramics)
    silk_center = w.center("Trung tâm OCOP Vạn Phúc", "20.980000", "105.770000")
    pottery = w.tour(
        title="Tour làng gốm", stops=[{"kind": "village", "craft_village": village.pk, "minutes": 120}]
    )
    silk = w.tour(title="Tour làng lụa", stops=[{"kind": "center", "center": silk_center.pk, "minutes": 60}])
    w.departure(pottery, days=5)
    w.departure(silk, days=30)

    def titles(query: str) -> str:
        response = visitor.get(f"/tour/?{query}")
        assert response.status_code == 200
        return response.content.decode()

    page = titles("craft=gom-su-t")
    assert "Tour làng gốm" in page and "Tour làng lụa" not in page
    page = titles("lang=bat-trang-t")
    assert "Tour làng gốm" in page and "Tour làng lụa" not in page
    page = titles(f"center={silk_center.slug}")
    assert "Tour làng lụa" in page and "Tour làng gốm" not in page
    soon = timezone.localdate() + dt.timedelta(days=20)
    page = titles(f"tu={soon:%d/%m/%Y}")
    assert "Tour làng lụa" in page and "Tour làng gốm" not in page
    page = titles(f"den={soon:%d/%m/%Y}")
    assert "Tour làng gốm" in page and "Tour làng lụa" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("craft=khong-co", "Hãy chọn nghề trong danh sách."),
        ("lang=khong-co", "Hãy chọn một làng nghề trong danh sách."),
        ("center=khong-co", "Hãy chọn một trung tâm trong danh sách."),
        ("tu=31/02/2026", "dd/mm/yyyy"),
        ("tu=10/12/2026&den=01/12/2026", "Ngày cuối trước ngày đầu."),
    ],
)
def test_bad_filters_are_400_with_a_clear_message(visitor, query, message):
    w.departure(w.tour(title="Tour thử lọc"))
    response = visitor.get(f"/tour/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'data-testid="tour-card"' not in page


def test_the_list_runs_a_fixed_number_of_queries(visitor):
    op = _op()
    center = w.center()

    def grow(n: int) -> None:
        for _i in range(n):
            t = w.tour(op, stops=[{"kind": "center", "center": center.pk, "minutes": 60}])
            w.book(w.departure(t, days=3), 1)
            w.departure(t, days=9)

    assert_fixed_queries(lambda: visitor.get("/tour/"), grow)
    assert_fixed_queries(lambda: visitor.get(f"/tour/?center={center.slug}"), grow)


def test_the_list_is_a_page_at_a_time(visitor):
    op = _op()
    for n in range(14):
        w.tour(op, title=f"Tour số {n:02d}")
    first = visitor.get("/tour/").content.decode()
    assert first.count('data-testid="tour-card"') == 12 and 'rel="next"' in first
    second = visitor.get("/tour/?page=2").content.decode()
    assert second.count('data-testid="tour-card"') == 2
    assert visitor.get("/tour/?page=99999999").status_code == 200


# --- a tour's page ---------------------------------------------------------------------------------


def test_the_tour_page_shows_facts_timeline_and_departures(client_of):
    a = w.center("Trung tâm OCOP Bát Tràng", "20.975000", "105.912000")
    b = w.center("Trung tâm OCOP Kim Lan", "20.958000", "105.905000")
    tour = w.tour(
        _op(),
        title="Gốm sông Hồng",
        included="Xe đưa đón, vé vào cửa",
        excluded="Đồ uống",
        stops=[
            {"kind": "center", "center": a.pk, "minutes": 90, "title": "Xưởng gốm"},
            {
                "kind": "meal",
                "minutes": 60,
                "title": "Ăn trưa",
                "latitude": "20.970000",
                "longitude": "105.910000",
            },
            {"kind": "center", "center": b.pk, "minutes": 60, "title": "Làng Kim Lan"},
        ],
    )
    full = w.departure(tour, seats=2, days=4)
    w.book(full, 2)
    open_ = w.departure(tour, seats=20, days=8)
    response = client_of.get(f"/tour/{tour.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Gốm sông Hồng",
        "Xe đưa đón, vé vào cửa",
        "Đồ uống",
        "Nhà hát Lớn Hà Nội",
        "850.000",
        "500.000",
    ):
        assert text in page
    assert page.count('data-testid="timeline-stop"') == 3
    assert "phút" in page
    assert page.count('data-testid="departure-row"') == 2
    assert f"/tour/{tour.slug}/dat/{open_.pk}/" in page
    assert 'data-testid="waitlist-link"' in page  # the full one leads to its waiting list
    assert "100%" in page  # the cancellation rule


def test_a_draft_or_unknown_tour_is_404(visitor):
    draft = w.tour(publish=False)
    assert visitor.get(f"/tour/{draft.slug}/").status_code == 404
    assert visitor.get("/tour/khong-co-tour-nay/").status_code == 404


def test_the_tour_page_warns_of_a_stop_reached_when_closed(visitor):
    from ocophub.centers.models import OpeningHours

    closed = w.center("Trung tâm đóng cửa sớm")
    for weekday in range(7):
        OpeningHours.objects.create(center=closed, weekday=weekday, opens=dt.time(6), closes=dt.time(7))
    tour = w.tour(stops=[{"kind": "center", "center": closed.pk, "minutes": 60}])
    w.departure(tour)
    page = visitor.get(f"/tour/{tour.slug}/").content.decode()
    assert 'data-testid="opening-warning"' in page


# --- booking ----------------------------------------------------------------------------------------


def test_booking_two_adults_leads_to_the_ticket_with_the_transfer(client_of):
    d = w.departure(w.tour(_op()), seats=10)
    page = client_of.get(f"/tour/{d.tour.slug}/dat/{d.pk}/")
    assert page.status_code == 200
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    response = client_of.post(f"/tour/{d.tour.slug}/dat/{d.pk}/", _form(key=key))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert response["Location"] == f"/tour/ve/{booking.code}/"
    assert (booking.adults, booking.children, booking.total, booking.state) == (
        2,
        0,
        1_700_000,
        BookingState.HELD,
    )
    # the same form sent again: the same booking
    again = client_of.post(f"/tour/{d.tour.slug}/dat/{d.pk}/", _form(key=key))
    assert again["Location"] == response["Location"] and Booking.objects.count() == 1
    ticket = client_of.get(response["Location"]).content.decode()
    assert 'data-testid="vietqr"' in ticket and "1.700.000" in ticket
    assert 'data-testid="operator-records"' in ticket
    assert 'data-testid="ticket-qr"' not in ticket
    services.booking_pay(actor=None, booking=booking, reference="FT123")
    ticket = client_of.get(response["Location"]).content.decode()
    assert 'data-testid="ticket-qr"' in ticket and "<svg" in ticket and 'data-testid="vietqr"' not in ticket


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (_form(adults=0, children=0), "Một đặt chỗ cần ít nhất một người."),
        (_form(adults=-1), "Số người lớn phải là số nguyên, từ 0 trở lên."),
        (_form(adults=0, children=2), "Trẻ em trong tour này phải đi cùng ít nhất một người lớn."),
        (_form(adults=35), "Xe chỉ có tổng cộng 30 chỗ."),
        (_form(adults=45), "Tối đa 40 người cho mỗi đặt chỗ."),
        (_form(adults="hai"), "Hãy nhập một số nguyên."),
        (_form(email="khong-phai-email"), "Địa chỉ e-mail không hợp lệ."),
        (_form(name=""), "Hãy nhập tên người đặt chỗ."),
    ],
)
def test_every_bad_input_says_why_and_writes_nothing(visitor, form, message):
    d = w.departure(w.tour(), seats=30)
    response = visitor.post(f"/tour/{d.tour.slug}/dat/{d.pk}/", form)
    assert 400 <= response.status_code < 500
    assert message in response.content.decode()
    assert Booking.objects.count() == 0


def test_after_the_cutoff_or_a_past_departure_nothing_is_booked(visitor):
    tour = w.tour(cutoff_hours=48)
    late = services.departure_create(
        actor=None, tour=tour, starts_at=timezone.now() + dt.timedelta(hours=20), seats=10
    )
    response = visitor.post(f"/tour/{tour.slug}/dat/{late.pk}/", _form())
    assert (
        response.status_code == 400
        and "Đã ngừng nhận đặt chỗ từ 48 giờ trước giờ khởi hành." in response.content.decode()
    )
    from ocophub.tours.models import Departure

    Departure.objects.filter(pk=late.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    response = visitor.post(f"/tour/{tour.slug}/dat/{late.pk}/", _form())
    assert response.status_code == 400 and "Chuyến khởi hành này đã xuất phát." in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_departure_of_another_tour_is_404(visitor):
    d = w.departure()
    other = w.tour()
    assert visitor.get(f"/tour/{other.slug}/dat/{d.pk}/").status_code == 404


def test_a_sold_out_departure_offers_the_waiting_list(client_of):
    d = w.departure(w.tour(), seats=2)
    w.book(d, 2)
    page = client_of.get(f"/tour/{d.tour.slug}/dat/{d.pk}/").content.decode()
    assert 'name="action" value="waitlist"' in page
    response = client_of.post(f"/tour/{d.tour.slug}/dat/{d.pk}/", _form(action="waitlist"))
    assert response.status_code == 302 and response["Location"] == f"/tour/{d.tour.slug}/"
    entry = WaitlistEntry.objects.get()
    assert entry.state == WaitlistState.WAITING and entry.adults == 2


def test_booking_more_than_is_free_is_409_and_offers_the_waiting_list(visitor):
    d = w.departure(w.tour(), seats=3)
    w.book(d, 2)
    response = visitor.post(f"/tour/{d.tour.slug}/dat/{d.pk}/", _form(adults=2))
    assert response.status_code == 409
    assert 'name="action" value="waitlist"' in response.content.decode()
    assert Booking.objects.count() == 1


def test_an_on_request_booking_waits_for_the_operator(visitor):
    d = w.departure(w.tour(booking_type="on_request"))
    response = visitor.post(f"/tour/{d.tour.slug}/dat/{d.pk}/", _form())
    booking = Booking.objects.get()
    assert booking.state == BookingState.PENDING
    page = visitor.get(response["Location"]).content.decode()
    assert 'data-testid="pending-box"' in page and 'data-testid="vietqr"' not in page


# --- the ticket -------------------------------------------------------------------------------------


def test_a_wrong_code_is_404(visitor):
    booking = w.book(w.departure())
    assert visitor.get("/tour/ve/TKHONGCO/").status_code == 404
    assert visitor.get(f"/tour/ve/{booking.code.lower()}/").status_code == 404
    assert visitor.get(f"/tour/ve/{booking.code}/").status_code == 200


def test_the_ical_file_parses(visitor):
    booking = w.book(w.departure())
    response = visitor.get(f"/tour/ve/{booking.code}/lich.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert booking.code in str(event["description"])
    assert event.decoded("dtstart") == booking.departure.starts_at
    assert event.decoded("dtend") > event.decoded("dtstart")


def test_cancel_refunds_by_the_rule(visitor):
    booking = w.book(w.departure(days=10))
    services.booking_pay(actor=None, booking=booking)
    page = visitor.get(f"/tour/ve/{booking.code}/").content.decode()
    assert "1.700.000 ₫ (100%)" in page or "(100%)" in page
    response = visitor.post(f"/tour/ve/{booking.code}/huy/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    page = visitor.get(f"/tour/ve/{booking.code}/").content.decode()
    assert 'data-testid="refunded"' in page and "1.700.000" in page
    again = visitor.post(f"/tour/ve/{booking.code}/huy/")
    assert 400 <= again.status_code < 500


def test_a_waiting_list_offer_is_taken_from_the_ticket(visitor):
    d = w.departure(w.tour(), seats=2)
    taken = w.book(d, 2)
    entry = services.waitlist_join(actor=None, departure=d, adults=2, name="B", email="b@example.vn")
    services.booking_cancel(actor=None, booking=taken)
    entry.refresh_from_db()
    assert entry.state == WaitlistState.OFFERED and entry.booking is not None
    page = visitor.get(f"/tour/ve/{entry.booking.code}/").content.decode()
    assert 'data-testid="accept-form"' in page
    response = visitor.post(f"/tour/ve/{entry.booking.code}/nhan-cho/")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == WaitlistState.ACCEPTED
    assert visitor.post(f"/tour/ve/{taken.code}/nhan-cho/").status_code == 404


# --- the panels -------------------------------------------------------------------------------------


def test_the_village_page_shows_the_tours_through_it(visitor):
    village = CraftVillage.objects.create(
        name="Bát Tràng", slug="bat-trang-p", commune=ew.commune(), source="thử"
    )
    other = w.tour(title="Tour nơi khác")

    def grow(n: int) -> None:
        for _i in range(n):
            w.departure(
                w.tour(
                    title="Tour qua làng gốm",
                    stops=[{"kind": "village", "craft_village": village.pk, "minutes": 60}],
                )
            )

    assert_fixed_queries(lambda: visitor.get(f"/lang-nghe/{village.slug}/"), grow)
    page = visitor.get(f"/lang-nghe/{village.slug}/").content.decode()
    assert 'data-testid="tours-panel"' in page and "Tour qua làng gốm" in page and other.title not in page
    assert page.count('data-testid="tour-card"') == 4 and "/tour/?lang=bat-trang-p" in page


def test_the_center_page_shows_the_tours_through_it(client_of):
    center = w.center("Trung tâm OCOP Vạn Phúc", "20.980000", "105.770000")
    tour = w.tour(
        title="Lụa Vạn Phúc nửa ngày", stops=[{"kind": "center", "center": center.pk, "minutes": 60}]
    )
    d = w.departure(tour)
    page = client_of.get(f"/trung-tam/{center.slug}/").content.decode()
    assert 'data-testid="tours-panel"' in page and "Lụa Vạn Phúc nửa ngày" in page
    assert timezone.localtime(d.starts_at).strftime("%d/%m/%Y") in page
    assert 'data-testid="tours-panel"' not in client_of.get(f"/trung-tam/{w.center().slug}/").content.decode()


def test_the_product_page_shows_the_tours_to_its_village_and_its_centers(visitor, loaded_places):
    from ..sales import world as sw

    world = sw.build()
    by_center = w.tour(
        title="Tour qua trung tâm A", stops=[{"kind": "center", "center": world.center_a.pk, "minutes": 60}]
    )
    w.departure(by_center)
    w.tour(title="Tour không liên quan")

    def grow(n: int) -> None:
        for _i in range(n):
            w.departure(
                w.tour(
                    title="Tour thêm", stops=[{"kind": "center", "center": world.center_a.pk, "minutes": 30}]
                )
            )

    visitor.get(f"/san-pham/{world.bowl.slug}/")  # the page's QR code and caches drawn once
    assert_fixed_queries(lambda: visitor.get(f"/san-pham/{world.bowl.slug}/"), grow)
    page = visitor.get(f"/san-pham/{world.bowl.slug}/").content.decode()
    assert 'data-testid="tours-panel"' in page and "Tour không liên quan" not in page
    assert 'data-testid="tours-panel"' not in visitor.get(f"/san-pham/{world.tea.slug}/").content.decode()


def test_the_pages_speak_english_second(visitor):
    d = w.departure(w.tour(title="Gốm Bát Tràng"))
    visitor.cookies["ocophub_language"] = "en"
    listing = visitor.get("/tour/").content.decode()
    page = visitor.get(f"/tour/{d.tour.slug}/").content.decode()
    assert "Tours of the craft villages" in listing and "850,000" in listing
    assert "Itinerary" in page and "Next departures" in page and "Book" in page
