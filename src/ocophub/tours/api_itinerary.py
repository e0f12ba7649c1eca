"""Tours API, the itinerary's order and the waiting list: an operator member puts a tour's stops in
an order, asks the planner for the order that minimises travel from the meeting point and back (with
its opening-hours warnings) and applies it; a waiting party (or the operator) takes an entry off a
departure's waiting list. Another operator's tour or entry is 404."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field, StrictInt

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH
from ocophub.common.api import ERRORS_AUTH, MAX_ID

from . import selectors, services
from .api_bookings import entry_out
from .api_common import managed_tour, stops_out
from .models import WaitlistEntry
from .schemas import StopsOut, TourWaitlistOut
from .views_work import proposed_order, stop_name

router = Router(auth=API_AUTH)

MAX_ORDER = 100


class StopOrderIn(Schema):
    order: list[StrictInt] = Field(max_length=MAX_ORDER, description="Every stop's id once, in the new order")


class TourPlanWarning(Schema):
    stop_id: int
    name: str
    message: str


class TourPlanOut(Schema):
    order: list[int] = Field(
        description="The stops' ids in the proposed order (meals and free time keep their places)"
    )
    changed: bool = Field(description="False when the present order is already as short")
    current_travel_minutes: int
    proposed_travel_minutes: int
    saved_minutes: int
    exact: bool = Field(description="True when the order is the proven optimum (small itineraries)")
    warnings: list[TourPlanWarning] = Field(description="Stops reached outside their center's opening hours")


def _stops(tour: Any) -> dict[str, Any]:
    items, _plan = stops_out(tour, None)
    return {"count": len(items), "items": items}


def _plan(tour: Any) -> dict[str, Any]:
    stops = selectors.itinerary(tour)
    proposal = proposed_order(tour, stops)
    names = {stop_name(stop): stop.pk for stop in stops}
    return {
        "order": [stop.pk for stop in proposal["order"]],
        "changed": proposal["changed"],
        "current_travel_minutes": proposal["current_travel"],
        "proposed_travel_minutes": proposal["proposed_travel"],
        "saved_minutes": proposal["saved"],
        "exact": proposal["exact"],
        "warnings": [
            {"stop_id": names.get(name, 0), "name": name, "message": message}
            for name, message in proposal["warnings"]
        ],
    }


@router.put(
    "/{tour_id}/stops/order", response={200: StopsOut, **ERRORS_AUTH}, summary="Reorder a tour's stops"
)
def reorder_stops(
    request: HttpRequest, payload: StopOrderIn, tour_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The itinerary's stops in a new order: every stop's id once (a missing, repeated or unknown id
    is 422); not once the tour is archived (409)."""
    tour = managed_tour(request, tour_id)
    services.stops_reorder(actor=request.user, tour=tour, order=payload.order)
    return _stops(tour)


@router.get(
    "/{tour_id}/plan", response={200: TourPlanOut, **ERRORS_AUTH}, summary="Propose a tour's stop order"
)
def get_plan(request: HttpRequest, tour_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """The planner's order of the stops with a place, from the meeting point and back: exact
    (Held–Karp) for small itineraries, nearest neighbour with 2-opt beyond. Timed on the next
    departure (else tomorrow at 08:00). Without the meeting point's coordinates: 422."""
    return _plan(managed_tour(request, tour_id))


@router.post(
    "/{tour_id}/plan/apply", response={200: StopsOut, **ERRORS_AUTH}, summary="Apply the proposed stop order"
)
def apply_plan(request: HttpRequest, tour_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """Put the stops in the planner's order (as GET /tours/{tour_id}/plan proposes it now)."""
    tour = managed_tour(request, tour_id)
    plan = _plan(tour)
    services.stops_reorder(actor=request.user, tour=tour, order=plan["order"])
    return _stops(tour)


@router.post(
    "/waitlist/{entry_id}/leave",
    response={200: TourWaitlistOut, **ERRORS_AUTH},
    summary="Leave a departure's waiting list",
)
def leave_waitlist(request: HttpRequest, entry_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """The customer who joined, or a member of the tour's operator, takes the entry off the list;
    seats offered to it go to the next in line. An entry already left, expired or taken is 409;
    someone else's is 404."""
    entry = WaitlistEntry.objects.select_related("departure__tour__operator").filter(pk=entry_id).first()
    if entry is None or not (
        (entry.customer_id is not None and entry.customer_id == request.user.pk)
        or permissions.can_manage_operator_tours(request.user, entry.departure.tour.operator)
    ):
        raise Http404
    services.waitlist_leave(actor=request.user, entry=entry)
    return entry_out(WaitlistEntry.objects.select_related("booking").get(pk=entry.pk))
