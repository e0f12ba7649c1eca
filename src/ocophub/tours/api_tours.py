"""Tours API, tours: operators (the tourism department's), the public list and a tour with its
itinerary and next departures, the operators' writes (create, edit, publish, archive, set the stops),
departures one by one or from a rule, cancelled and completed, and free seats over a date range."""

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import AuthorizationError
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH, PUBLIC_AUTH
from ocophub.common.api import ERRORS_AUTH, ERRORS_PUBLIC, MAX_ID, MAX_LIMIT, MAX_OFFSET, SLUG, paginate
from ocophub.common.dates import local_today
from ocophub.common.errors import NotFound
from ocophub.events.api_events import day_start, range_check
from ocophub.inventory.schemas import Day

from . import selectors, services
from .api_common import (
    departure_out,
    departure_seats,
    managed_departure,
    managed_tour,
    operator_out,
    reads_everything,
    stops_out,
    tour_detail,
    tour_out,
    visible_tours,
)
from .models import Operator, StopKind, TourState
from .schemas import (
    DepartureIn,
    DepartureOut,
    DeparturePage,
    DepartureReasonIn,
    DeparturesMade,
    DepartureStateName,
    OperatorIn,
    OperatorOut,
    OperatorPage,
    OperatorPatch,
    RecurringDeparturesIn,
    StopsIn,
    StopsOut,
    TourAvailabilityPage,
    TourDetail,
    TourIn,
    TourPage,
    TourPatch,
    TourReasonIn,
    TourStateName,
)

router = Router(auth=API_AUTH)

MAX_RANGE_DAYS = 92  # availability over at most a quarter
OPERATOR_FIELDS = {"operator": "operator_id"}


# --- operators -------------------------------------------------------------------------------------


def managed_operator(request: HttpRequest, operator_id: int) -> Operator:
    if not permissions.can_manage_operators(request.user):
        raise AuthorizationError
    operator = Operator.objects.filter(pk=operator_id).first()
    if operator is None:
        raise Http404
    return operator


class OperatorQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/operators", response={200: OperatorPage, **ERRORS_AUTH}, summary="Tour operators")
def list_operators(request: HttpRequest, filters: Query[OperatorQuery]) -> dict:
    """The tourism department and the city read every operator; an operator's members their own; anyone
    else is 403. Two queries."""
    rows = Operator.objects.order_by("folded_name", "pk")
    if not reads_everything(request.user):
        own = permissions.scope_ids(request.user, "operator_member")
        if not own:
            raise AuthorizationError
        rows = rows.filter(pk__in=own)
    count, page = paginate(rows, filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [operator_out(o) for o in page],
    }


@router.post("/operators", response={201: OperatorOut, **ERRORS_AUTH}, summary="Register a tour operator")
def create_operator(request: HttpRequest, payload: OperatorIn) -> Status:
    """The tourism department (or the city's administrators) register a licensed travel company, or the
    department itself. A company needs its licence number (unique: 409 `licence_taken`)."""
    if not permissions.can_manage_operators(request.user):
        raise AuthorizationError
    operator = services.operator_create(actor=request.user, **payload.model_dump())
    return Status(201, operator_out(operator))


@router.patch(
    "/operators/{operator_id}", response={200: OperatorOut, **ERRORS_AUTH}, summary="Change an operator"
)
def update_operator(
    request: HttpRequest, payload: OperatorPatch, operator_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The fields sent change, the others stay; the history keeps what changed."""
    operator = managed_operator(request, operator_id)
    changes = payload.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None}  # "" clears a text
    operator = services.operator_update(actor=request.user, operator=operator, **changes)
    return operator_out(operator)


# --- tours -----------------------------------------------------------------------------------------


class TourQuery(Schema):
    operator_id: int | None = Field(None, ge=1, le=MAX_ID)
    craft_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Stops at a center or village of this craft"
    )
    village_id: int | None = Field(None, ge=1, le=MAX_ID, description="Stops at this craft village")
    center_id: int | None = Field(None, ge=1, le=MAX_ID, description="Stops at this center")
    state: TourStateName | None = Field(None, description="Drafts and archived tours show to their operator")
    date_from: Day | None = Field(None, alias="from", description="With a departure on or after this day")
    date_to: Day | None = Field(None, alias="to", description="With a departure on or before this day")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("", auth=PUBLIC_AUTH, response={200: TourPage, **ERRORS_PUBLIC}, summary="Tours")
def list_tours(request: HttpRequest, filters: Query[TourQuery]) -> dict:
    """Published tours, newest first; an operator's members also see its drafts and archived tours, the
    tourism department and the city every tour. A date range keeps the tours with a scheduled departure
    in it. Two queries whatever the page."""
    range_check(filters.date_from, filters.date_to)
    rows = visible_tours(request.user)
    if filters.operator_id is not None:
        rows = rows.filter(operator_id=filters.operator_id)
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    if filters.center_id is not None:
        rows = rows.filter(stops__center_id=filters.center_id)
    if filters.village_id is not None:
        rows = rows.filter(stops__craft_village_id=filters.village_id)
    if filters.craft_id is not None:
        rows = rows.filter(
            Q(stops__center__crafts__id=filters.craft_id)
            | Q(stops__craft_village__crafts__id=filters.craft_id)
        )
    if filters.date_from or filters.date_to:
        when: dict[str, Any] = {"departures__state": "scheduled"}
        if filters.date_from:
            when["departures__starts_at__gte"] = day_start(filters.date_from)
        if filters.date_to:
            when["departures__starts_at__lt"] = day_start(filters.date_to + dt.timedelta(days=1))
        rows = rows.filter(**when)
    count, page = paginate(rows.distinct().order_by("-pk"), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [tour_out(t) for t in page],
    }


@router.post("", response={201: TourDetail, **ERRORS_AUTH}, summary="Create a tour")
def create_tour(request: HttpRequest, payload: TourIn) -> Status:
    """An operator's member makes a draft tour of that operator (another operator is 404). Publish it
    once its stops are set."""
    operator = Operator.objects.filter(pk=payload.operator_id).first()
    if operator is None or not permissions.can_manage_operator_tours(request.user, operator):
        raise NotFound(_("No such operator among yours."), fields={"operator_id": _("Does not exist.")})
    data = payload.model_dump(exclude={"operator_id"})
    if data["refund_rule"] is None:
        data.pop("refund_rule")
    tour = services.tour_create(actor=request.user, operator=operator, **data)
    return Status(201, tour_detail(managed_tour(request, tour.pk)))


@router.get(
    "/by-slug/{slug}",
    auth=PUBLIC_AUTH,
    response={200: TourDetail, **ERRORS_PUBLIC},
    summary="A tour, by slug",
)
def get_tour_by_slug(request: HttpRequest, slug: str = Path(..., max_length=220, pattern=SLUG)) -> dict:
    """As GET /tours/{tour_id}."""
    tour = visible_tours(request.user).filter(slug=slug).first()
    if tour is None:
        raise Http404
    return tour_detail(tour)


# --- departures and availability (fixed paths before /{tour_id}) -----------------------------------


class TourAvailabilityQuery(Schema):
    date_from: Day | None = Field(None, alias="from", description="First day (default: today)")
    date_to: Day | None = Field(
        None, alias="to", description=f"Last day, at most {MAX_RANGE_DAYS} days on (default: 30 days on)"
    )
    tour_id: int | None = Field(None, ge=1, le=MAX_ID)
    operator_id: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/availability",
    auth=PUBLIC_AUTH,
    response={200: TourAvailabilityPage, **ERRORS_PUBLIC},
    summary="Free seats per departure over a date range",
)
def availability(request: HttpRequest, filters: Query[TourAvailabilityQuery]) -> dict:
    """Running departures of published tours on the days `from`..`to` (Hanoi time, both included, at
    most 92 days apart; 422 otherwise) not yet left, with their free seats (the fewest among the vehicle
    and every workshop on the itinerary), in time order: three queries."""
    since = filters.date_from or local_today()
    until = filters.date_to or since + dt.timedelta(days=30)
    range_check(since, until, max_days=MAX_RANGE_DAYS)
    now = timezone.now()
    rows = [
        r
        for r in selectors.departures_with_seats(since, until)
        if r.departure.tour.state == TourState.PUBLISHED
        and r.departure.starts_at > now
        and (filters.tour_id is None or r.departure.tour_id == filters.tour_id)
        and (filters.operator_id is None or r.departure.tour.operator_id == filters.operator_id)
    ]
    page = rows[filters.offset : filters.offset + filters.limit]
    items = []
    for r in page:
        d, tour = r.departure, r.departure.tour
        items.append(
            {
                "departure_id": d.pk,
                "tour": {"id": tour.pk, "slug": tour.slug, "name": tour.title},
                "operator": {"id": tour.operator.pk, "name": tour.operator.name},
                "starts_at": d.starts_at,
                "state": d.state,
                "seats": r.vehicle_total,
                "free_seats": r.free if d.state == "scheduled" else 0,
                "adult_price": tour.adult_price,
                "child_price": tour.child_price,
            }
        )
    return {
        "count": len(rows),
        "limit": filters.limit,
        "offset": filters.offset,
        "since": since,
        "until": until,
        "items": items,
    }


@router.post(
    "/departures/{departure_id}/cancel",
    response={200: DepartureOut, **ERRORS_AUTH},
    summary="Cancel a departure",
)
def cancel_departure(
    request: HttpRequest, payload: DepartureReasonIn, departure_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The operator cancels a departure that has not left: every booking is cancelled and refunded in
    full and told why (`reason` is required). A completed or cancelled one is 409."""
    departure = managed_departure(request, departure_id)
    services.departure_cancel(actor=request.user, departure=departure, reason=payload.reason)
    return departure_out(departure_seats(managed_departure(request, departure_id)))


@router.post(
    "/departures/{departure_id}/complete",
    response={200: DepartureOut, **ERRORS_AUTH},
    summary="Mark a departure completed",
)
def complete_departure(request: HttpRequest, departure_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """Once it has left (409 `not_started` before): completed; the waiting list closes."""
    departure = managed_departure(request, departure_id)
    services.departure_complete(actor=request.user, departure=departure)
    return departure_out(departure_seats(managed_departure(request, departure_id)))


# --- one tour --------------------------------------------------------------------------------------


@router.get("/{tour_id}", auth=PUBLIC_AUTH, response={200: TourDetail, **ERRORS_PUBLIC}, summary="A tour")
def get_tour(request: HttpRequest, tour_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """A published tour (or one of the caller's operator, or any for the city) with its stops in order,
    each timed by the planner on the next departure (with a warning when reached outside its center's
    opening hours), and its next departures with free seats. Eight queries."""
    tour = visible_tours(request.user).filter(pk=tour_id).first()
    if tour is None:
        raise Http404
    return tour_detail(tour)


@router.patch("/{tour_id}", response={200: TourDetail, **ERRORS_AUTH}, summary="Change a tour")
def update_tour(request: HttpRequest, payload: TourPatch, tour_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """The fields sent change (not once archived: 409); new prices and rules apply to new bookings."""
    tour = managed_tour(request, tour_id)
    changes = payload.model_dump(exclude_unset=True)
    nullable = {"meeting_latitude", "meeting_longitude", "summary", "description", "included", "excluded"}
    changes = {k: v for k, v in changes.items() if v is not None or k in nullable}
    services.tour_update(actor=request.user, tour=tour, **changes)
    return tour_detail(managed_tour(request, tour_id))


@router.post("/{tour_id}/publish", response={200: TourDetail, **ERRORS_AUTH}, summary="Publish a tour")
def publish_tour(request: HttpRequest, tour_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """A draft with its stops goes public (no stop: 422; not a draft: 409)."""
    tour = managed_tour(request, tour_id)
    services.tour_publish(actor=request.user, tour=tour)
    return tour_detail(managed_tour(request, tour_id))


@router.post("/{tour_id}/archive", response={200: TourDetail, **ERRORS_AUTH}, summary="Archive a tour")
def archive_tour(
    request: HttpRequest, payload: TourReasonIn, tour_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """No longer sold; departures already made still run (or are cancelled one by one)."""
    tour = managed_tour(request, tour_id)
    services.tour_archive(actor=request.user, tour=tour, reason=payload.reason)
    return tour_detail(managed_tour(request, tour_id))


@router.put("/{tour_id}/stops", response={200: StopsOut, **ERRORS_AUTH}, summary="Set a tour's stops")
def set_stops(request: HttpRequest, payload: StopsIn, tour_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    """The itinerary in order, replacing the one before: every stop right or none written (a stop
    outside Hanoi, an unknown center, village or workshop session, minutes of 0 or less are 422). Not
    while departures are running (409 `has_departures`)."""
    tour = managed_tour(request, tour_id)
    ref_of = {StopKind.CENTER: "center", StopKind.VILLAGE: "craft_village", StopKind.WORKSHOP: "session"}
    given = {"center": "center_id", "craft_village": "village_id", "session": "session_id"}
    stops = []
    for stop in payload.stops:
        raw: dict[str, Any] = {
            "kind": stop.kind,
            "title": stop.title,
            "latitude": stop.latitude,
            "longitude": stop.longitude,
            "minutes": stop.minutes,
            "note": stop.note,
        }
        ref = ref_of.get(StopKind(stop.kind))
        if ref:
            raw[ref] = getattr(stop, given[ref])
        stops.append(raw)
    services.stops_set(actor=request.user, tour=tour, stops=stops)
    items, _plan = stops_out(tour, None)
    return {"count": len(items), "items": items}


class DepartureQuery(Schema):
    date_from: Day | None = Field(None, alias="from", description="First day (default: today)")
    date_to: Day | None = Field(
        None, alias="to", description=f"Last day (default and at most {MAX_RANGE_DAYS} days on)"
    )
    state: DepartureStateName | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/{tour_id}/departures",
    auth=PUBLIC_AUTH,
    response={200: DeparturePage, **ERRORS_PUBLIC},
    summary="A tour's departures",
)
def list_departures(
    request: HttpRequest, filters: Query[DepartureQuery], tour_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """Departures of a visible tour over the days `from`..`to` (at most 92 days), by time, with their
    free seats; the operator (and the tourism department) also see cancelled and completed ones. Four
    queries."""
    since = filters.date_from or local_today()
    until = filters.date_to or since + dt.timedelta(days=MAX_RANGE_DAYS)
    range_check(since, until, max_days=MAX_RANGE_DAYS)
    tour = visible_tours(request.user).filter(pk=tour_id).first()
    if tour is None:
        raise Http404
    staff = permissions.can_view_operator_tours(request.user, tour.operator)
    rows = selectors.departures_with_seats(since, until, tour=tour, running_only=not staff)
    if filters.state is not None:
        rows = [r for r in rows if r.departure.state == filters.state]
    page = rows[filters.offset : filters.offset + filters.limit]
    return {
        "count": len(rows),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [departure_out(r) for r in page],
    }


@router.post("/{tour_id}/departures", response={201: DepartureOut, **ERRORS_AUTH}, summary="Add a departure")
def create_departure(
    request: HttpRequest, payload: DepartureIn, tour_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """A dated departure with the vehicle's seats; never in the past (422), not on an archived tour."""
    tour = managed_tour(request, tour_id)
    made = services.departure_create(
        actor=request.user, tour=tour, starts_at=payload.starts_at, seats=payload.seats
    )
    return Status(201, departure_out(departure_seats(managed_departure(request, made.pk))))


@router.post(
    "/{tour_id}/departures/recurring",
    response={201: DeparturesMade, **ERRORS_AUTH},
    summary="Add departures from a recurrence rule",
)
def create_recurring_departures(
    request: HttpRequest, payload: RecurringDeparturesIn, tour_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """The departures of a rule from `starts_on` at `start_time` (Hanoi time), until a day or for a
    count (one of them): all made or none; none in the past; at most TOURS_MAX_RECURRING."""
    tour = managed_tour(request, tour_id)
    rule = payload.rule if isinstance(payload.rule, str) else payload.rule.model_dump()
    made = services.departures_create_recurring(
        actor=request.user,
        tour=tour,
        rule=rule,
        starts_on=payload.starts_on,
        start_time=payload.start_time,
        seats=payload.seats,
        until=payload.until,
        count=payload.count,
    )
    first = timezone.localdate(made[0].starts_at)
    last = timezone.localdate(made[-1].starts_at)
    ids = {d.pk for d in made}
    rows = [r for r in selectors.departures_with_seats(first, last, tour=tour) if r.departure.pk in ids]
    return Status(201, {"count": len(rows), "items": [departure_out(r) for r in rows]})
