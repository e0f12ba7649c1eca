"""Route-permission rules of the tours API and its OCTO-shaped endpoints (merged into
tests/test_route_matrix.py, whose context holds center_a with staff_a, center_b with staff_b, the
city's administrator `staff`, who manages every operator's tours, and a customer).

Each call makes what it needs through the services (the test's savepoint takes it away again): an
operator with a published tour stopping at center_a, a departure of 10 seats with a paid booking and a
held one, and a draft tour. Another operator's tours are 404 to whoever is not its member (the
customer here); the operators' register is the tourism department's (403 to others).
"""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.utils import timezone

from ocophub.tours import services

from ..route_rules import Rule

PAGES: dict[str, Rule] = {}
BASE = "/api/v1/tours"
OCTO = "/api/v1/octo"
_n = iter(range(1, 10**6))


def _start(days: int = 10) -> dt.datetime:
    return (timezone.localtime() + dt.timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)


def _book(departure: Any, adults: int, email: str) -> Any:
    return services.booking_create(
        actor=None, departure=departure, adults=adults, name="Khách đoàn", email=email, phone="0912 345 678"
    )


def tours_at(ctx: Any) -> SimpleNamespace:
    w = SimpleNamespace()
    n = next(_n)
    w.operator = services.operator_create(
        actor=None, name=f"Lữ hành Hồ Tây {n}", licence_number=f"01-R{n:04d}/2025/TCDL-GP LHQT"
    )
    stops = [{"kind": "center", "center": ctx.center_a.pk, "minutes": 90}]
    w.tour = services.tour_create(
        actor=None,
        operator=w.operator,
        title=f"Gốm Bát Tràng {n}",
        meeting_point="Hồ Gươm",
        adult_price=500_000,
    )
    services.stops_set(actor=None, tour=w.tour, stops=stops)
    services.tour_publish(actor=None, tour=w.tour)
    w.draft = services.tour_create(
        actor=None, operator=w.operator, title=f"Lụa Vạn Phúc {n}", meeting_point="Hà Đông"
    )
    w.departure = services.departure_create(actor=None, tour=w.tour, starts_at=_start(), seats=10)
    w.paid = services.booking_pay(actor=None, booking=_book(w.departure, 2, "an@example.vn"), reference="FT")
    w.held = _book(w.departure, 2, "binh@example.vn")
    return w


def _call(
    method: str, path: Callable[[Any, SimpleNamespace], str], body: Any = None, *, prepare: Any = None
) -> Callable[[Client, Any], Any]:
    def call(client: Client, ctx: Any) -> Any:
        w = tours_at(ctx)
        if prepare:
            prepare(ctx, w)
        data = body(ctx, w) if callable(body) else body
        send = getattr(client, method)
        if method == "get":
            return send(path(ctx, w))
        return send(path(ctx, w), data or {}, content_type="application/json")

    return call


def _full(ctx: Any, w: SimpleNamespace) -> None:
    _book(w.departure, 6, "doan@example.vn")


def _offer(ctx: Any, w: SimpleNamespace) -> None:
    """The departure full, a waiting party, seats freed: w.offer_code is the offer's code."""
    full = _book(w.departure, 6, "doan@example.vn")
    entry = services.waitlist_join(
        actor=None, departure=w.departure, adults=2, name="Chờ", email="cho@example.vn"
    )
    services.booking_cancel(actor=None, booking=full)
    entry.refresh_from_db()
    w.offer_code = entry.booking.code


def _on_request(ctx: Any, w: SimpleNamespace) -> None:
    services.tour_update(actor=None, tour=w.tour, booking_type="on_request")
    w.pending = _book(w.departure, 1, "cuong@example.vn")


def _octo_reserve(c: Any, w: SimpleNamespace) -> dict:
    return {
        "productId": str(w.tour.pk),
        "optionId": "DEFAULT",
        "availabilityId": str(w.departure.pk),
        "unitItems": [{"unitId": "adult"}],
        "contact": {"fullName": "Lê Trang", "emailAddress": "trang@agency.vn"},
    }


def _day(w: SimpleNamespace) -> str:
    return timezone.localdate(w.departure.starts_at).isoformat()


OPERATIONS: dict[str, Rule] = {
    f"GET {BASE}": Rule(_call("get", lambda c, w: BASE), None, 200, 200),
    f"POST {BASE}": Rule(
        _call(
            "post",
            lambda c, w: BASE,
            lambda c, w: {"operator_id": w.operator.pk, "title": "Khảm trai", "meeting_point": "Hồ Gươm"},
        ),
        "staff",
        201,
        401,
        other="customer",
    ),
    f"GET {BASE}/{{tour_id}}": Rule(
        _call("get", lambda c, w: f"{BASE}/{w.draft.pk}"), "staff", 200, 404, other="customer"
    ),
    f"GET {BASE}/by-slug/{{slug}}": Rule(
        _call("get", lambda c, w: f"{BASE}/by-slug/{w.draft.slug}"), "staff", 200, 404, other="customer"
    ),
    f"PATCH {BASE}/{{tour_id}}": Rule(
        _call("patch", lambda c, w: f"{BASE}/{w.draft.pk}", {"summary": "Một ngày"}),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {BASE}/{{tour_id}}/publish": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/{w.draft.pk}/publish",
            prepare=lambda c, w: services.stops_set(
                actor=None, tour=w.draft, stops=[{"kind": "meal", "minutes": 60}]
            ),
        ),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {BASE}/{{tour_id}}/archive": Rule(
        _call("post", lambda c, w: f"{BASE}/{w.draft.pk}/archive", {"reason": "Hết mùa."}),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"PUT {BASE}/{{tour_id}}/stops": Rule(
        _call("put", lambda c, w: f"{BASE}/{w.draft.pk}/stops", {"stops": [{"kind": "meal", "minutes": 60}]}),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"GET {BASE}/{{tour_id}}/departures": Rule(
        _call("get", lambda c, w: f"{BASE}/{w.draft.pk}/departures"), "staff", 200, 404, other="customer"
    ),
    f"POST {BASE}/{{tour_id}}/departures": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/{w.tour.pk}/departures",
            lambda c, w: {"starts_at": _start(20).isoformat(), "seats": 16},
        ),
        "staff",
        201,
        401,
        other="customer",
    ),
    f"POST {BASE}/{{tour_id}}/departures/recurring": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/{w.tour.pk}/departures/recurring",
            lambda c, w: {
                "rule": "FREQ=WEEKLY;BYDAY=SA",
                "starts_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
                "start_time": "07:30",
                "count": 2,
                "seats": 20,
            },
        ),
        "staff",
        201,
        401,
        other="customer",
    ),
    f"POST {BASE}/departures/{{departure_id}}/cancel": Rule(
        _call("post", lambda c, w: f"{BASE}/departures/{w.departure.pk}/cancel", {"reason": "Bão."}),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {BASE}/departures/{{departure_id}}/complete": Rule(
        _call("post", lambda c, w: f"{BASE}/departures/{w.departure.pk}/complete"),
        "staff",
        409,  # not left yet: the caller is allowed, the departure's state refuses
        401,
        other="customer",
    ),
    f"GET {BASE}/availability": Rule(_call("get", lambda c, w: f"{BASE}/availability"), None, 200, 200),
    f"GET {BASE}/operators": Rule(
        _call("get", lambda c, w: f"{BASE}/operators"), "staff", 200, 401, "customer", 403
    ),
    f"POST {BASE}/operators": Rule(
        _call("post", lambda c, w: f"{BASE}/operators", {"name": "Sở Du lịch Hà Nội", "kind": "department"}),
        "staff",
        201,
        401,
        "customer",
        403,
    ),
    f"PATCH {BASE}/operators/{{operator_id}}": Rule(
        _call("patch", lambda c, w: f"{BASE}/operators/{w.operator.pk}", {"phone": "0912 111 222"}),
        "staff",
        200,
        401,
        "customer",
        403,
    ),
    f"POST {BASE}/bookings": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/bookings",
            lambda c, w: {
                "departure_id": w.departure.pk,
                "adults": 2,
                "name": "Lê Văn Cường",
                "email": "cuong@example.vn",
            },
        ),
        None,
        201,
        201,
    ),
    f"GET {BASE}/bookings/{{code}}": Rule(
        _call("get", lambda c, w: f"{BASE}/bookings/{w.held.code}"), None, 200, 200
    ),
    f"POST {BASE}/bookings/{{code}}/cancel": Rule(
        _call("post", lambda c, w: f"{BASE}/bookings/{w.held.code}/cancel"), None, 200, 200
    ),
    f"POST {BASE}/bookings/{{code}}/accept": Rule(
        _call("post", lambda c, w: f"{BASE}/bookings/{w.offer_code}/accept", prepare=_offer), None, 200, 200
    ),
    f"POST {BASE}/departures/{{departure_id}}/waitlist": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/departures/{w.departure.pk}/waitlist",
            {"adults": 1, "name": "Trần Thị Bình", "email": "tran.binh@example.vn"},
            prepare=_full,
        ),
        None,
        201,
        201,
    ),
    f"POST {BASE}/bookings/{{code}}/confirm": Rule(
        _call("post", lambda c, w: f"{BASE}/bookings/{w.pending.code}/confirm", prepare=_on_request),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {BASE}/bookings/{{code}}/payments": Rule(
        _call("post", lambda c, w: f"{BASE}/bookings/{w.held.code}/payments", {"reference": "FT2"}),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"GET {BASE}/departures/{{departure_id}}/bookings": Rule(
        _call("get", lambda c, w: f"{BASE}/departures/{w.departure.pk}/bookings"),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {BASE}/check-ins": Rule(
        _call(
            "post",
            lambda c, w: f"{BASE}/check-ins",
            lambda c, w: {"code": w.paid.code, "center_id": c.center_a.pk},
        ),
        "staff_a",
        201,
        401,
        other="staff_b",
    ),
    f"GET {OCTO}/products": Rule(
        _call("get", lambda c, w: f"{OCTO}/products"), "staff", 200, 401, "customer", 200
    ),
    f"GET {OCTO}/products/{{product_id}}": Rule(
        _call("get", lambda c, w: f"{OCTO}/products/{w.tour.pk}"), "staff", 200, 401, other="customer"
    ),
    f"POST {OCTO}/availability": Rule(
        _call(
            "post",
            lambda c, w: f"{OCTO}/availability",
            lambda c, w: {
                "productId": str(w.tour.pk),
                "optionId": "DEFAULT",
                "localDateStart": _day(w),
                "localDateEnd": _day(w),
            },
        ),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {OCTO}/bookings": Rule(
        _call("post", lambda c, w: f"{OCTO}/bookings", _octo_reserve), "staff", 200, 401, other="customer"
    ),
    f"GET {OCTO}/bookings/{{uuid}}": Rule(
        _call("get", lambda c, w: f"{OCTO}/bookings/{w.held.code}"), "staff", 200, 401, other="customer"
    ),
    f"POST {OCTO}/bookings/{{uuid}}/confirm": Rule(
        _call(
            "post",
            lambda c, w: f"{OCTO}/bookings/{w.held.code}/confirm",
            {"contact": {"fullName": "Lê Trang", "emailAddress": "trang@agency.vn"}},
        ),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {OCTO}/bookings/{{uuid}}/cancel": Rule(
        _call("post", lambda c, w: f"{OCTO}/bookings/{w.held.code}/cancel"),
        "staff",
        200,
        401,
        other="customer",
    ),
}
