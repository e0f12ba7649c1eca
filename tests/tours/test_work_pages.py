"""The operators' and the tourism department's work pages: who may open them, every form's bad input
(a Vietnamese message beside the field, a 4xx, nothing written), fixed query counts on lists, the
planner's proposed order, the manifest in Excel."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from ocophub.accounts.models import Role
from ocophub.tours import services
from ocophub.tours.models import Booking, BookingState, Departure, Operator, Payment, Tour, TourState

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    operator = w.operator()
    other = w.operator()
    return {
        "operator": operator,
        "other": other,
        "member": make_user(Role.OPERATOR_MEMBER, scope_id=operator.pk),
        "peer": make_user(Role.OPERATOR_MEMBER, scope_id=other.pk),
        "tourism": make_user(Role.TOURISM),
    }


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    if user is not None:
        client.force_login(user)
    return client


def base(operator) -> str:
    return f"/lam-viec/tour/{operator.pk}"


TOUR = {
    "title": "Một ngày ở Bát Tràng",
    "meeting_point": "Nhà hát Lớn",
    "meeting_latitude": "21.024200",
    "meeting_longitude": "105.857500",
    "languages": ["vi", "en"],
    "adult_price": "850.000",
    "child_price": "500.000",
    "children_need_adult": "on",
    "booking_type": "instant",
    "cutoff_hours": "24",
    "refund_rule": "7:100\n2:50",
}


# --- who may open them ------------------------------------------------------------------------------


def test_the_tours_list_is_for_the_operators_members(desk):
    tour = w.tour(desk["operator"], title="Gốm và sơn mài")
    w.tour(desk["other"], title="Lụa Vạn Phúc")
    response = client_for(desk["member"]).get(f"{base(desk['operator'])}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gốm và sơn mài" in html and "Lụa Vạn Phúc" not in html
    assert client_for(desk["peer"]).get(f"{base(desk['operator'])}/").status_code == 404
    assert client_for(desk["peer"]).get(f"{base(desk['operator'])}/{tour.pk}/").status_code == 404
    assert client_for(desk["member"]).get(f"{base(desk['other'])}/").status_code == 404
    # the department reads every operator's tours
    assert client_for(desk["tourism"]).get(f"{base(desk['operator'])}/").status_code == 200


def test_a_visitor_goes_to_the_login_page_and_other_roles_get_404(desk):
    response = client_for(None).get(f"{base(desk['operator'])}/")
    assert (
        response.status_code == 302
        and "/dang-nhap/" in response["Location"]
        or "login" in response["Location"]
    )
    center = w.center()
    for user in (make_user(Role.CENTER_STAFF, scope_id=center.pk), make_user(Role.CUSTOMER)):
        client = client_for(user)
        assert client.get(f"{base(desk['operator'])}/").status_code == 404
        assert client.get("/lam-viec/tour/don-vi/").status_code == 404
        assert client.get(f"{base(desk['operator'])}/soat-ve/").status_code == 404


def test_a_tour_of_another_operator_is_404_even_through_its_own_operators_url(desk):
    theirs = w.tour(desk["other"])
    client = client_for(desk["member"])
    assert client.get(f"{base(desk['operator'])}/{theirs.pk}/").status_code == 404
    response = client.post(f"{base(desk['operator'])}/{theirs.pk}/", TOUR)
    assert response.status_code == 404
    assert Tour.objects.get(pk=theirs.pk).title != TOUR["title"]


def test_the_menu_shows_the_members_operator_and_the_departments_operators(desk):
    html = client_for(desk["member"]).get(f"{base(desk['operator'])}/").content.decode()
    assert f'href="/lam-viec/tour/{desk["operator"].pk}/" data-testid="tours-link"' in html
    html = client_for(desk["tourism"]).get("/lam-viec/tour/don-vi/").content.decode()
    assert 'data-testid="tour-operators-link"' in html


# --- the department's operators ---------------------------------------------------------------------


def test_the_department_registers_edits_and_deactivates_an_operator(desk):
    client = client_for(desk["tourism"])
    response = client.post(
        "/lam-viec/tour/don-vi/moi/",
        {
            "name": "Công ty Lữ hành Hồ Gươm",
            "kind": "company",
            "licence_number": "01-999/2025/TCDL-GP LHQT",
            "phone": "0912 000 111",
            "email": "dieuhanh@hoguom.vn",
            "bank_bin": "970436",
            "account_number": "0011 0022",
            "account_holder": "Cong ty Ho Guom",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    made = Operator.objects.get(name="Công ty Lữ hành Hồ Gươm")
    assert made.account_number == "00110022" and made.is_active
    response = client.post(
        f"/lam-viec/tour/don-vi/{made.pk}/",
        {"name": made.name, "kind": "company", "licence_number": made.licence_number},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert not made.is_active


def test_an_operator_with_bad_details_is_refused_beside_the_fields(desk):
    client = client_for(desk["tourism"])
    before = Operator.objects.count()
    response = client.post(
        "/lam-viec/tour/don-vi/moi/",
        {"name": "Công ty X", "kind": "company", "licence_number": "", "email": "không phải thư"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="field-error-licence_number"' in html and "giấy phép" in html
    assert Operator.objects.count() == before
    response = client.post(
        "/lam-viec/tour/don-vi/moi/",
        {"name": "Công ty Y", "kind": "company", "licence_number": desk["other"].licence_number},
    )
    assert response.status_code == 409 and Operator.objects.count() == before


def test_the_operators_list_runs_a_fixed_number_of_queries(desk, django_assert_num_queries):
    client = client_for(desk["tourism"])
    client.get("/lam-viec/tour/don-vi/")
    for _ in range(3):
        w.operator()
    # session, user, grants, the operators (with their tours counted), the menu's operators
    with django_assert_num_queries(4):
        response = client.get("/lam-viec/tour/don-vi/")
    assert response.content.decode().count('data-testid="operator-row"') == Operator.objects.count()


# --- tours ------------------------------------------------------------------------------------------


def test_a_member_creates_edits_publishes_and_archives_a_tour(desk):
    client = client_for(desk["member"])
    response = client.post(f"{base(desk['operator'])}/moi/", TOUR)
    assert response.status_code == 302
    tour = Tour.objects.get(operator=desk["operator"])
    assert tour.adult_price == 850_000 and tour.refund_rule == [
        {"days": 7, "percent": 100},
        {"days": 2, "percent": 50},
    ]
    assert tour.state == TourState.DRAFT and tour.children_need_adult
    # publishing without stops is refused
    response = client.post(f"{base(desk['operator'])}/{tour.pk}/cong-bo/")
    assert response.status_code == 400 and "điểm dừng" in response.content.decode()
    center = w.center()
    response = client.post(
        f"{base(desk['operator'])}/{tour.pk}/diem-dung/",
        {"kind": "center", "place": str(center.pk), "minutes": "90"},
    )
    assert response.status_code == 302 and tour.stops.count() == 1
    response = client.post(f"{base(desk['operator'])}/{tour.pk}/", TOUR | {"booking_type": "on_request"})
    assert response.status_code == 302
    assert client.post(f"{base(desk['operator'])}/{tour.pk}/cong-bo/").status_code == 302
    assert client.post(f"{base(desk['operator'])}/{tour.pk}/luu-tru/").status_code == 302
    tour.refresh_from_db()
    assert tour.state == TourState.ARCHIVED and tour.booking_type == "on_request"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"adult_price": "-5"}, "adult_price"),
        ({"adult_price": "nhiều"}, "adult_price"),
        ({"meeting_latitude": "10.5"}, "meeting_latitude"),
        ({"refund_rule": "bảy ngày"}, "refund_rule"),
        ({"refund_rule": "7:150"}, "refund_rule"),
        ({"cutoff_hours": "9999"}, "cutoff_hours"),
        ({"languages": []}, "languages"),
    ],
)
def test_a_tour_with_bad_input_is_refused_beside_the_field(desk, change, field):
    response = client_for(desk["member"]).post(f"{base(desk['operator'])}/moi/", TOUR | change)
    assert response.status_code == 400
    assert f'data-testid="field-error-{field}"' in response.content.decode()
    assert not Tour.objects.filter(operator=desk["operator"]).exists()


def test_the_tours_list_runs_a_fixed_number_of_queries(desk, django_assert_num_queries):
    client = client_for(desk["member"])
    w.tour(desk["operator"])
    client.get(f"{base(desk['operator'])}/")
    for _ in range(3):
        w.tour(desk["operator"])
    # session, user, grants, the operator, the tours with their counts, the menu's operators
    with django_assert_num_queries(6):
        response = client.get(f"{base(desk['operator'])}/")
    assert response.content.decode().count('data-testid="tour-row"') == 4


# --- the itinerary ----------------------------------------------------------------------------------


def test_a_stop_without_its_place_or_minutes_is_refused(desk):
    tour = w.tour(desk["operator"], publish=False)
    client = client_for(desk["member"])
    url = f"{base(desk['operator'])}/{tour.pk}/diem-dung/"
    response = client.post(url, {"kind": "center", "minutes": "60"})
    assert response.status_code == 400 and "Tìm và chọn" in response.content.decode()
    response = client.post(url, {"kind": "meal", "minutes": "0"})
    assert response.status_code == 400 and 'data-testid="field-error-minutes"' in response.content.decode()
    response = client.post(url, {"kind": "center", "place": "999999", "minutes": "60"})
    assert response.status_code == 400
    assert tour.stops.count() == 1


def test_the_place_search_returns_a_few_matches(desk):
    tour = w.tour(desk["operator"], publish=False)
    w.center("Trung tâm OCOP Kim Lan")
    response = client_for(desk["member"]).get(
        f"{base(desk['operator'])}/{tour.pk}/tim-dia-diem/", {"kind": "center", "q": "kim lan"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kim Lan" in html and html.count('data-testid="place-choice"') == 1


def test_stops_are_reordered_removed_and_the_planner_proposes_the_best_order(desk):
    # meeting at the Opera House; the near center visited last, the far one first: the planner swaps them
    far = w.center("Trung tâm OCOP Đường Lâm", lat="21.155000", lng="105.470000")
    near = w.center("Trung tâm OCOP Bát Tràng", lat="20.975000", lng="105.912000")
    middle = w.center("Trung tâm OCOP Vạn Phúc", lat="20.980000", lng="105.770000")
    tour = w.tour(
        desk["operator"],
        publish=False,
        stops=[
            {"kind": "center", "center": near.pk, "minutes": 60},
            {"kind": "center", "center": far.pk, "minutes": 60},
            {"kind": "center", "center": middle.pk, "minutes": 60},
        ],
    )
    client = client_for(desk["member"])
    response = client.get(f"{base(desk['operator'])}/{tour.pk}/de-xuat-thu-tu/")
    assert response.status_code == 200
    proposal = response.context["proposal"]
    assert proposal["saved"] > 0 and proposal["changed"]
    assert [s.center_id for s in proposal["order"]] in (
        [near.pk, middle.pk, far.pk],
        [far.pk, middle.pk, near.pk],
    )
    order = [str(s.pk) for s in proposal["order"]]
    response = client.post(f"{base(desk['operator'])}/{tour.pk}/de-xuat-thu-tu/", {"order": order})
    assert response.status_code == 302
    assert [str(pk) for pk in tour.stops.order_by("position").values_list("pk", flat=True)] == order
    # again: already the best
    response = client.get(f"{base(desk['operator'])}/{tour.pk}/de-xuat-thu-tu/")
    assert not response.context["proposal"]["changed"]
    first = tour.stops.order_by("position").first()
    assert (
        client.post(
            f"{base(desk['operator'])}/{tour.pk}/diem-dung/{first.pk}/chuyen/", {"direction": "down"}
        ).status_code
        == 302
    )
    assert tour.stops.order_by("position").values_list("pk", flat=True)[1] == first.pk
    assert client.post(f"{base(desk['operator'])}/{tour.pk}/diem-dung/{first.pk}/xoa/").status_code == 302
    assert tour.stops.count() == 2
    # a bad order (a stop missing) is refused, nothing moved
    response = client.post(f"{base(desk['operator'])}/{tour.pk}/de-xuat-thu-tu/", {"order": order[:1]})
    assert response.status_code == 400


def test_the_tour_page_shows_the_timeline(desk):
    tour = w.tour(desk["operator"])
    response = client_for(desk["member"]).get(f"{base(desk['operator'])}/{tour.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="timeline-row"') == 1


# --- departures and bookings ------------------------------------------------------------------------


def test_departures_one_and_repeating_and_bad_input(desk):
    tour = w.tour(desk["operator"])
    client = client_for(desk["member"])
    day = w.soon(5)
    response = client.post(
        f"{base(desk['operator'])}/{tour.pk}/chuyen-moi/",
        {"day": f"{day:%d/%m/%Y}", "start": "07:30", "seats": "29"},
    )
    assert response.status_code == 302
    assert Departure.objects.get(tour=tour).capacity.total == 29
    for bad, field in (
        ({"day": "01/01/2020"}, "day"),
        ({"day": "31/02/2030"}, "day"),
        ({"seats": "0"}, "seats"),
        ({"start": "25:00"}, "start"),
    ):
        data = {"day": f"{day:%d/%m/%Y}", "start": "07:30", "seats": "29"} | bad
        response = client.post(f"{base(desk['operator'])}/{tour.pk}/chuyen-moi/", data)
        assert response.status_code == 400, bad
        assert f'data-testid="field-error-{field}"' in response.content.decode(), bad
    assert Departure.objects.filter(tour=tour).count() == 1
    response = client.post(
        f"{base(desk['operator'])}/{tour.pk}/chuyen-lap-lai/",
        {"freq": "daily", "starts_on": f"{day:%d/%m/%Y}", "count": "3", "start": "09:00", "seats": "20"},
    )
    assert response.status_code == 302
    assert Departure.objects.filter(tour=tour).count() == 4
    response = client.post(
        f"{base(desk['operator'])}/{tour.pk}/chuyen-lap-lai/",
        {"freq": "weekly", "starts_on": f"{day:%d/%m/%Y}", "count": "3", "start": "09:00", "seats": "20"},
    )
    assert response.status_code == 400 and 'data-testid="field-error-weekdays"' in response.content.decode()
    assert Departure.objects.filter(tour=tour).count() == 4


def test_the_bookings_page_confirms_records_a_transfer_cancels_and_exports(desk, mailoutbox):
    tour = w.tour(desk["operator"], booking_type="on_request")
    departure = w.departure(tour, seats=10)
    pending = w.book(departure, 2, 1, name="Nguyễn Văn An")
    client = client_for(desk["member"])
    page = f"{base(desk['operator'])}/chuyen/{departure.pk}/"
    response = client.get(page)
    assert response.status_code == 200 and "Nguyễn Văn An" in response.content.decode()
    # paying before confirming is refused
    response = client.post(f"{base(desk['operator'])}/dat-cho/{pending.pk}/thanh-toan/", {"reference": "FT1"})
    assert response.status_code == 409 and not Payment.objects.exists()
    assert client.post(f"{base(desk['operator'])}/dat-cho/{pending.pk}/xac-nhan/").status_code == 302
    response = client.post(
        f"{base(desk['operator'])}/dat-cho/{pending.pk}/thanh-toan/", {"reference": "FT123"}
    )
    assert response.status_code == 302
    assert Payment.objects.get(booking=pending).reference == "FT123"
    other = w.book(departure, 1, name="Trần Thị Bình")
    services.booking_confirm(actor=None, booking=other)
    assert client.post(f"{base(desk['operator'])}/dat-cho/{other.pk}/huy/").status_code == 302
    assert Booking.objects.get(pk=other.pk).state == BookingState.CANCELLED
    response = client.get(f"{base(desk['operator'])}/chuyen/{departure.pk}/danh-sach-khach.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    codes = [row[0] for row in rows]
    assert pending.code in codes and other.code in codes and len(rows) >= 3
    # another operator's booking and departure are 404
    peer = client_for(desk["peer"])
    assert peer.get(page).status_code == 404
    assert peer.post(f"{base(desk['other'])}/dat-cho/{pending.pk}/huy/").status_code == 404


def test_the_bookings_page_runs_a_fixed_number_of_queries(desk, django_assert_num_queries):
    departure = w.departure(w.tour(desk["operator"]))
    w.book(departure)
    client = client_for(desk["member"])
    page = f"{base(desk['operator'])}/chuyen/{departure.pk}/"
    client.get(page)
    for _ in range(3):
        w.book(departure)
    # session, user, grants, operator, departure, bookings with paid, check-ins, waiting list, menu
    with django_assert_num_queries(9):
        response = client.get(page)
    assert response.content.decode().count('data-testid="booking-row"') == 4


def test_a_departure_is_cancelled_with_a_reason_and_completed_only_once_left(desk, mailoutbox):
    departure = w.departure(w.tour(desk["operator"]))
    booking = w.book(departure)
    services.booking_pay(actor=None, booking=booking, reference="FT9")
    client = client_for(desk["member"])
    url = f"{base(desk['operator'])}/chuyen/{departure.pk}/"
    response = client.post(f"{url}huy/", {"reason": ""})
    assert response.status_code == 400 and 'data-testid="field-error-reason"' in response.content.decode()
    assert Departure.objects.get(pk=departure.pk).state == "scheduled"
    response = client.post(f"{url}hoan-thanh/")
    assert response.status_code == 409
    assert client.post(f"{url}huy/", {"reason": "Bão số 3"}).status_code == 302
    assert Departure.objects.get(pk=departure.pk).state == "cancelled"
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CANCELLED
    # cancelling again is refused
    assert client.post(f"{url}huy/", {"reason": "Lần nữa"}).status_code == 409


def test_the_department_makes_a_person_a_member_of_an_operator(desk):
    from ocophub.accounts import permissions

    person = make_user(Role.CUSTOMER)
    person.email = "huongdanvien@example.vn"
    person.save()
    client = client_for(desk["tourism"])
    url = f"/lam-viec/tour/don-vi/{desk['operator'].pk}/thanh-vien/"
    response = client.post(url, {"login": "khongai@example.vn"})
    assert response.status_code == 400 and 'data-testid="field-error-login"' in response.content.decode()
    assert client.post(url, {"login": "huongdanvien@example.vn"}).status_code == 302
    person.refresh_from_db()
    assert permissions.can_manage_operator_tours(person, desk["operator"])
    # an operator's own member cannot grant
    assert client_for(desk["member"]).post(url, {"login": "huongdanvien@example.vn"}).status_code == 404
