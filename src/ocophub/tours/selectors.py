"""Reads of tours shared by the screens: departures with their free seats over a date range, an
operator's bookings. Each runs a fixed number of queries whatever the row count."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ocophub.seats import selectors as seats

from .models import RUNNING_STATES, Booking, Departure, DepartureWorkshop, Operator, Tour, TourStop


@dataclass(frozen=True)
class DepartureSeats:
    departure: Departure
    # the fewest free seats among the vehicle and every workshop on the itinerary
    free: int
    vehicle_total: int


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def departures_with_seats(
    first_day: dt.date,
    last_day: dt.date,
    *,
    tour: Tour | None = None,
    operator: Operator | None = None,
    running_only: bool = True,
) -> list[DepartureSeats]:
    """Departures from `first_day` to `last_day` (Hanoi days, both included), by time, each with its
    free seats: three queries (the departures, the workshops' capacities, the seats)."""
    rows = Departure.objects.filter(
        starts_at__gte=_day_start(first_day), starts_at__lt=_day_start(last_day + dt.timedelta(days=1))
    ).select_related("tour__operator", "capacity")
    if running_only:
        rows = rows.filter(state__in=RUNNING_STATES)
    if tour is not None:
        rows = rows.filter(tour=tour)
    if operator is not None:
        rows = rows.filter(tour__operator=operator)
    departures = list(rows.order_by("starts_at", "pk"))
    workshops = workshop_capacities([d.pk for d in departures])
    bundles = {d.pk: ([d.capacity_id] if d.capacity_id else []) + workshops.get(d.pk, []) for d in departures}
    free = seats.free_of_bundles(bundles) if bundles else {}
    return [
        DepartureSeats(d, max(free.get(d.pk, 0), 0), d.capacity.total if d.capacity else 0)
        for d in departures
    ]


def workshop_capacities(departure_ids: list[int]) -> dict[int, list[int]]:
    """Each departure's workshop capacities, in the itinerary's order: those of the sessions its
    workshop stops take on its day (DepartureWorkshop). One query."""
    found: dict[int, list[int]] = {}
    if not departure_ids:
        return found
    for departure_id, capacity_id in (
        DepartureWorkshop.objects.filter(departure_id__in=departure_ids, session__capacity__isnull=False)
        .order_by("departure_id", "stop__position")
        .values_list("departure_id", "session__capacity_id")
    ):
        found.setdefault(departure_id, []).append(capacity_id)
    return found


def bookings_of_operator(operator: Operator) -> QuerySet[Booking]:
    """Every booking on the operator's tours, newest first, with its departure and tour."""
    return (
        Booking.objects.filter(departure__tour__operator=operator)
        .select_related("departure__tour")
        .order_by("-pk")
    )


def tours_of_operator(operator: Operator) -> QuerySet[Tour]:
    return Tour.objects.filter(operator=operator).order_by("-pk")


def itinerary(tour: Tour) -> list[TourStop]:
    """The tour's stops in order, with what the planner and the timeline read, in one query."""
    return list(
        TourStop.objects.filter(tour=tour)
        .select_related("center", "craft_village", "session__event__center")
        .order_by("position")
    )


def operator_desks(operator_ids: set[int]) -> list[tuple[int, str]]:
    """(id, name) of the active operators among `operator_ids`, by name, for the work menu: one query."""
    if not operator_ids:
        return []
    return list(
        Operator.objects.filter(pk__in=operator_ids, is_active=True)
        .order_by("folded_name", "pk")
        .values_list("pk", "name")
    )
