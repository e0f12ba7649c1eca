"""Reads of a center's event pages for its staff: fixed query counts whatever the number of rows."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.seats import selectors as seats
from ocophub.seats.selectors import Seats

from .models import (
    ACTIVE_STATES,
    CheckIn,
    Event,
    EventState,
    Registration,
    RegistrationState,
    Session,
    SessionState,
    WaitlistEntry,
)
from .selectors import registration_by_code, registrations_with_money

PAGE_SIZE = 20


@dataclass(frozen=True)
class EventPage:
    events: Sequence[Event]
    next_before: int | None  # the keyset of the next page (events with a smaller id)


def center_events(center: Center, *, state: str = "", before: int | None = None) -> EventPage:
    """The center's events, newest first, each with its number of sessions and next start: one query
    for the page (keyset by id: `before` is the last id of the page before)."""
    now = timezone.now()
    rows = Event.objects.filter(center=center)
    if state:
        rows = rows.filter(state=state)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    found = list(
        rows.annotate(
            session_count=Count("sessions", filter=Q(sessions__state=SessionState.SCHEDULED)),
            next_start=Min(
                "sessions__starts_at",
                filter=Q(sessions__state=SessionState.SCHEDULED, sessions__starts_at__gt=now),
            ),
        ).order_by("-pk")[: PAGE_SIZE + 1]
    )
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return EventPage(found, found[-1].pk if more and found else None)


def center_event(center: Center, pk: int) -> Event | None:
    return Event.objects.filter(center=center, pk=pk).first()


def center_session(center: Center, pk: int) -> Session | None:
    return Session.objects.select_related("event", "capacity").filter(event__center=center, pk=pk).first()


def center_registration(center: Center, pk: int) -> Registration | None:
    return (
        Registration.objects.select_related("session__event")
        .filter(session__event__center=center, pk=pk)
        .first()
    )


@dataclass(frozen=True)
class SessionRow:
    session: Session
    seats: Seats | None
    registered: int  # parties holding or having seats

    @property
    def free(self) -> int:
        return self.seats.free if self.seats else 0


def event_sessions(event: Event) -> list[SessionRow]:
    """The event's sessions in time order with their seats and active parties: two queries."""
    sessions = list(
        Session.objects.filter(event=event)
        .annotate(registered=Count("registrations", filter=Q(registrations__state__in=ACTIVE_STATES)))
        .order_by("starts_at", "pk")
    )
    counters = seats.seats_of([s.capacity_id for s in sessions if s.capacity_id])
    return [SessionRow(s, counters.get(s.capacity_id or 0), s.registered) for s in sessions]


@dataclass(frozen=True)
class Featured:
    products: list[Product]
    producers: list[Producer]


def featured_of(event: Event) -> Featured:
    return Featured(
        list(event.products.select_related("producer").order_by("name", "pk")),
        list(event.producers.order_by("name", "pk")),
    )


@dataclass
class SessionRegistrations:
    registrations: list[Registration]
    waitlist: list[WaitlistEntry]
    seats: Seats | None
    people: dict[str, int] = field(default_factory=dict)  # state → people
    checked_in: int = 0


def session_registrations(session: Session) -> SessionRegistrations:
    """Every party of the session (all states) with paid, refunded and check-in, the waiting list
    (all states) and the seats: three queries."""
    registrations = list(
        registrations_with_money(Registration.objects.filter(session=session))
        .select_related("check_in")
        .order_by("pk")
    )
    waitlist = list(WaitlistEntry.objects.filter(session=session).order_by("pk"))
    counter = seats.seats_of([session.capacity_id]).get(session.capacity_id) if session.capacity_id else None
    people: dict[str, int] = {}
    checked_in = 0
    for row in registrations:
        people[row.state] = people.get(row.state, 0) + row.party_size
        check_in = getattr(row, "check_in", None)
        if check_in is not None:
            checked_in += check_in.heads
    return SessionRegistrations(registrations, waitlist, counter, people, checked_in)


def attendees(session: Session) -> list[Registration]:
    """The parties who come (held or confirmed), by name, with money and check-in: one query."""
    return list(
        registrations_with_money(
            Registration.objects.filter(
                session=session,
                state__in=[*ACTIVE_STATES, RegistrationState.CANCELLED, RegistrationState.REFUNDED],
            )
        )
        .select_related("check_in")
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class TodayRow:
    session: Session
    expected: int  # people confirmed
    checked_in: int


def today_at(center: Center, day: dt.date | None = None) -> list[TodayRow]:
    """The center's sessions of the day (and any other whose tickets were scanned today) with the
    people expected and checked in: two queries."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    scanned_today = CheckIn.objects.filter(center=center, day=day).values("session_id")
    sessions = list(
        Session.objects.filter(
            Q(
                state=SessionState.SCHEDULED,
                event__state=EventState.PUBLISHED,
                starts_at__lt=end,
                ends_at__gt=start,
            )
            | Q(pk__in=scanned_today),
            event__center=center,
        )
        .select_related("event")
        .annotate(
            expected=Sum(
                "registrations__party_size",
                filter=Q(registrations__state=RegistrationState.CONFIRMED),
                default=0,
            )
        )
        .order_by("starts_at", "pk")
    )
    heads = {
        row["session_id"]: int(row["n"])
        for row in CheckIn.objects.filter(session_id__in=[s.pk for s in sessions])
        .values("session_id")
        .annotate(n=Sum("heads"))
        .order_by("session_id")
    }
    return [TodayRow(s, s.expected, heads.get(s.pk, 0)) for s in sessions]


def checked_in_of(code: str) -> CheckIn | None:
    """The check-in of a ticket already scanned (for "already checked in at …"): one query."""
    registration = registration_by_code(code)
    if registration is None:
        return None
    return (
        CheckIn.objects.select_related("registration", "session__event")
        .filter(registration=registration)
        .first()
    )
