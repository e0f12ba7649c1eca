"""The waiting list of a full departure: freed seats offered to the first waiting party that fits, as
a held booking open for TOURS_OFFER_MINUTES, then to the next."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict
from ocophub.seats import services as seats

from .. import notices
from ..models import (
    ACTIVE_STATES,
    RUNNING_STATES,
    WAITLIST_TRANSITIONS,
    Booking,
    BookingState,
    Departure,
    WaitlistEntry,
    WaitlistState,
)
from .base import actor_or_none, contact_check, invalid, offer_minutes, party_check
from .bookings import BookingFull, booking_move, confirm, departure_open_check, place
from .departures import free_of, locked_departure, sync_sold_out

# Who queues the expiry of an offer when it runs out (the background job registers here).
OFFER_EXPIRY_SCHEDULERS: list[Callable[[dt.datetime], None]] = []


def _entry_move(entry: WaitlistEntry, to_state: str, **updates: Any) -> None:
    """A guarded move of the entry's state (no event table: the booking keeps the history)."""
    current = WaitlistEntry.objects.filter(pk=entry.pk).values_list("state", flat=True).first()
    if current is None or to_state not in WAITLIST_TRANSITIONS.get(current, ()):
        raise Conflict(
            _("This waiting-list entry is “%(state)s”.")
            % {"state": WaitlistState(current).label if current else "?"},
            fields={"state": _("Not allowed from the current state.")},
            code=f"waitlist_{current}",
        )
    if not WaitlistEntry.objects.filter(pk=entry.pk, state=current).update(
        state=to_state, updated_at=timezone.now(), **updates
    ):
        raise Conflict(_("It changed meanwhile; reload it."), fields={"state": _("Changed meanwhile.")})
    entry.state = to_state
    for name, value in updates.items():
        setattr(entry, name, value)


@transaction.atomic
def waitlist_join(
    *,
    actor: Any,
    departure: Departure | int,
    adults: Any,
    children: Any = 0,
    name: Any,
    email: Any,
    phone: Any = "",
    customer: Any = None,
) -> WaitlistEntry:
    """Put a party on the departure's waiting list, in the order of joining; seats freed meanwhile
    are offered at once."""
    now = timezone.now()
    departure = locked_departure(departure)
    errors: dict[str, str] = {}
    adults, children = party_check(
        adults=adults,
        children=children,
        children_need_adult=departure.tour.children_need_adult,
        errors=errors,
    )
    name, email, phone = contact_check(name=name, email=email, phone=phone, errors=errors)
    departure_open_check(departure, errors, now)
    total = departure.capacity.total if departure.capacity else 0
    if adults + children > total and "adults" not in errors:
        errors["adults"] = _("The vehicle has %(n)s seats in all.") % {"n": total}
    if errors:
        raise invalid(errors)
    if WaitlistEntry.objects.filter(
        departure=departure, email=email, state__in=(WaitlistState.WAITING, WaitlistState.OFFERED)
    ).exists():
        raise Conflict(
            _("%(email)s is already on the waiting list of this departure.") % {"email": email},
            fields={"email": _("Already waiting.")},
            code="already_waiting",
        )
    entry = WaitlistEntry.objects.create(
        departure=departure,
        adults=adults,
        children=children,
        name=name,
        email=email,
        phone=phone,
        customer=actor_or_none(customer),
    )
    offer_next(departure, actor=actor)
    sync_sold_out(departure, actor=actor)
    entry.refresh_from_db()
    return entry


def offer_next(departure: Departure, *, actor: Any, now: dt.datetime | None = None) -> list[WaitlistEntry]:
    """Offer the free seats to the waiting parties in order, each that fits (in the caller's
    transaction, which holds the departure's lock)."""
    now = now or timezone.now()
    departure = Departure.objects.select_related("tour", "capacity").get(pk=departure.pk)
    if departure.state not in RUNNING_STATES or departure.starts_at <= now:
        return []
    left = free_of(departure)
    offered: list[WaitlistEntry] = []
    if left <= 0:
        return offered
    until = min(now + dt.timedelta(minutes=offer_minutes()), departure.starts_at)
    for entry in WaitlistEntry.objects.filter(departure=departure, state=WaitlistState.WAITING).order_by(
        "pk"
    ):
        if left <= 0:
            break
        if entry.party > left:
            continue
        if Booking.objects.filter(departure=departure, email=entry.email, state__in=ACTIVE_STATES).exists():
            _entry_move(entry, WaitlistState.LEFT)  # booked meanwhile by themselves
            continue
        try:
            booking = place(
                actor=actor,
                departure=departure,
                adults=entry.adults,
                children=entry.children,
                name=entry.name,
                email=entry.email,
                phone=entry.phone,
                customer=entry.customer,
                expires_at=until,
                state=BookingState.HELD,
            )
        except BookingFull:
            break
        _entry_move(entry, WaitlistState.OFFERED, offered_until=until, booking=booking)
        offered.append(entry)
        left -= entry.party
        entry_id = entry.pk
        transaction.on_commit(lambda entry_id=entry_id: notices.waitlist_offered(entry_id), robust=True)  # type: ignore[misc]
    if offered:
        transaction.on_commit(lambda: _schedule(until), robust=True)
    return offered


def _schedule(when: dt.datetime) -> None:
    for schedule in OFFER_EXPIRY_SCHEDULERS:
        schedule(when)


@transaction.atomic
def waitlist_offer_next(*, actor: Any, departure: Departure) -> list[WaitlistEntry]:
    """Offer the departure's free seats to the first waiting parties that fit; the entries offered."""
    departure = locked_departure(departure)
    offered = offer_next(departure, actor=actor)
    sync_sold_out(departure, actor=actor)
    return offered


@transaction.atomic
def waitlist_accept(*, actor: Any, entry: WaitlistEntry) -> Booking:
    """The waiting party takes the seats offered: the booking stays held until the offer's end and is
    paid as any other (a free tour's is confirmed now)."""
    entry = WaitlistEntry.objects.select_related("booking__hold", "departure__tour").get(pk=entry.pk)
    if entry.state != WaitlistState.OFFERED or entry.booking is None:
        raise Conflict(
            _("There is no open offer on this waiting-list entry."),
            fields={"state": _("No open offer.")},
            code=f"waitlist_{entry.state}",
        )
    if entry.offered_until is None or entry.offered_until <= timezone.now():
        raise Conflict(
            _("The offer has run out; the seats went to the next in line."),
            fields={"state": _("Offer expired.")},
            code="offer_expired",
        )
    booking = entry.booking
    _entry_move(entry, WaitlistState.ACCEPTED)
    if booking.total == 0:
        confirm(booking, actor=actor, reason=_("Offer from the waiting list taken."))
    booking_id = booking.pk
    transaction.on_commit(lambda: notices.booking_made(booking_id), robust=True)
    return booking


@transaction.atomic
def waitlist_leave(*, actor: Any, entry: WaitlistEntry) -> WaitlistEntry:
    """The party leaves the list; seats offered to it go to the next in line."""
    found = WaitlistEntry.objects.filter(pk=entry.pk).values_list("departure_id", flat=True).first()
    if found is None:
        raise invalid({"entry": _("Unknown waiting-list entry.")})
    departure = locked_departure(found)
    entry = WaitlistEntry.objects.select_related("booking__hold").get(pk=entry.pk)
    booking = entry.booking if entry.state == WaitlistState.OFFERED else None
    _entry_move(entry, WaitlistState.LEFT)
    if booking is not None and booking.state == BookingState.HELD:
        seats.hold_release(actor=actor, hold=booking.hold, reason=_("Offer declined."))
        booking_move(booking, BookingState.CANCELLED, actor=actor, reason=_("Offer declined."))
        offer_next(departure, actor=actor)
        sync_sold_out(departure, actor=actor)
    return entry


def waitlist_expire_offers(now: dt.datetime | None = None) -> int:
    """The job: every offer past its time passes to the next in line; the number expired."""
    now = now or timezone.now()
    due = list(
        WaitlistEntry.objects.filter(state=WaitlistState.OFFERED, offered_until__lt=now)
        .order_by("pk")
        .values_list("pk", "departure_id")
    )
    expired = 0
    for pk, departure_id in due:
        try:
            expired += _expire_offer(pk, departure_id, now)
        except Conflict:
            continue  # moved meanwhile (taken, left, or expired by the seats' job)
    return expired


@transaction.atomic
def _expire_offer(pk: int, departure_id: int, now: dt.datetime) -> int:
    departure = locked_departure(departure_id)
    entry = WaitlistEntry.objects.select_related("booking__hold").get(pk=pk)
    if entry.state != WaitlistState.OFFERED or entry.offered_until is None or entry.offered_until >= now:
        return 0
    booking = entry.booking
    if booking is not None and booking.state == BookingState.HELD:
        seats.hold_release(actor=None, hold=booking.hold, reason=_("Offer not taken in time."))
        booking_move(booking, BookingState.EXPIRED, actor=None, reason=_("Offer not taken in time."))
    _entry_move(entry, WaitlistState.EXPIRED)
    offer_next(departure, actor=None, now=now)
    sync_sold_out(departure, actor=None)
    return 1
