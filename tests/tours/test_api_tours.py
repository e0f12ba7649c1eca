"""The tours API, tours: operators (the tourism department's), the public list and a tour with its
itinerary and next departures, the operators' writes, departures and availability; for the allowed
role, another operator's member (404) and an anonymous visitor."""

import datetime as dt

import pytest
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.places.models import Craft
from ocophub.tours.models import Departure, DepartureState, Operator, Tour, TourState, TourStop

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tours"


@pytest.fixture
def place():
    a, b = w.operator(), w.operator()
    tour = w.tour(a, title="Gốm Bát Tràng một ngày")
    return {
        "a": a,
        "b": b,
        "member_a": make_user(Role.OPERATOR_MEMBER, scope_id=a.pk),
        "member_b": make_user(Role.OPERATOR_MEMBER, scope_id=b.pk),
        "tourism": make_user(Role.TOURISM),
        "tour": tour,
        "draft": w.tour(a, publish=False, title="Lụa Vạn Phúc"),
        "departure": w.departure(tour, seats=30),
    }


def _tour_body(op, **more):
    return {
        "operator_id": op.pk,
        "title": "Khảm trai Chuyên Mỹ",
        "meeting_point": "Nhà hát Lớn Hà Nội",
        "meeting_latitude": 21.0242,
        "meeting_longitude": 105.8575,
        "adult_price": 900_000,
        "child_price": 450_000,
        "languages": ["vi", "en"],
        **more,
    }


# --- operators -------------------------------------------------------------------------------------


def test_the_tourism_department_registers_and_changes_an_operator(api, place):
    body = {"name": "Công ty Du lịch Hồ Gươm", "licence_number": "01-9999/2025/TCDL-GP LHQT"}
    made = api.as_user(place["tourism"]).call("post", f"{BASE}/operators", body)
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    changed = api.call("patch", f"{BASE}/operators/{pk}", {"phone": "0912 111 222"})
    assert changed.status_code == 200, changed.content
    assert Operator.objects.get(pk=pk).phone == changed.json()["phone"] != ""
    listed = api.call("get", f"{BASE}/operators")
    assert listed.json()["count"] == 3


def test_an_operator_member_cannot_register_operators_and_reads_only_their_own(api, place):
    refused = api.as_user(place["member_a"]).call(
        "post", f"{BASE}/operators", {"name": "X", "licence_number": "1"}
    )
    assert refused.status_code == 403
    assert api.call("patch", f"{BASE}/operators/{place['b'].pk}", {"phone": ""}).status_code == 403
    listed = api.call("get", f"{BASE}/operators").json()
    assert [o["id"] for o in listed["items"]] == [place["a"].pk]
    assert Operator.objects.count() == 2


def test_a_company_without_a_licence_is_refused_in_vietnamese(api, place):
    refused = api.as_user(place["tourism"]).call("post", f"{BASE}/operators", {"name": "Công ty A"})
    assert refused.status_code == 422
    assert "licence_number" in refused.json()["error"]["fields"]
    assert Operator.objects.count() == 2


# --- tours -----------------------------------------------------------------------------------------


def test_the_public_list_shows_published_tours_in_fixed_queries(api, place, django_assert_num_queries):
    for _n in range(3):
        w.tour(place["b"])
    with django_assert_num_queries(2):
        listed = api.call("get", BASE)
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 4 and place["draft"].pk not in [t["id"] for t in body["items"]]


def test_the_list_filters_by_operator_center_and_dates(api, place):
    center = TourStop.objects.filter(tour=place["tour"]).first().center
    w.tour(place["b"])
    by_operator = api.call("get", f"{BASE}?operator_id={place['b'].pk}").json()
    assert by_operator["count"] == 1
    assert api.call("get", f"{BASE}?center_id={center.pk}").json()["count"] == 1
    craft = Craft.objects.create(name="Gốm sứ API", slug="gom-su-api")
    center.crafts.add(craft)
    assert [t["id"] for t in api.call("get", f"{BASE}?craft_id={craft.pk}").json()["items"]] == [
        place["tour"].pk
    ]
    day = timezone.localdate(place["departure"].starts_at)
    dated = api.call("get", f"{BASE}?from={day}&to={day}").json()
    assert [t["id"] for t in dated["items"]] == [place["tour"].pk]
    wrong = api.call("get", f"{BASE}?from={day}&to={day - dt.timedelta(days=1)}")
    assert wrong.status_code == 422


def test_a_member_sees_their_drafts_and_the_others_do_not(api, place):
    assert api.as_user(place["member_a"]).call("get", f"{BASE}/{place['draft'].pk}").status_code == 200
    assert api.as_user(place["member_b"]).call("get", f"{BASE}/{place['draft'].pk}").status_code == 404
    assert api.as_user(None).call("get", f"{BASE}/{place['draft'].pk}").status_code == 404
    assert api.as_user(place["tourism"]).call("get", f"{BASE}/{place['draft'].pk}").status_code == 200


def test_a_tour_shows_its_timed_itinerary_and_next_departures(api, place, django_assert_num_queries):
    with django_assert_num_queries(6):
        shown = api.call("get", f"{BASE}/{place['tour'].pk}")
    assert shown.status_code == 200, shown.content
    body = shown.json()
    assert len(body["stops"]) == 1 and body["stops"][0]["center"] is not None
    assert body["stops"][0]["arrives_at"] is not None and body["travel_minutes"] > 0
    assert [d["id"] for d in body["next_departures"]] == [place["departure"].pk]
    assert body["next_departures"][0]["free_seats"] == 30
    by_slug = api.call("get", f"{BASE}/by-slug/{place['tour'].slug}")
    assert by_slug.status_code == 200 and by_slug.json()["id"] == place["tour"].pk


def test_a_member_creates_sets_stops_publishes_and_archives_a_tour(api, place):
    center = w.center()
    member = api.as_user(place["member_a"])
    made = member.call("post", BASE, _tour_body(place["a"]))
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["state"] == "draft"
    assert member.call("post", f"{BASE}/{pk}/publish").status_code == 422  # no stops yet
    stops = member.call(
        "put",
        f"{BASE}/{pk}/stops",
        {
            "stops": [
                {"kind": "center", "center_id": center.pk, "minutes": 90},
                {"kind": "meal", "minutes": 60},
            ]
        },
    )
    assert stops.status_code == 200, stops.content
    assert stops.json()["count"] == 2
    patched = member.call("patch", f"{BASE}/{pk}", {"adult_price": 950_000})
    assert patched.status_code == 200 and patched.json()["adult_price"] == 950_000
    assert member.call("post", f"{BASE}/{pk}/publish").json()["state"] == "published"
    assert member.call("post", f"{BASE}/{pk}/archive", {"reason": "Hết mùa."}).json()["state"] == "archived"


def test_another_operator_member_gets_404_and_nothing_changes(api, place):
    other = api.as_user(place["member_b"])
    tour = place["draft"]
    assert other.call("patch", f"{BASE}/{tour.pk}", {"title": "Của tôi"}).status_code == 404
    assert other.call("post", f"{BASE}/{tour.pk}/publish").status_code == 404
    assert (
        other.call("put", f"{BASE}/{tour.pk}/stops", {"stops": [{"kind": "meal", "minutes": 30}]}).status_code
        == 404
    )
    assert other.call("post", BASE, _tour_body(place["a"])).status_code == 404
    tour.refresh_from_db()
    assert tour.title == "Lụa Vạn Phúc" and tour.state == TourState.DRAFT
    assert Tour.objects.count() == 2


def test_anonymous_writes_are_401(api, place):
    assert api.as_user(None).call("post", BASE, _tour_body(place["a"])).status_code == 401
    assert api.call("post", f"{BASE}/{place['draft'].pk}/publish").status_code == 401


def test_a_stop_outside_hanoi_or_of_no_minutes_is_refused_and_nothing_written(api, place):
    member = api.as_user(place["member_a"])
    before = list(TourStop.objects.filter(tour=place["draft"]).values_list("pk", flat=True))
    refused = member.call(
        "put",
        f"{BASE}/{place['draft'].pk}/stops",
        {"stops": [{"kind": "meal", "minutes": 0, "latitude": 10.77, "longitude": 106.7}]},
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert "stops.0.latitude" in error["fields"] and "stops.0.minutes" in error["fields"]
    assert "Hà Nội" in error["fields"]["stops.0.latitude"]
    assert list(TourStop.objects.filter(tour=place["draft"]).values_list("pk", flat=True)) == before


# --- departures and availability -------------------------------------------------------------------


def test_a_member_adds_departures_one_by_one_and_by_rule(api, place):
    member = api.as_user(place["member_a"])
    start = w.soon(20)
    one = member.call(
        "post", f"{BASE}/{place['tour'].pk}/departures", {"starts_at": start.isoformat(), "seats": 16}
    )
    assert one.status_code == 201, one.content
    assert one.json()["seats"] == 16 and one.json()["free_seats"] == 16
    made = member.call(
        "post",
        f"{BASE}/{place['tour'].pk}/departures/recurring",
        {
            "rule": "FREQ=WEEKLY;BYDAY=SA",
            "starts_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "start_time": "07:30",
            "count": 3,
            "seats": 29,
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["count"] == 3
    assert Departure.objects.filter(tour=place["tour"]).count() == 5


def test_a_departure_in_the_past_is_refused(api, place):
    past = timezone.now() - dt.timedelta(days=1)
    refused = api.as_user(place["member_a"]).call(
        "post", f"{BASE}/{place['tour'].pk}/departures", {"starts_at": past.isoformat(), "seats": 16}
    )
    assert refused.status_code == 422 and "starts_at" in refused.json()["error"]["fields"]
    assert Departure.objects.count() == 1


def test_another_operator_cannot_add_or_cancel_departures(api, place):
    other = api.as_user(place["member_b"])
    start = w.soon(20).isoformat()
    assert (
        other.call(
            "post", f"{BASE}/{place['tour'].pk}/departures", {"starts_at": start, "seats": 10}
        ).status_code
        == 404
    )
    d = place["departure"]
    assert other.call("post", f"{BASE}/departures/{d.pk}/cancel", {"reason": "x"}).status_code == 404
    d.refresh_from_db()
    assert d.state == DepartureState.SCHEDULED and Departure.objects.count() == 1


def test_cancelling_a_departure_refunds_and_a_completed_one_cannot_be_cancelled(api, place):
    booking = w.book(place["departure"], 2)
    from ocophub.tours import services

    services.booking_pay(actor=None, booking=booking, reference="FT1")
    member = api.as_user(place["member_a"])
    cancelled = member.call(
        "post", f"{BASE}/departures/{place['departure'].pk}/cancel", {"reason": "Bão lớn."}
    )
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["state"] == "cancelled"
    booking.refresh_from_db()
    assert booking.state == "cancelled"
    again = member.call("post", f"{BASE}/departures/{place['departure'].pk}/cancel", {"reason": "Bão lớn."})
    assert again.status_code == 409
    early = member.call("post", f"{BASE}/departures/{w.departure(place['tour']).pk}/complete")
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_started"


def test_availability_counts_free_seats_in_fixed_queries_and_bounds_the_range(
    api, place, django_assert_num_queries
):
    w.book(place["departure"], 3)
    for _n in range(3):
        w.departure(place["tour"], seats=10, days=12)
    today = timezone.localdate()
    with django_assert_num_queries(3):
        shown = api.call("get", f"{BASE}/availability?from={today}&to={today + dt.timedelta(days=30)}")
    assert shown.status_code == 200, shown.content
    body = shown.json()
    assert body["count"] == 4
    first = body["items"][0]
    assert first["departure_id"] == place["departure"].pk and first["free_seats"] == 27
    too_long = api.call("get", f"{BASE}/availability?from={today}&to={today + dt.timedelta(days=93)}")
    assert too_long.status_code == 422 and too_long.json()["error"]["fields"]["to"]
    assert api.call("get", f"{BASE}/availability?from=2026-13-01").status_code == 422


def test_a_tours_departures_list_for_the_public_and_the_operator(api, place, django_assert_num_queries):
    w.departure(place["tour"], days=15)
    with django_assert_num_queries(4):
        listed = api.call("get", f"{BASE}/{place['tour'].pk}/departures")
    assert listed.status_code == 200 and listed.json()["count"] == 2
    assert api.call("get", f"{BASE}/{place['draft'].pk}/departures").status_code == 404
