"""Departures: one by one or from a recurrence rule; sold out and open again with their seats;
cancelled (every booking refunded in full and told) and completed."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError, NotFound
from ocophub.events.models import Session, SessionState
from ocophub.events.services.sessions import FREQUENCIES, WEEKDAYS
from ocophub.seats import selectors as seat_selectors
from ocophub.seats import services as seats
from ocophub.seats.services import MAX_SEATS

from .. import notices
from ..models import (
    ACTIVE_STATES,
    DEPARTURE_TRANSITIONS,
    RUNNING_STATES,
    Booking,
    Departure,
    DepartureEvent,
    DepartureState,
    DepartureWorkshop,
    StopKind,
    Tour,
    TourState,
    TourStop,
    WaitlistEntry,
    WaitlistState,
)
from .base import OWNER_TYPE, actor_or_none, invalid, max_recurring, move, whole

# A departure lasts at most this long after it leaves for the planner's and the completion's sake.
MAX_DAYS = 14


def departure_move(departure: Departure, to_state: str, *, actor: Any, reason: str = "") -> str:
    return move(
        departure,
        to_state,
        DEPARTURE_TRANSITIONS,
        actor=actor,
        reason=reason,
        event_model=DepartureEvent,
        event_field="departure",
        labels=DepartureState,
    )


def locked_departure(departure: Departure | int) -> Departure:
    """The departure's row, locked for the transaction: every write about its seats starts here (the
    order of locks in the package's docstring)."""
    pk = departure.pk if isinstance(departure, Departure) else departure
    if not whole(pk):
        raise NotFound(_("No such departure."), fields={"departure": _("Unknown departure.")})
    found = Departure.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such departure."), fields={"departure": _("Unknown departure.")})
    return Departure.objects.select_related("tour__operator", "capacity").get(pk=found.pk)


def capacity_ids(departure: Departure) -> list[int]:
    """The capacities a booking on the departure holds seats on: the vehicle, then every workshop
    session the departure takes on its day (one all-or-nothing hold across them)."""
    from ..selectors import workshop_capacities

    ids = [departure.capacity_id] if departure.capacity_id else []
    return list(dict.fromkeys(ids + workshop_capacities([departure.pk]).get(departure.pk, [])))


def _workshops_of_day(tour: Tour, starts_at: dt.datetime) -> list[tuple[TourStop, Session]]:
    """For each workshop stop, the session of its event on the departure's day (Hanoi time): the
    stop's own session when it is that day, else the event's first scheduled session of the day.
    A day without one refuses the departure."""
    day = timezone.localtime(starts_at).date()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    picked: list[tuple[TourStop, Session]] = []
    missing: list[str] = []
    stops = TourStop.objects.filter(tour=tour, kind=StopKind.WORKSHOP, session__isnull=False)
    for stop in stops.select_related("session__event").order_by("position"):
        own = stop.session
        if own is None:
            continue
        if start <= own.starts_at < start + dt.timedelta(days=1):
            session: Session | None = own
        else:
            session = (
                Session.objects.filter(
                    event_id=own.event_id,
                    state=SessionState.SCHEDULED,
                    starts_at__gte=start,
                    starts_at__lt=start + dt.timedelta(days=1),
                )
                .order_by("starts_at", "pk")
                .first()
            )
        if session is None:
            missing.append(stop.title or own.event.title)
        else:
            picked.append((stop, session))
    if missing:
        raise invalid(
            {
                "starts_at": _("No session of the workshop “%(name)s” on %(day)s.")
                % {"name": ", ".join(missing), "day": f"{day:%d/%m/%Y}"}
            }
        )
    return picked


def free_of(departure: Departure) -> int:
    """Free seats of a departure: the fewest among its vehicle and its workshops."""
    return seat_selectors.free_of_bundles({departure.pk: capacity_ids(departure)})[departure.pk]


def sync_sold_out(departure: Departure, *, actor: Any) -> None:
    """A scheduled departure with no free seat is sold out; a sold-out one with seats again reopens.

    Called with the departure locked, so the state read here is the one written."""
    departure.refresh_from_db(fields=["state"])
    free = free_of(departure)
    if departure.state == DepartureState.SCHEDULED and free <= 0:
        departure_move(departure, DepartureState.SOLD_OUT, actor=actor, reason=_("No seat left."))
    elif departure.state == DepartureState.SOLD_OUT and free > 0:
        departure_move(departure, DepartureState.SCHEDULED, actor=actor, reason=_("Seats free again."))


def _departure_check(tour: Tour, starts_at: Any, seats_total: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    if tour.state == TourState.ARCHIVED:
        errors["tour"] = _("This tour is archived.")
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        errors["starts_at"] = _("Enter a date and time.")
    elif starts_at <= timezone.now():
        errors["starts_at"] = _("A departure must be in the future.")
    if not whole(seats_total) or not 0 < seats_total <= MAX_SEATS:
        errors["seats"] = _("The vehicle's seats must be a whole number above zero.")
    return errors


def _departure_make(*, actor: Any, tour: Tour, starts_at: dt.datetime, seats_total: int) -> Departure:
    workshops = _workshops_of_day(tour, starts_at)
    departure = Departure.objects.create(tour=tour, starts_at=starts_at)
    DepartureWorkshop.objects.bulk_create(
        DepartureWorkshop(departure=departure, stop=stop, session=session) for stop, session in workshops
    )
    local = timezone.localtime(starts_at)
    departure.capacity = seats.capacity_create(
        actor=actor,
        owner_type=OWNER_TYPE,
        owner_id=departure.pk,
        total=seats_total,
        key="vehicle",
        label=f"{tour.title[:160]} {local:%d/%m/%Y %H:%M}",
    )
    departure.save(update_fields=["capacity"])
    DepartureEvent.objects.create(
        departure=departure, actor=actor_or_none(actor), to_state=DepartureState.SCHEDULED
    )
    return departure


@transaction.atomic
def departure_create(*, actor: Any, tour: Tour, starts_at: Any, seats: Any) -> Departure:
    """A dated departure of the tour with a vehicle of `seats` seats (never in the past)."""
    tour = Tour.objects.get(pk=tour.pk)
    errors = _departure_check(tour, starts_at, seats)
    if errors:
        raise invalid(errors)
    return _departure_make(actor=actor, tour=tour, starts_at=starts_at, seats_total=seats)


def _occurrences(
    rule: str | dict[str, Any], first: dt.datetime, until: dt.date | None, count: int | None, cap: int
) -> list[dt.datetime]:
    from dateutil import rrule as rr

    until_at = dt.datetime.combine(until, dt.time(23, 59, 59)) if until else None
    if isinstance(rule, str):
        text = rule.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        recurrence: Any = rr.rrulestr(text, dtstart=first, ignoretz=True)
        if not isinstance(recurrence, rr.rrule):
            raise ValueError("one rule only")
        ends: dict[str, Any] = {}
        if until_at:
            ends["until"], ends["count"] = until_at, None
        if count:
            ends["count"], ends["until"] = count, None
        if ends:
            recurrence = recurrence.replace(**ends)
    else:
        freq = FREQUENCIES[str(rule.get("freq", "")).lower()]
        interval = int(rule.get("interval", 1))
        days = [WEEKDAYS[str(day).upper()] for day in rule.get("byweekday", [])] or None
        recurrence = rr.rrule(
            freq, dtstart=first, interval=interval, byweekday=days, until=until_at, count=count
        )
    if recurrence._until is None and recurrence._count is None:
        raise invalid({"until": _("Say until when the departures repeat, or how many there are.")})
    out = []
    for start in recurrence:
        out.append(start)
        if len(out) > cap:
            break
    return out


@transaction.atomic
def departures_create_recurring(
    *,
    actor: Any,
    tour: Tour,
    rule: str | dict[str, Any],
    starts_on: dt.date,
    start_time: dt.time,
    seats: Any,
    until: dt.date | None = None,
    count: int | None = None,
) -> list[Departure]:
    """The departures a recurrence rule gives ("FREQ=WEEKLY;BYDAY=SA" or {"freq": "weekly",
    "byweekday": ["SA"]}) from `starts_on` at `start_time` (Hanoi time), until a day or for a count;
    all made or none, at most TOURS_MAX_RECURRING, none in the past."""
    tour = Tour.objects.get(pk=tour.pk)
    errors: dict[str, str] = {}
    if not isinstance(starts_on, dt.date) or not isinstance(start_time, dt.time):
        errors["starts_on"] = _("Enter the first day and the departure time.")
    if count is not None and (not whole(count) or count <= 0):
        errors["count"] = _("A whole number above zero.")
    elif count is not None and until is not None:
        errors["count"] = _("Give an end day or a number of departures, not both.")
    if errors:
        raise invalid(errors)
    cap = max_recurring()
    try:
        starts = _occurrences(rule, dt.datetime.combine(starts_on, start_time), until, count, cap)
    except DomainError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError):
        raise invalid(
            {"rule": _("Not a recurrence rule this site understands (e.g. FREQ=WEEKLY;BYDAY=SA).")}
        ) from None
    if not starts:
        raise invalid({"rule": _("The rule gives no departure.")})
    if len(starts) > cap:
        raise invalid({"count": _("At most %(n)s departures at once.") % {"n": cap}})
    made = []
    for start in starts:
        starts_at = timezone.make_aware(start)
        errors = _departure_check(tour, starts_at, seats)
        if errors:
            day = f"{timezone.localtime(starts_at):%d/%m/%Y}"
            raise DomainError(
                _("The departure of %(day)s: %(message)s")
                % {"day": day, "message": " ".join(str(m) for m in errors.values())},
                fields=errors,
            )
        made.append(_departure_make(actor=actor, tour=tour, starts_at=starts_at, seats_total=seats))
    return made


@transaction.atomic
def departure_cancel(*, actor: Any, departure: Departure, reason: str) -> Departure:
    """The operator cancels a departure that has not left: every booking is cancelled and refunded in
    full (the visitors' rule does not apply to the operator's own cancellation), the waiting list
    closed, every party e-mailed. A completed departure cannot be cancelled."""
    from .bookings import cancel

    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": _("Say why the departure is cancelled: the booked parties are told.")})
    departure = locked_departure(departure)
    if departure.state not in RUNNING_STATES:
        raise Conflict(
            _("This departure is “%(state)s”: it cannot be cancelled.")
            % {"state": departure.get_state_display()},
            fields={"state": _("Not allowed from the current state.")},
            code=f"state_{departure.state}",
        )
    if departure.starts_at <= timezone.now():
        raise Conflict(
            _("The departure has left: it can no longer be cancelled."),
            fields={"departure": _("Already left.")},
            code="started",
        )
    departure_move(departure, DepartureState.CANCELLED, actor=actor, reason=reason)
    bookings = list(
        Booking.objects.select_related("hold", "departure__tour").filter(
            departure=departure, state__in=ACTIVE_STATES
        )
    )
    for booking in bookings:
        cancel(booking, actor=actor, reason=reason, share=100, offer=False)
    entries = WaitlistEntry.objects.filter(
        departure=departure, state__in=(WaitlistState.WAITING, WaitlistState.OFFERED)
    )
    entry_ids = list(entries.values_list("pk", flat=True))
    entries.update(state=WaitlistState.EXPIRED, updated_at=timezone.now())
    ids = [b.pk for b in bookings]
    departure_id = departure.pk
    transaction.on_commit(
        lambda: notices.departure_cancelled(departure_id, ids, entry_ids, reason), robust=True
    )
    return departure


@transaction.atomic
def departure_complete(*, actor: Any, departure: Departure) -> Departure:
    """The departure has run: it is completed (only once it has left). Unpaid holds are let go."""
    departure = locked_departure(departure)
    if departure.starts_at > timezone.now():
        raise Conflict(
            _("The departure has not left yet."), fields={"departure": _("Not left yet.")}, code="not_started"
        )
    departure_move(departure, DepartureState.COMPLETED, actor=actor)
    WaitlistEntry.objects.filter(
        departure=departure, state__in=(WaitlistState.WAITING, WaitlistState.OFFERED)
    ).update(state=WaitlistState.EXPIRED, updated_at=timezone.now())
    return departure
