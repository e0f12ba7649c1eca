"""Reads of events shared by the screens, the API and the city dashboard: fixed query counts."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.catalogue.models import Producer, Product, ProductStatus
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.text import Folded, search_terms
from ocophub.seats import selectors as seats

from .models import (
    ACTIVE_STATES,
    CheckIn,
    Event,
    EventEvent,
    EventState,
    Payment,
    PaymentState,
    Refund,
    Registration,
    RegistrationEvent,
    Session,
    SessionEvent,
    SessionState,
    WaitlistEntry,
    WaitlistState,
)


@dataclass(frozen=True)
class SessionSeats:
    session: Session
    total: int
    free: int


def sessions_with_seats(
    *,
    center_id: int | None = None,
    event_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    kind: str | None = None,
    craft_id: int | None = None,
    village_id: int | None = None,
    free: bool | None = None,
    published_only: bool = True,
    limit: int = 200,
    offset: int = 0,
    public_centers: bool = False,
) -> list[SessionSeats]:
    """Scheduled sessions (of published events) with their free seats, for the calendar and the
    availability answer: filtered by center, event, kind, the center's craft or craft village, a time
    range, and free (price 0) or paid (`public_centers`: at the centers the public sees only);
    `limit` rows from `offset` in time order; two queries whatever the number of sessions."""
    rows = Session.objects.filter(state=SessionState.SCHEDULED).select_related("event__center")
    if published_only:
        rows = rows.filter(event__state=EventState.PUBLISHED)
    if public_centers:
        rows = rows.filter(event__center__status__in=PUBLIC_STATUSES)
    if center_id is not None:
        rows = rows.filter(event__center_id=center_id)
    if event_id is not None:
        rows = rows.filter(event_id=event_id)
    if kind is not None:
        rows = rows.filter(event__kind=kind)
    if craft_id is not None:
        rows = rows.filter(event__center__crafts__id=craft_id)
    if village_id is not None:
        rows = rows.filter(event__center__craft_village_id=village_id)
    if free is not None:
        rows = rows.filter(price=0) if free else rows.filter(price__gt=0)
    if since is not None:
        rows = rows.filter(ends_at__gt=since)
    if until is not None:
        rows = rows.filter(starts_at__lt=until)
    sessions = list(rows.order_by("starts_at", "pk")[offset : offset + limit])
    counters = seats.seats_of([s.capacity_id for s in sessions if s.capacity_id])
    found = []
    for session in sessions:
        counter = counters.get(session.capacity_id or 0)
        found.append(SessionSeats(session, counter.total if counter else 0, counter.free if counter else 0))
    return found


# The public sees published events, and cancelled ones (their page says so: people who registered
# follow its links); drafts are nobody's business but the center's.
PUBLIC_EVENT_STATES = (EventState.PUBLISHED, EventState.CANCELLED)
# The panels on center and craft-village pages show this many sessions at most
PANEL_SIZE = 6


def public_event(slug: str) -> Event | None:
    """A published or cancelled event with what its page shows: the center, the photos, the featured
    published products and the featured producers (four queries)."""
    return (
        Event.objects.filter(slug=slug, state__in=PUBLIC_EVENT_STATES, center__status__in=PUBLIC_STATUSES)
        .select_related("center__craft_village")
        .prefetch_related(
            "photos",
            Prefetch(
                "products",
                queryset=Product.objects.filter(status=ProductStatus.PUBLISHED)
                .select_related("producer")
                .order_by("name", "pk"),
            ),
            Prefetch("producers", queryset=Producer.objects.order_by("name", "pk")),
        )
        .first()
    )


def free_seats_of(session: Session) -> int:
    return seats.free_seats([session.capacity_id]).get(session.capacity_id, 0) if session.capacity_id else 0


def registration_by_code(code: str) -> Registration | None:
    from .services._base import clean_code

    cleaned = clean_code(code)
    if not cleaned:
        return None
    return Registration.objects.select_related("session__event__center").filter(code=cleaned).first()


def _paid_sum() -> Any:
    paid = (
        Payment.objects.filter(registration=OuterRef("pk"), state=PaymentState.SUCCEEDED)
        .values("registration")
        .annotate(n=Sum("amount"))
        .values("n")
    )
    return Coalesce(Subquery(paid, output_field=IntegerField()), Value(0))


def _refunded_sum() -> Any:
    refunded = (
        Refund.objects.filter(payment__registration=OuterRef("pk"), state=PaymentState.SUCCEEDED)
        .values("payment__registration")
        .annotate(n=Sum("amount"))
        .values("n")
    )
    return Coalesce(Subquery(refunded, output_field=IntegerField()), Value(0))


def registrations_with_money(rows: QuerySet[Registration]) -> QuerySet[Registration]:
    """Each registration with `paid` and `refunded` (derived sums), in the same one query."""
    return rows.annotate(paid=_paid_sum(), refunded=_refunded_sum())


def registrations_of_session(session: Session) -> list[Registration]:
    """The session's registrations, newest first, with their paid and refunded sums: one query."""
    return list(
        registrations_with_money(Registration.objects.filter(session=session))
        .select_related("check_in")
        .order_by("-pk")
    )


@dataclass(frozen=True)
class Balance:
    amount: int
    paid: int
    refunded: int

    @property
    def due(self) -> int:
        """What is still to pay (0 once paid, and for a cancelled registration)."""
        return max(self.amount - self.paid, 0)


def balance_of(registration: Registration) -> Balance:
    row: dict[str, Any] = (
        registrations_with_money(Registration.objects.filter(pk=registration.pk))
        .values("amount", "paid", "refunded", "state")  # type: ignore[misc]
        .get()
    )
    amount = row["amount"] if row["state"] in ("held", "confirmed") else 0
    return Balance(amount=amount, paid=row["paid"], refunded=row["refunded"])


def waiting_list(session: Session) -> list[WaitlistEntry]:
    """Waiting and offered parties in order (the position is the index + 1): one query."""
    return list(
        WaitlistEntry.objects.filter(
            session=session, state__in=(WaitlistState.WAITING, WaitlistState.OFFERED)
        ).order_by("pk")
    )


def waitlist_position(entry: WaitlistEntry) -> int | None:
    """1 for the first in line; None when the entry no longer waits."""
    if entry.state != WaitlistState.WAITING:
        return None
    return (
        WaitlistEntry.objects.filter(
            session_id=entry.session_id, state=WaitlistState.WAITING, pk__lt=entry.pk
        ).count()
        + 1
    )


# --- head counts (the city dashboard) ---------------------------------------------------------------


def heads_per_session(session_ids: Iterable[int]) -> dict[int, int]:
    """Session id → people checked in, in one query (sessions with nobody are missing)."""
    rows = (
        CheckIn.objects.filter(session_id__in=list(session_ids))
        .values("session_id")
        .annotate(n=Sum("heads"))
        .order_by("session_id")
    )
    return {row["session_id"]: int(row["n"]) for row in rows}


def heads_per_center(since: dt.date, until: dt.date) -> dict[int, int]:
    """Center id → people checked in on the days since..until (both included), in one query."""
    rows = (
        CheckIn.objects.filter(day__gte=since, day__lte=until)
        .values("center_id")
        .annotate(n=Sum("heads"))
        .order_by("center_id")
    )
    return {row["center_id"]: int(row["n"]) for row in rows}


def heads_per_day(since: dt.date, until: dt.date, center_id: int | None = None) -> dict[dt.date, int]:
    """Local day → people checked in (at one center, or all), in one query."""
    rows = CheckIn.objects.filter(day__gte=since, day__lte=until)
    if center_id is not None:
        rows = rows.filter(center_id=center_id)
    grouped = rows.values("day").annotate(n=Sum("heads")).order_by("day")
    return {row["day"]: int(row["n"]) for row in grouped}


def expected_per_center(since: dt.date, until: dt.date) -> dict[int, int]:
    """Center id → people registered (seats kept: held or confirmed) for the scheduled sessions that
    start on the days since..until (Hanoi time), in one query: what the check-ins are set against."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    rows = (
        Registration.objects.filter(
            state__in=ACTIVE_STATES,
            session__state=SessionState.SCHEDULED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .values("session__event__center_id")
        .annotate(n=Sum("party_size"))
        .order_by("session__event__center_id")
    )
    return {row["session__event__center_id"]: int(row["n"]) for row in rows}


def heads_per_center_and_day(since: dt.date, until: dt.date) -> dict[tuple[int, dt.date], int]:
    """(center id, day) → people checked in, in one query."""
    rows = (
        CheckIn.objects.filter(day__gte=since, day__lte=until)
        .values("center_id", "day")
        .annotate(n=Sum("heads"))
        .order_by("center_id", "day")
    )
    return {(row["center_id"], row["day"]): int(row["n"]) for row in rows}


# --- the audit trail (reports): the history, money and check-in rows with what their lines name -------


def event_history() -> QuerySet[EventEvent]:
    return EventEvent.objects.select_related("actor", "event")


def session_history() -> QuerySet[SessionEvent]:
    return SessionEvent.objects.select_related("actor", "session__event")


def registration_history() -> QuerySet[RegistrationEvent]:
    return RegistrationEvent.objects.select_related("actor", "registration__session__event")


def payment_rows() -> QuerySet[Payment]:
    """Event payments. A payment is written once, already succeeded, when the money is taken (a transfer
    confirmed by `registration_pay`, cash at the door at check-in): its `created_at` is when it was paid."""
    return Payment.objects.select_related("recorded_by", "registration__session__event")


def refund_rows() -> QuerySet[Refund]:
    return Refund.objects.select_related("actor", "payment__registration__session__event")


def check_in_rows() -> QuerySet[CheckIn]:
    return CheckIn.objects.select_related("actor", "registration", "session__event")


def capacity_ids_of_center(center_id: int) -> QuerySet[Session, Any]:
    """The seat capacities of the center's sessions, as a subquery (for the seat ledger of a center)."""
    return Session.objects.filter(event__center_id=center_id, capacity__isnull=False).values("capacity_id")


def capacity_ids_of_event(event_id: int) -> QuerySet[Session, Any]:
    return Session.objects.filter(event_id=event_id, capacity__isnull=False).values("capacity_id")


def hold_ids_of_center(center_id: int) -> QuerySet[Registration, Any]:
    """The seat holds of the center's registrations, as a subquery."""
    return Registration.objects.filter(session__event__center_id=center_id).values("hold_id")


def hold_ids_of_event(event_id: int) -> QuerySet[Registration, Any]:
    return Registration.objects.filter(session__event_id=event_id).values("hold_id")


def event_ids_named(text: str, limit: int) -> list[int]:
    """The events whose title holds every word of `text`, folded; at most `limit`, newest first."""
    words = search_terms(text)
    if not words:
        return []
    by_title = Q()
    for word in words:
        by_title &= Q(folded_title__contains=word)
    rows = Event.objects.annotate(folded_title=Folded("title")).filter(by_title).order_by("-pk")
    return list(rows.values_list("pk", flat=True)[:limit])


# --- the API's lists: who sees which event, filters, head counts of a scope ---------------------------


def event_center_ids(user: Any) -> set[int]:
    """The centers whose events (drafts and cancelled ones too) the user works on: its staff and managers."""
    return permissions.scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF)


def visible_events(user: Any) -> QuerySet[Event]:
    """Published events for everyone; every event of the centers one works at; all of them for the city."""
    rows = Event.objects.select_related("center")
    if permissions.can_view_city_overview(user):
        return rows
    return rows.filter(Q(state=EventState.PUBLISHED) | Q(center_id__in=event_center_ids(user)))


def _coming_sessions(now: dt.datetime) -> QuerySet[Session]:
    return Session.objects.filter(event=OuterRef("pk"), state=SessionState.SCHEDULED, ends_at__gt=now)


def events_filtered(
    rows: QuerySet[Event],
    *,
    now: dt.datetime,
    center_id: int | None = None,
    kind: str | None = None,
    state: str | None = None,
    craft_id: int | None = None,
    village_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    free: bool | None = None,
) -> QuerySet[Event]:
    """Events by center, kind, state, the center's craft or village; with a scheduled session in
    since..until, and free (a session at 0 đồng) or paid (a session with a price). Each row carries
    `first_starts_at` and `min_price` of its scheduled sessions still to end; upcoming first."""
    if center_id is not None:
        rows = rows.filter(center_id=center_id)
    if kind is not None:
        rows = rows.filter(kind=kind)
    if state is not None:
        rows = rows.filter(state=state)
    if craft_id is not None:
        rows = rows.filter(
            Exists(Center.crafts.through.objects.filter(center_id=OuterRef("center_id"), craft_id=craft_id))
        )
    if village_id is not None:
        rows = rows.filter(center__craft_village_id=village_id)
    if since is not None or until is not None or free is not None:
        sessions = Session.objects.filter(event=OuterRef("pk"), state=SessionState.SCHEDULED)
        if since is not None:
            sessions = sessions.filter(ends_at__gt=since)
        if until is not None:
            sessions = sessions.filter(starts_at__lt=until)
        if free is not None:
            sessions = sessions.filter(price=0) if free else sessions.filter(price__gt=0)
        rows = rows.filter(Exists(sessions))
    coming = _coming_sessions(now)
    return rows.annotate(
        first_starts_at=Subquery(coming.order_by("starts_at", "pk").values("starts_at")[:1]),
        min_price=Subquery(coming.order_by("price", "pk").values("price")[:1]),
    ).order_by(F("first_starts_at").asc(nulls_last=True), "-pk")


def available_sessions(
    *,
    since: dt.datetime,
    until: dt.datetime,
    now: dt.datetime,
    center_id: int | None = None,
    event_id: int | None = None,
    kind: str | None = None,
    craft_id: int | None = None,
    village_id: int | None = None,
    free: bool | None = None,
) -> QuerySet[Session]:
    """Scheduled sessions of published events starting in since..until and not yet over, in time order
    (their seats: `seats.seats_of` of the page's capacities, one more query)."""
    rows = Session.objects.filter(
        state=SessionState.SCHEDULED,
        event__state=EventState.PUBLISHED,
        starts_at__gte=since,
        starts_at__lt=until,
        ends_at__gt=now,
    ).select_related("event__center")
    if center_id is not None:
        rows = rows.filter(event__center_id=center_id)
    if event_id is not None:
        rows = rows.filter(event_id=event_id)
    if kind is not None:
        rows = rows.filter(event__kind=kind)
    if craft_id is not None:
        rows = rows.filter(
            Exists(
                Center.crafts.through.objects.filter(
                    center_id=OuterRef("event__center_id"), craft_id=craft_id
                )
            )
        )
    if village_id is not None:
        rows = rows.filter(event__center__craft_village_id=village_id)
    if free is not None:
        rows = rows.filter(price=0) if free else rows.filter(price__gt=0)
    return rows.order_by("starts_at", "pk")


def seats_by_session(sessions: Iterable[Session]) -> dict[int, seats.Seats]:
    """Session id → its seat counters, in one query."""
    listed = [s for s in sessions if s.capacity_id]
    counters = seats.seats_of([s.capacity_id for s in listed if s.capacity_id])
    return {s.pk: counters[s.capacity_id] for s in listed if s.capacity_id in counters}


@dataclass(frozen=True)
class HeadCounts:
    total: int
    per_center: list[dict[str, Any]]
    per_day: list[dict[str, Any]]
    per_session: list[dict[str, Any]]


HEADS_SESSIONS = 500


def head_counts(*, since: dt.date, until: dt.date, center_ids: Iterable[int] | None) -> HeadCounts:
    """People checked in on the days since..until (both included) at the given centers (None: all),
    per center, per day and per session (the latest HEADS_SESSIONS): three queries."""
    rows = CheckIn.objects.filter(day__gte=since, day__lte=until)
    if center_ids is not None:
        rows = rows.filter(center_id__in=list(center_ids))
    per_center = list(
        rows.values("center_id", "center__slug", "center__name")
        .annotate(heads=Sum("heads"))
        .order_by("center__name", "center_id")
    )
    per_day = list(rows.values("day").annotate(heads=Sum("heads")).order_by("day"))
    per_session = list(
        rows.values(
            "session_id",
            "session__starts_at",
            "session__event_id",
            "session__event__slug",
            "session__event__title",
            "center_id",
        )
        .annotate(heads=Sum("heads"))
        .order_by("-session__starts_at", "-session_id")[:HEADS_SESSIONS]
    )
    return HeadCounts(
        total=sum(int(row["heads"]) for row in per_day),
        per_center=[dict(row) for row in per_center],
        per_day=[dict(row) for row in per_day],
        per_session=[dict(row) for row in per_session],
    )
