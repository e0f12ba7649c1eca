"""The waiting list of a full session: freed seats offered to the first waiting party that fits, as a
held registration open for WAITLIST_OFFER_MINUTES, then to the next."""

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict
from ocophub.seats import selectors as seat_selectors
from ocophub.seats import services as seats

from .. import notices
from ..models import (
    ACTIVE_STATES,
    WAITLIST_TRANSITIONS,
    PaymentMethod,
    Registration,
    RegistrationState,
    Session,
    SessionState,
    WaitlistEntry,
    WaitlistState,
)
from ._base import actor_or_none, contact_check, invalid, offer_minutes
from .registrations import (
    RegistrationFull,
    confirm,
    fresh_session,
    place,
    registration_move,
    session_open_check,
)

logger = logging.getLogger(__name__)

# Who queues the expiry of an offer when it runs out (the background job registers here when the apps
# are ready, so that the services never import the jobs that call them).
OFFER_EXPIRY_SCHEDULERS: list[Callable[[dt.datetime], None]] = []


def _entry_move(entry: WaitlistEntry, to_state: str, **updates: Any) -> None:
    """A guarded move of the entry's state (no event table: the registration keeps the history)."""
    current = WaitlistEntry.objects.filter(pk=entry.pk).values_list("state", flat=True).first()
    if current is None or to_state not in WAITLIST_TRANSITIONS.get(current, ()):
        raise Conflict(
            _("This waiting-list entry is “%(state)s”.")
            % {"state": WaitlistState(current).label if current else "?"},
            fields={"state": _("Not allowed from the current state.")},
            code=f"waitlist_{current}",
        )
    rows = WaitlistEntry.objects.filter(pk=entry.pk, state=current)
    if not rows.update(state=to_state, updated_at=timezone.now(), **updates):
        raise Conflict(_("It changed meanwhile; reload it."), fields={"state": _("Changed meanwhile.")})
    entry.state = to_state
    for name, value in updates.items():
        setattr(entry, name, value)


@transaction.atomic
def waitlist_join(
    *,
    actor: Any,
    session: Session | int,
    party_size: Any,
    name: Any,
    email: Any,
    phone: Any = "",
    customer: Any = None,
) -> WaitlistEntry:
    """Put a party on the session's waiting list, in the order of joining.

    Seats freed meanwhile are offered at once (so a party told "full" a moment ago is not left waiting
    for seats that are free now)."""
    now = timezone.now()
    errors: dict[str, str] = {}
    session = fresh_session(session)
    name, email, phone, size = contact_check(
        name=name, email=email, phone=phone, party_size=party_size, errors=errors
    )
    session_open_check(session, errors, now)
    total = session.capacity.total if session.capacity else 0
    if size and size > total and "party_size" not in errors:
        errors["party_size"] = _("The session has %(n)s seats in all.") % {"n": total}
    if errors:
        raise invalid(errors)
    if Registration.objects.filter(session=session, email=email, state__in=ACTIVE_STATES).exists():
        raise Conflict(
            _("%(email)s is already registered for this session.") % {"email": email},
            fields={"email": _("Already registered for this session.")},
            code="already_registered",
        )
    if WaitlistEntry.objects.filter(
        session=session, email=email, state__in=(WaitlistState.WAITING, WaitlistState.OFFERED)
    ).exists():
        raise Conflict(
            _("%(email)s is already on the waiting list of this session.") % {"email": email},
            fields={"email": _("Already waiting.")},
            code="already_waiting",
        )
    entry = WaitlistEntry.objects.create(
        session=session,
        party_size=size,
        name=name,
        email=email,
        phone=phone,
        customer=actor_or_none(customer),
    )
    offer_next(session, actor=actor)
    entry.refresh_from_db()
    return entry


def offer_next(session: Session, *, actor: Any, now: dt.datetime | None = None) -> list[WaitlistEntry]:
    """Offer the free seats to the waiting parties in order, each that fits (in the caller's transaction)."""
    now = now or timezone.now()
    session = Session.objects.select_related("event").get(pk=session.pk)
    if session.state != SessionState.SCHEDULED or session.starts_at <= now or session.capacity_id is None:
        return []
    left = seat_selectors.free_seats([session.capacity_id]).get(session.capacity_id, 0)
    offered: list[WaitlistEntry] = []
    if left <= 0:
        return offered
    until = now + dt.timedelta(minutes=offer_minutes())
    waiting = WaitlistEntry.objects.filter(session=session, state=WaitlistState.WAITING).order_by("pk")
    for entry in waiting:
        if left <= 0:
            break
        if entry.party_size > left:
            continue
        if Registration.objects.filter(session=session, email=entry.email, state__in=ACTIVE_STATES).exists():
            _entry_move(entry, WaitlistState.LEFT)  # registered meanwhile by themselves
            continue
        try:
            registration = place(
                actor=actor,
                session=session,
                party_size=entry.party_size,
                name=entry.name,
                email=entry.email,
                phone=entry.phone,
                customer=entry.customer,
                expires_at=until,
                payment_method="",
            )
        except RegistrationFull:
            break  # taken meanwhile by a registration: nothing left to offer
        _entry_move(entry, WaitlistState.OFFERED, offered_until=until, registration=registration)
        offered.append(entry)
        left -= entry.party_size
        entry_id = entry.pk
        transaction.on_commit(lambda entry_id=entry_id: notices.waitlist_offered(entry_id), robust=True)  # type: ignore[misc]
    if offered:
        transaction.on_commit(lambda: _schedule(until), robust=True)
    return offered


def _schedule(when: dt.datetime) -> None:
    for schedule in OFFER_EXPIRY_SCHEDULERS:
        schedule(when)


@transaction.atomic
def waitlist_offer_next(*, actor: Any, session: Session) -> list[WaitlistEntry]:
    """Offer the session's free seats to the first waiting parties that fit; the entries offered."""
    return offer_next(session, actor=actor)


@transaction.atomic
def waitlist_accept(
    *, actor: Any, entry: WaitlistEntry, payment_method: str = PaymentMethod.VIETQR
) -> Registration:
    """The waiting party takes the seats offered: a free session (or one paid at the door) is
    confirmed now; one paid by VietQR stays held until the offer's end, and is paid as any other."""
    entry = WaitlistEntry.objects.select_related("registration__hold", "session__event").get(pk=entry.pk)
    if entry.state != WaitlistState.OFFERED or entry.registration is None:
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
    registration = entry.registration
    session = entry.session
    if not session.is_free and payment_method not in PaymentMethod.values:
        raise invalid({"payment_method": _("Pay by bank transfer (VietQR) or at the door.")})
    method = "" if session.is_free else payment_method
    Registration.objects.filter(pk=registration.pk).update(payment_method=method)
    registration.payment_method = method
    _entry_move(entry, WaitlistState.ACCEPTED)
    if method != PaymentMethod.VIETQR:
        confirm(registration, actor=actor, reason=_("Offer from the waiting list taken."))
    registration_id = registration.pk
    transaction.on_commit(lambda: notices.registration_made(registration_id), robust=True)
    return registration


@transaction.atomic
def waitlist_leave(*, actor: Any, entry: WaitlistEntry) -> WaitlistEntry:
    """The party leaves the list; seats offered to it go to the next in line."""
    entry = WaitlistEntry.objects.select_related("registration__hold", "session").get(pk=entry.pk)
    registration = entry.registration if entry.state == WaitlistState.OFFERED else None
    _entry_move(entry, WaitlistState.LEFT)
    if registration is not None and registration.state == RegistrationState.HELD:
        seats.hold_release(actor=actor, hold=registration.hold, reason=_("Offer declined."))
        registration_move(registration, RegistrationState.CANCELLED, actor=actor, reason=_("Offer declined."))
        offer_next(entry.session, actor=actor)
    return entry


def waitlist_expire_offers(now: dt.datetime | None = None) -> int:
    """The job: every offer past its time passes to the next in line; the number expired.

    Each in its own transaction, guarded by conditional moves: an offer the seats' expiry job got to
    first (our hook expired it) is skipped, and so is one taken meanwhile."""
    now = now or timezone.now()
    due = list(
        WaitlistEntry.objects.filter(state=WaitlistState.OFFERED, offered_until__lt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in due:
        try:
            expired += _expire_offer(pk, now)
        except Conflict:
            continue  # moved meanwhile (taken, left, or expired by the seats' job)
    return expired


@transaction.atomic
def _expire_offer(pk: int, now: dt.datetime) -> int:
    entry = WaitlistEntry.objects.select_related("registration__hold", "session").get(pk=pk)
    if entry.state != WaitlistState.OFFERED or entry.offered_until is None or entry.offered_until >= now:
        return 0
    registration = entry.registration
    if registration is not None and registration.state == RegistrationState.HELD:
        # the hold, then the registration, then the entry: the order the seats' expiry job and our
        # hook take them, so that the two jobs cannot deadlock on PostgreSQL
        seats.hold_release(actor=None, hold=registration.hold, reason=_("Offer not taken in time."))
        registration_move(
            registration, RegistrationState.EXPIRED, actor=None, reason=_("Offer not taken in time.")
        )
    _entry_move(entry, WaitlistState.EXPIRED)
    offer_next(entry.session, actor=None, now=now)
    return 1
