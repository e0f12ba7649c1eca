"""Route-permission rules of the tours API's itinerary order, planner and leaving the waiting list
(merged into tests/test_route_matrix.py). The city's administrator `staff` manages every operator's
tours; the customer is no member of the operator (404); the anonymous visitor is 401."""

from types import SimpleNamespace
from typing import Any

from ocophub.tours import services

from ..route_rules import Rule
from .routes_api import BASE, _book, _call

PAGES: dict[str, Rule] = {}


def _two_stops(ctx: Any, w: SimpleNamespace) -> None:
    services.tour_update(
        actor=None, tour=w.draft, meeting_latitude="21.024200", meeting_longitude="105.857500"
    )
    services.stops_set(
        actor=None,
        tour=w.draft,
        stops=[
            {"kind": "center", "center": ctx.center_a.pk, "minutes": 60},
            {"kind": "meal", "title": "Bữa trưa", "minutes": 60},
        ],
    )
    w.order = list(reversed(list(w.draft.stops.values_list("pk", flat=True))))


def _waiting(ctx: Any, w: SimpleNamespace) -> None:
    _book(w.departure, 6, "doan@example.vn")
    w.entry = services.waitlist_join(
        actor=None, departure=w.departure, adults=1, name="Chờ", email="cho@example.vn"
    )


OPERATIONS: dict[str, Rule] = {
    f"PUT {BASE}/{{tour_id}}/stops/order": Rule(
        _call(
            "put",
            lambda c, w: f"{BASE}/{w.draft.pk}/stops/order",
            lambda c, w: {"order": w.order},
            prepare=_two_stops,
        ),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"GET {BASE}/{{tour_id}}/plan": Rule(
        _call("get", lambda c, w: f"{BASE}/{w.draft.pk}/plan", prepare=_two_stops),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {BASE}/{{tour_id}}/plan/apply": Rule(
        _call("post", lambda c, w: f"{BASE}/{w.draft.pk}/plan/apply", prepare=_two_stops),
        "staff",
        200,
        401,
        other="customer",
    ),
    f"POST {BASE}/waitlist/{{entry_id}}/leave": Rule(
        _call("post", lambda c, w: f"{BASE}/waitlist/{w.entry.pk}/leave", prepare=_waiting),
        "staff",
        200,
        401,
        other="customer",
    ),
}
