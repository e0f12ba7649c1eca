"""Reads of the public tour pages: the published tours matching the list's filters, and each tour's
coming departures with their free seats — a fixed number of queries whatever the row count."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ocophub.seats import selectors as seats

from .models import Departure, DepartureState, Tour, TourState
from .selectors import DepartureSeats, workshop_capacities

# how far ahead the pages look for departures, and how many per tour at most
HORIZON_DAYS = 180
DEPARTURES_PER_TOUR = 12


def public_tours() -> QuerySet[Tour]:
    return Tour.objects.filter(state=TourState.PUBLISHED, operator__is_active=True)


def public_tour(slug: str) -> Tour | None:
    return public_tours().select_related("operator").filter(slug=slug).first()


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_tours(
    *,
    craft_id: int | None = None,
    village_id: int | None = None,
    center_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Tour]:
    """Published tours whose stops match, and (with days) that have a running departure in them."""
    rows = public_tours()
    if craft_id is not None:
        rows = rows.filter(Q(stops__craft_village__crafts=craft_id) | Q(stops__center__crafts=craft_id))
    if village_id is not None:
        rows = rows.filter(
            Q(stops__craft_village_id=village_id) | Q(stops__center__craft_village_id=village_id)
        )
    if center_id is not None:
        rows = rows.filter(Q(stops__center_id=center_id) | Q(stops__session__event__center_id=center_id))
    if since is not None or until is not None:
        departures = Departure.objects.filter(state=DepartureState.SCHEDULED, starts_at__gt=timezone.now())
        if since is not None:
            departures = departures.filter(starts_at__gte=_start(since))
        if until is not None:
            departures = departures.filter(starts_at__lt=_start(until + dt.timedelta(days=1)))
        rows = rows.filter(pk__in=departures.values("tour_id"))
    return rows.distinct().select_related("operator").prefetch_related("photos").order_by("-pk")


def coming_departures(tour_ids: list[int], *, limit: int = 500) -> dict[int, list[DepartureSeats]]:
    """Each tour's departures still to come (up to HORIZON_DAYS), by time, with their free seats:
    three queries at most (the departures, the workshops' capacities, the seats)."""
    if not tour_ids:
        return {}
    now = timezone.now()
    departures = list(
        Departure.objects.filter(
            tour_id__in=tour_ids,
            state__in=(DepartureState.SCHEDULED, DepartureState.SOLD_OUT),
            starts_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=HORIZON_DAYS),
        )
        .select_related("capacity", "tour")
        .order_by("starts_at", "pk")[:limit]
    )
    if not departures:
        return {}
    workshops = workshop_capacities([d.pk for d in departures])
    bundles = {d.pk: ([d.capacity_id] if d.capacity_id else []) + workshops.get(d.pk, []) for d in departures}
    free = seats.free_of_bundles(bundles)
    found: dict[int, list[DepartureSeats]] = {}
    for d in departures:
        rows = found.setdefault(d.tour_id, [])
        if len(rows) < DEPARTURES_PER_TOUR:
            rows.append(DepartureSeats(d, max(free.get(d.pk, 0), 0), d.capacity.total if d.capacity else 0))
    return found


def bookable(row: DepartureSeats, now: dt.datetime | None = None) -> bool:
    """A departure still taking bookings now: scheduled, seats free and before its cut-off."""
    now = now or timezone.now()
    departure = row.departure
    cutoff = departure.starts_at - dt.timedelta(hours=departure.tour.cutoff_hours)
    return departure.state == DepartureState.SCHEDULED and row.free > 0 and cutoff > now


def next_bookable(rows: list[DepartureSeats]) -> DepartureSeats | None:
    now = timezone.now()
    return next((row for row in rows if bookable(row, now)), None)


def tours_visiting(
    *, village_ids: list[int] | None = None, center_ids: list[int] | None = None, limit: int = 6
) -> list[Any]:
    """Published tours with a stop at one of the villages or centers, newest first (one query)."""
    condition = Q(pk__in=[])
    if village_ids:
        condition |= Q(stops__craft_village_id__in=village_ids) | Q(
            stops__center__craft_village_id__in=village_ids
        )
    if center_ids:
        condition |= Q(stops__center_id__in=center_ids) | Q(stops__session__event__center_id__in=center_ids)
    return list(
        public_tours()
        .filter(condition)
        .distinct()
        .select_related("operator")
        .prefetch_related("photos")
        .order_by("-pk")[:limit]
    )
