"""The OCTO-shaped endpoints: products with their option and units, availability → reserve → confirm →
cancel with the seats counted at each step, another operator's product (404), no token (401)."""

import pytest
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.tours.models import Booking, Payment

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db

BASE = "/api/v1/octo"


@pytest.fixture
def place():
    a, b = w.operator(), w.operator()
    tour = w.tour(a, title="Gốm Bát Tràng và Kim Lan")
    return {
        "tour": tour,
        "departure": w.departure(tour, seats=10),
        "reseller": make_user(Role.OPERATOR_MEMBER, scope_id=a.pk),
        "other": make_user(Role.OPERATOR_MEMBER, scope_id=b.pk),
    }


def _availability(api, place):
    day = timezone.localdate(place["departure"].starts_at).isoformat()
    body = {
        "productId": str(place["tour"].pk),
        "optionId": "DEFAULT",
        "localDateStart": day,
        "localDateEnd": day,
    }
    response = api.call("post", f"{BASE}/availability", body)
    assert response.status_code == 200, response.content
    (slot,) = response.json()
    return slot


def test_products_have_one_option_with_adult_and_child_units(api, place):
    listed = api.as_user(place["reseller"]).call("get", f"{BASE}/products")
    assert listed.status_code == 200, listed.content
    (product,) = listed.json()
    assert product["id"] == str(place["tour"].pk) and product["availabilityType"] == "START_TIME"
    (option,) = product["options"]
    assert option["id"] == "DEFAULT" and [u["type"] for u in option["units"]] == ["ADULT", "CHILD"]
    assert option["availabilityLocalStartTimes"] == ["08:00"]
    one = api.call("get", f"{BASE}/products/{place['tour'].pk}")
    assert one.status_code == 200 and one.json()["id"] == product["id"]


def test_availability_reserve_confirm_cancel_round_trip_counts_seats(api, place):
    api.as_user(place["reseller"])
    slot = _availability(api, place)
    assert slot["status"] == "AVAILABLE" and slot["vacancies"] == 10 and slot["capacity"] == 10
    assert slot["id"] == str(place["departure"].pk) and slot["localDateTimeStart"].startswith(
        timezone.localtime(place["departure"].starts_at).isoformat()[:16]
    )
    reserve = {
        "productId": str(place["tour"].pk),
        "optionId": "DEFAULT",
        "availabilityId": slot["id"],
        "unitItems": [{"unitId": "adult"}] * 4 + [{"unitId": "child"}] * 2,
        "expirationMinutes": 30,
    }
    held = api.call("post", f"{BASE}/bookings", reserve)
    assert held.status_code == 200, held.content
    booking = held.json()
    assert booking["status"] == "ON_HOLD" and booking["uuid"] and booking["utcExpiresAt"]
    assert len(booking["unitItems"]) == 6
    assert _availability(api, place)["vacancies"] == 4
    assert _availability(api, place)["status"] == "LIMITED"
    assert w.counters(place["departure"].capacity_id) == (10, 6, 0, 0)

    confirm = {
        "contact": {"fullName": "Lê Thu Trang", "emailAddress": "trang@agency.vn"},
        "resellerReference": "AG-77",
    }
    confirmed = api.call("post", f"{BASE}/bookings/{booking['uuid']}/confirm", confirm)
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "CONFIRMED"
    assert confirmed.json()["contact"]["emailAddress"] == "trang@agency.vn"
    assert w.counters(place["departure"].capacity_id) == (10, 0, 6, 0)
    assert Payment.objects.get().reference == "OCTO AG-77"
    assert api.call("get", f"{BASE}/bookings/{booking['uuid']}").json()["status"] == "CONFIRMED"

    cancelled = api.call("post", f"{BASE}/bookings/{booking['uuid']}/cancel", {"reason": "Khách đổi lịch."})
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "CANCELLED"
    assert w.counters(place["departure"].capacity_id) == (10, 0, 0, 0)
    assert _availability(api, place)["vacancies"] == 10


def test_sold_out_and_too_many_units(api, place):
    api.as_user(place["reseller"])
    reserve = {
        "productId": str(place["tour"].pk),
        "optionId": "DEFAULT",
        "availabilityId": str(place["departure"].pk),
        "unitItems": [{"unitId": "adult"}] * 10,
    }
    assert api.call("post", f"{BASE}/bookings", reserve).status_code == 200
    assert _availability(api, place)["status"] == "SOLD_OUT"
    again = api.call("post", f"{BASE}/bookings", reserve | {"unitItems": [{"unitId": "adult"}]})
    assert again.status_code == 409 and again.json()["error"]["code"] == "full"
    bad_unit = api.call("post", f"{BASE}/bookings", reserve | {"unitItems": [{"unitId": "senior"}]})
    assert bad_unit.status_code == 422 and "unitItems" in bad_unit.json()["error"]["fields"]
    assert Booking.objects.count() == 1


def test_another_operators_product_and_booking_are_404_and_no_token_is_401(api, place):
    api.as_user(place["reseller"])
    reserve = {
        "productId": str(place["tour"].pk),
        "optionId": "DEFAULT",
        "availabilityId": str(place["departure"].pk),
        "unitItems": [{"unitId": "adult"}],
    }
    uuid = api.call("post", f"{BASE}/bookings", reserve).json()["uuid"]
    api.as_user(place["other"])
    assert api.call("get", f"{BASE}/products").json() == []
    assert api.call("get", f"{BASE}/products/{place['tour'].pk}").status_code == 404
    assert api.call("post", f"{BASE}/bookings", reserve).status_code == 404
    assert api.call("get", f"{BASE}/bookings/{uuid}").status_code == 404
    assert api.call("post", f"{BASE}/bookings/{uuid}/cancel", {}).status_code == 404
    api.as_user(None)
    assert api.call("get", f"{BASE}/products").status_code == 401
    assert Booking.objects.get().state == "held"
