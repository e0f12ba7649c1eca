"""The tours API, bookings: a guest's or a customer's booking with Idempotency-Key, the ticket by its
code, cancelling, the operator's confirmation, payments and lists, the waiting list, check-in by the
guide or a center's staff; for the allowed role, another operator's member (404), an anonymous visitor."""

import pytest

from ocophub.accounts.models import Role
from ocophub.common.models import IdempotencyRecord
from ocophub.tours import services
from ocophub.tours.models import Booking, BookingType, CheckIn, Payment, WaitlistEntry

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tours"


@pytest.fixture
def place():
    a, b = w.operator(bank_bin="970436", account_number="0011001234567"), w.operator()
    center = w.center("Trung tâm OCOP Bát Tràng")
    tour = w.tour(a, stops=[{"kind": "center", "center": center.pk, "minutes": 90}])
    return {
        "a": a,
        "center": center,
        "member_a": make_user(Role.OPERATOR_MEMBER, scope_id=a.pk),
        "member_b": make_user(Role.OPERATOR_MEMBER, scope_id=b.pk),
        "staff": make_user(Role.CENTER_STAFF, scope_id=center.pk),
        "staff_elsewhere": make_user(Role.CENTER_STAFF, scope_id=w.center("Trung tâm Vạn Phúc").pk),
        "tourism": make_user(Role.TOURISM),
        "customer": make_user(Role.CUSTOMER),
        "tour": tour,
        "departure": w.departure(tour, seats=4),
    }


def _body(departure, **more):
    return {
        "departure_id": departure.pk,
        "adults": 2,
        "children": 0,
        "name": "Nguyễn Thị Hoa",
        "email": "hoa@example.vn",
        "phone": "0912 345 678",
        **more,
    }


def test_a_guest_books_two_adults_and_the_seats_are_held(api, place):
    made = api.call("post", f"{BASE}/bookings", _body(place["departure"]))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["state"] == "held" and body["total"] == 1_700_000 and body["due"] == 1_700_000
    assert body["payment_qr"] and body["expires_at"]
    assert w.counters(place["departure"].capacity_id) == (4, 2, 0, 0)
    assert api.call("get", f"{BASE}/bookings/{body['code']}").json()["code"] == body["code"]


def test_a_customer_booking_is_theirs(api, place):
    made = api.as_user(place["customer"]).call("post", f"{BASE}/bookings", _body(place["departure"]))
    assert made.status_code == 201, made.content
    assert Booking.objects.get(code=made.json()["code"]).customer == place["customer"]


def test_the_same_idempotency_key_replays_and_another_body_is_refused(api, place):
    key = {"Idempotency-Key": "dat-tour-1"}
    first = api.call("post", f"{BASE}/bookings", _body(place["departure"]), headers=key)
    again = api.call("post", f"{BASE}/bookings", _body(place["departure"]), headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    other = api.call("post", f"{BASE}/bookings", _body(place["departure"], adults=1), headers=key)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert Booking.objects.count() == 1 and IdempotencyRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [({"adults": 0}, "adults"), ({"adults": -2}, "adults"), ({"adults": 0, "children": 2}, "children")],
)
def test_a_bad_party_is_refused_in_vietnamese_and_nothing_is_written(api, place, change, field):
    refused = api.call("post", f"{BASE}/bookings", _body(place["departure"], **change))
    assert refused.status_code == 422, refused.content
    error = refused.json()["error"]
    assert error["message"] and error["fields"]
    assert Booking.objects.count() == 0
    assert w.counters(place["departure"].capacity_id) == (4, 0, 0, 0)


def test_more_people_than_free_seats_is_full(api, place):
    w.book(place["departure"], 3)
    refused = api.call("post", f"{BASE}/bookings", _body(place["departure"]))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "full"
    assert Booking.objects.count() == 1


def test_an_unknown_departure_is_404(api, place):
    refused = api.call("post", f"{BASE}/bookings", _body(place["departure"], departure_id=999_999))
    assert refused.status_code == 404 and "departure_id" in refused.json()["error"]["fields"]


def test_cancelling_by_code_gives_the_seats_back(api, place):
    booking = w.book(place["departure"], 2)
    cancelled = api.call("post", f"{BASE}/bookings/{booking.code}/cancel", {"reason": "Ốm."})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert w.counters(place["departure"].capacity_id) == (4, 0, 0, 0)
    assert api.call("post", f"{BASE}/bookings/{booking.code}/cancel", {}).status_code == 409
    assert api.call("post", f"{BASE}/bookings/NOPE-CODE/cancel", {}).status_code == 404


def test_the_operator_records_a_payment_and_another_operator_gets_404(api, place):
    booking = w.book(place["departure"], 2)
    path = f"{BASE}/bookings/{booking.code}/payments"
    assert api.as_user(place["member_b"]).call("post", path, {"reference": "FT1"}).status_code == 404
    assert Payment.objects.count() == 0
    paid = api.as_user(place["member_a"]).call("post", path, {"reference": "FT1"})
    assert paid.status_code == 200, paid.content
    assert (
        paid.json()["state"] == "confirmed" and paid.json()["paid"] == 1_700_000 and paid.json()["due"] == 0
    )
    again = api.call("post", path, {"reference": "FT1"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "paid"
    assert api.as_user(None).call("post", path, {}).status_code == 401


def test_the_operator_confirms_an_on_request_booking(api, place):
    tour = w.tour(place["a"], booking_type=BookingType.ON_REQUEST)
    booking = w.book(w.departure(tour), 2)
    path = f"{BASE}/bookings/{booking.code}/confirm"
    assert api.as_user(place["member_b"]).call("post", path).status_code == 404
    confirmed = api.as_user(place["member_a"]).call("post", path)
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    assert api.call("post", path).status_code == 409


def test_a_departures_bookings_in_fixed_queries(api, place, django_assert_num_queries):
    for _n in range(2):
        services.booking_pay(actor=None, booking=w.book(place["departure"], 1), reference="x")
    w.book(place["departure"], 1)
    member = api.as_user(place["member_a"])
    path = f"{BASE}/departures/{place['departure'].pk}/bookings"
    member.call("get", path)  # the token's first use is recorded once
    with django_assert_num_queries(5):  # the token (2), the departure, the count, the page
        listed = member.call("get", path)
    assert listed.status_code == 200 and listed.json()["count"] == 3
    assert sorted(r["paid"] for r in listed.json()["items"]) == [0, 850_000, 850_000]
    assert api.as_user(place["tourism"]).call("get", path).status_code == 200
    assert api.as_user(place["member_b"]).call("get", path).status_code == 404


def test_the_waiting_list_offers_freed_seats_that_are_accepted(api, place):
    taken = w.book(place["departure"], 4)
    joined = api.call(
        "post",
        f"{BASE}/departures/{place['departure'].pk}/waitlist",
        {"adults": 2, "name": "Trần Bình", "email": "binh@example.vn"},
    )
    assert joined.status_code == 201, joined.content
    assert joined.json()["state"] == "waiting" and joined.json()["offer_code"] is None
    services.booking_cancel(actor=None, booking=taken)
    entry = WaitlistEntry.objects.get(pk=joined.json()["id"])
    assert entry.state == "offered"
    accepted = api.call("post", f"{BASE}/bookings/{entry.booking.code}/accept")
    assert accepted.status_code == 200, accepted.content
    assert api.call("post", f"{BASE}/bookings/{taken.code}/accept").status_code == 409


def test_the_guide_checks_a_group_in_once(api, place):
    booking = services.booking_pay(actor=None, booking=w.book(place["departure"], 2), reference="x")
    guide = api.as_user(place["member_a"])
    first = guide.call("post", f"{BASE}/check-ins", {"code": booking.code})
    assert first.status_code == 201, first.content
    assert first.json()["heads"] == 2 and first.json()["booking"]["checked_in_at"]
    second = guide.call("post", f"{BASE}/check-ins", {"code": booking.code})
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_checked_in"
    assert CheckIn.objects.count() == 1


def test_center_staff_check_in_where_the_tour_stops_and_nowhere_else(api, place):
    booking = services.booking_pay(actor=None, booking=w.book(place["departure"], 2), reference="x")
    elsewhere = api.as_user(place["staff_elsewhere"]).call(
        "post", f"{BASE}/check-ins", {"code": booking.code, "center_id": place["center"].pk}
    )
    assert elsewhere.status_code == 404
    no_center = api.as_user(place["staff"]).call("post", f"{BASE}/check-ins", {"code": booking.code})
    assert no_center.status_code == 404
    assert (
        api.as_user(place["member_b"]).call("post", f"{BASE}/check-ins", {"code": booking.code}).status_code
        == 404
    )
    assert CheckIn.objects.count() == 0
    scanned = api.as_user(place["staff"]).call(
        "post", f"{BASE}/check-ins", {"code": booking.code, "center_id": place["center"].pk}
    )
    assert scanned.status_code == 201, scanned.content


def test_an_unpaid_ticket_is_not_checked_in(api, place):
    booking = w.book(place["departure"], 2)
    refused = api.as_user(place["member_a"]).call("post", f"{BASE}/check-ins", {"code": booking.code})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_paid"
    assert api.as_user(None).call("post", f"{BASE}/check-ins", {"code": booking.code}).status_code == 401
