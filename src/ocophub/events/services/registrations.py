"""Registrations: seats held for a party, paid (VietQR) or confirmed, cancelled with the refund rule,
expired with their hold, checked in once by the ticket code."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError, NotFound
from ocophub.common.money import round_vnd
from ocophub.seats import services as seats
from ocophub.seats.models import Hold, HoldState

from .. import notices
from ..models import (
    ACTIVE_STATES,
    REGISTRATION_TRANSITIONS,
    CheckIn,
    EventState,
    Payment,
    PaymentMethod,
    PaymentState,
    Refund,
    Registration,
    RegistrationEvent,
    RegistrationState,
    Session,
    SessionState,
    WaitlistEntry,
    WaitlistState,
)
from ._base import actor_or_none, clean_code, contact_check, hold_minutes, invalid, move, new_code

OWNER_TYPE = "events.session"


class RegistrationFull(Conflict):
    """The session has fewer free seats than the party: the caller offers the waiting list."""

    code = "full"

    def __init__(self, free: int, asked: int) -> None:
        self.free = free
        self.asked = asked
        if free == 0:
            message = _("This session is full: join the waiting list and we will offer you freed seats.")
        else:
            message = _(
                "Only %(free)s seats are left for %(asked)s people: join the waiting list "
                "or register fewer people."
            ) % {"free": free, "asked": asked}
        super().__init__(message, fields={"party_size": _("Only %(n)s free seats.") % {"n": free}})


def registration_move(registration: Registration, to_state: str, *, actor: Any, reason: str = "") -> str:
    return move(
        registration,
        to_state,
        REGISTRATION_TRANSITIONS,
        actor=actor,
        reason=reason,
        event_model=RegistrationEvent,
        event_field="registration",
        labels=RegistrationState,
    )


def session_open_check(session: Session, errors: dict[str, str], now: dt.datetime) -> None:
    """A session takes registrations (and waiting parties) while it is scheduled, its event published,
    and it has not started."""
    if session.state != SessionState.SCHEDULED:
        errors["session"] = _("This session is cancelled.")
    elif session.event.state != EventState.PUBLISHED:
        errors["session"] = _("This event is not open for registration.")
    elif session.starts_at <= now:
        errors["session"] = _("This session has already started or is over.")


def fresh_session(session: Session | int) -> Session:
    pk = session.pk if isinstance(session, Session) else session
    found = Session.objects.select_related("event", "capacity").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such session."), fields={"session": _("Unknown session.")})
    return found


def paid_of(registration: Registration) -> int:
    return int(
        Payment.objects.filter(registration=registration, state=PaymentState.SUCCEEDED).aggregate(
            n=Sum("amount")
        )["n"]
        or 0
    )


def refunded_of(registration: Registration) -> int:
    return int(
        Refund.objects.filter(payment__registration=registration, state=PaymentState.SUCCEEDED).aggregate(
            n=Sum("amount")
        )["n"]
        or 0
    )


def place(
    *,
    actor: Any,
    session: Session,
    party_size: int,
    name: str,
    email: str,
    phone: str,
    customer: Any,
    expires_at: dt.datetime,
    payment_method: str,
) -> Registration:
    """Hold the party's seats and write the held registration (a savepoint: all or nothing)."""
    assert session.capacity_id is not None
    with transaction.atomic():
        code = new_code()
        try:
            hold = seats.seats_hold(
                actor=actor,
                lines=[(session.capacity_id, party_size)],
                expires_at=expires_at,
                reference=f"events.registration:{code}",
            )
        except seats.SeatsFull as full:
            raise RegistrationFull(full.free, party_size) from None
        registration = Registration.objects.create(
            session=session,
            party_size=party_size,
            name=name,
            email=email,
            phone=phone,
            customer=actor_or_none(customer),
            hold=hold,
            code=code,
            amount=session.price * party_size,
            payment_method=payment_method,
            expires_at=expires_at,
        )
        RegistrationEvent.objects.create(
            registration=registration, actor=actor_or_none(actor), to_state=RegistrationState.HELD
        )
    return registration


def confirm(registration: Registration, *, actor: Any, reason: str = "") -> Registration:
    """The held seats become taken and the registration confirmed (free, at the door, or paid).

    The hold is changed before the registration, in the order the seats' expiry job takes them (the
    hold, then our hook's registration), so that a payment racing the job cannot deadlock with it on
    PostgreSQL: one of them waits for the other, and the loser is told the hold expired."""
    seats.hold_confirm(actor=actor, hold=registration.hold, reason=reason)
    registration_move(registration, RegistrationState.CONFIRMED, actor=actor, reason=reason)
    Registration.objects.filter(pk=registration.pk).update(expires_at=None)
    registration.expires_at = None
    return registration


@transaction.atomic
def registration_create(
    *,
    actor: Any,
    session: Session | int,
    party_size: Any,
    name: Any,
    email: Any,
    phone: Any = "",
    customer: Any = None,
    payment_method: str = PaymentMethod.VIETQR,
) -> Registration:
    """Register a party for a session; nothing is written unless every detail is right.

    A free session, or one paid at the door, is confirmed at once (the party pays at check-in); one
    paid by VietQR holds its seats for REGISTRATION_HOLD_MINUTES. When the seats are short the answer
    is RegistrationFull (code "full"), which the caller turns into "join the waiting list"."""
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
    method = "" if session.is_free else payment_method
    if not session.is_free and payment_method not in PaymentMethod.values:
        errors["payment_method"] = _("Pay by bank transfer (VietQR) or at the door.")
    if errors:
        raise invalid(errors)
    if Registration.objects.filter(session=session, email=email, state__in=ACTIVE_STATES).exists():
        raise Conflict(
            _("%(email)s is already registered for this session.") % {"email": email},
            fields={"email": _("Already registered for this session.")},
            code="already_registered",
        )
    expires_at = now + dt.timedelta(minutes=hold_minutes())
    try:
        registration = place(
            actor=actor,
            session=session,
            party_size=size,
            name=name,
            email=email,
            phone=phone,
            customer=customer,
            expires_at=expires_at,
            payment_method=method,
        )
    except IntegrityError:  # the same contact registering twice at once: the second loses here
        raise Conflict(
            _("%(email)s is already registered for this session.") % {"email": email},
            fields={"email": _("Already registered for this session.")},
            code="already_registered",
        ) from None
    if method != PaymentMethod.VIETQR:
        confirm(
            registration, actor=actor, reason=_("Free session.") if session.is_free else _("Pay at the door.")
        )
    registration_id = registration.pk
    transaction.on_commit(lambda: notices.registration_made(registration_id), robust=True)
    return registration


@transaction.atomic
def registration_pay(*, actor: Any, registration: Registration, reference: str = "") -> Registration:
    """The VietQR transfer arrived: a payment row, and the held seats become taken.

    Refused once the registration expired (the seats went back; the transfer is refunded by hand)."""
    registration = Registration.objects.select_related("hold", "session").get(pk=registration.pk)
    if registration.payment_method != PaymentMethod.VIETQR or registration.amount <= 0:
        raise DomainError(
            _("This registration is not paid by bank transfer."),
            fields={"payment_method": _("Not a VietQR registration.")},
            code="not_vietqr",
        )
    if registration.state != RegistrationState.HELD:
        raise Conflict(
            _("This registration is “%(state)s”: it cannot be paid now.")
            % {"state": registration.get_state_display()},
            fields={"state": _("Not awaiting payment.")},
            code=f"state_{registration.state}",
        )
    confirm(registration, actor=actor, reason=_("Paid by bank transfer."))
    Payment.objects.create(
        registration=registration,
        method=PaymentMethod.VIETQR,
        amount=registration.amount - paid_of(registration),
        state=PaymentState.SUCCEEDED,
        reference=reference.strip()[:100],
        recorded_by=actor_or_none(actor),
    )
    registration_id = registration.pk
    transaction.on_commit(lambda: notices.registration_made(registration_id), robust=True)
    return registration


def refund_share(session: Session, now: dt.datetime | None = None) -> int:
    """The percent of the price a visitor gets back: by whole days from today to the session's day
    (both in Hanoi time), the first tier of the rule whose days it reaches; none past every tier."""
    today = local_today() if now is None else timezone.localdate(now)
    days = (timezone.localdate(session.starts_at) - today).days
    tiers = sorted(session.refund_rule or [], key=lambda tier: -int(tier["days"]))
    for tier in tiers:
        if days >= int(tier["days"]):
            return int(tier["percent"])
    return 0


def refund(registration: Registration, amount: int, *, actor: Any, reason: str) -> list[Refund]:
    """Spread a refund over the registration's payments, last first; never more than each has left."""
    remaining = amount
    made = []
    for payment in registration.payments.filter(state=PaymentState.SUCCEEDED).order_by("-created_at", "-pk"):
        left = payment.amount - int(
            payment.refunds.filter(state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))["n"] or 0
        )
        part = min(left, remaining)
        if part > 0:
            made.append(
                Refund.objects.create(
                    payment=payment, amount=part, reason=reason[:300], actor=actor_or_none(actor)
                )
            )
            remaining -= part
        if remaining == 0:
            break
    return made


def cancel(
    registration: Registration, *, actor: Any, reason: str, share: int | None, offer: bool = True
) -> Registration:
    """Give the seats back and refund `share` percent of what is left paid (the rule's when None)."""
    if registration.state == RegistrationState.HELD:
        seats.hold_release(actor=actor, hold=registration.hold, reason=reason)  # the hold first: see confirm
        registration_move(registration, RegistrationState.CANCELLED, actor=actor, reason=reason)
    elif registration.state == RegistrationState.CONFIRMED:
        if CheckIn.objects.filter(registration=registration).exists():
            raise Conflict(
                _("This party is already checked in: the registration cannot be cancelled."),
                fields={"state": _("Checked in.")},
                code="checked_in",
            )
        percent = refund_share(registration.session) if share is None else share
        left = paid_of(registration) - refunded_of(registration)
        amount = round_vnd(Decimal(left) * percent / 100) if left > 0 else 0
        to_state = RegistrationState.REFUNDED if amount > 0 else RegistrationState.CANCELLED
        registration_move(registration, to_state, actor=actor, reason=reason)
        seats.seats_cancel(actor=actor, hold=registration.hold, reason=reason)
        if amount:
            refund(registration, amount, actor=actor, reason=reason)
    else:
        raise Conflict(
            _("This registration is “%(state)s”: there is nothing to cancel.")
            % {"state": registration.get_state_display()},
            fields={"state": _("Nothing to cancel.")},
            code=f"state_{registration.state}",
        )
    WaitlistEntry.objects.filter(registration=registration, state=WaitlistState.OFFERED).update(
        state=WaitlistState.LEFT, updated_at=timezone.now()
    )
    if offer:
        from .waitlist import offer_next

        offer_next(registration.session, actor=actor)
    return registration


@transaction.atomic
def registration_cancel(*, actor: Any, registration: Registration, reason: str = "") -> Registration:
    """The visitor (or the center for them) cancels before the session starts.

    The seats go back (`seats_cancel`, or the hold released when unpaid), what was paid comes back by
    the session's cancellation rule in whole đồng, and the freed seats are offered to the waiting list."""
    registration = Registration.objects.select_related("hold", "session__event").get(pk=registration.pk)
    if registration.session.starts_at <= timezone.now():
        raise Conflict(
            _("The session has started: a registration can no longer be cancelled."),
            fields={"session": _("Already started.")},
            code="started",
        )
    cancel(registration, actor=actor, reason=reason or _("Cancelled by the visitor."), share=None)
    registration_id = registration.pk
    transaction.on_commit(lambda: notices.registration_cancelled(registration_id), robust=True)
    return registration


@transaction.atomic
def check_in_by_code(*, actor: Any, code: str, center: Center) -> CheckIn:
    """Staff scan (or type) a ticket at `center`: the party's seats are checked in, once.

    A second scan is "already checked in" (code already_checked_in); a ticket of another center's
    event is refused; a party paying at the door pays what is due here (a payment row)."""
    cleaned = clean_code(code)
    if not cleaned:
        raise DomainError(_("Enter or scan a ticket code."), fields={"code": _("Required.")})
    registration = Registration.objects.select_related("hold", "session__event").filter(code=cleaned).first()
    if registration is None:
        raise NotFound(_("No ticket has this code."), fields={"code": _("Unknown ticket.")})
    session = registration.session
    if session.event.center_id != center.pk:
        raise DomainError(
            _("This ticket is for an event of another center."),
            fields={"code": _("Another center's ticket.")},
            code="other_center",
        )
    if session.state != SessionState.SCHEDULED:
        raise Conflict(
            _("This session is cancelled."),
            fields={"code": _("Session cancelled.")},
            code="session_cancelled",
        )
    if registration.state == RegistrationState.HELD:
        raise Conflict(
            _("This registration is not paid yet."), fields={"code": _("Not paid.")}, code="not_paid"
        )
    if registration.state != RegistrationState.CONFIRMED:
        raise Conflict(
            _("This ticket is “%(state)s”.") % {"state": registration.get_state_display()},
            fields={"code": _("Not valid.")},
            code=f"state_{registration.state}",
        )
    line = seats.seats_check_in(actor=actor, hold=registration.hold, reason=f"ticket {registration.code}")
    due = registration.amount - paid_of(registration)
    if registration.payment_method == PaymentMethod.DOOR and due > 0:
        Payment.objects.create(
            registration=registration,
            method=PaymentMethod.DOOR,
            amount=due,
            state=PaymentState.SUCCEEDED,
            recorded_by=actor_or_none(actor),
        )
    return CheckIn.objects.create(
        registration=registration,
        session=session,
        center=center,
        day=timezone.localdate(),
        heads=line.checked_in,
        actor=actor_or_none(actor),
    )


def registration_hold_expired(hold: Hold, now: dt.datetime) -> None:
    """The seats' expiry job ran out a registration's hold (HOLD_EXPIRED_HOOKS): it expires, and the
    freed seats go to the waiting list. Holds of other owners are not ours and are left alone."""
    registration = Registration.objects.select_related("session__event").filter(hold_id=hold.pk).first()
    if registration is None or registration.state != RegistrationState.HELD:
        return
    registration_move(registration, RegistrationState.EXPIRED, actor=None, reason=_("Not paid in time."))
    WaitlistEntry.objects.filter(registration=registration, state=WaitlistState.OFFERED).update(
        state=WaitlistState.EXPIRED, updated_at=timezone.now()
    )
    from .waitlist import offer_next

    offer_next(registration.session, actor=None, now=now)
    registration_id = registration.pk
    transaction.on_commit(lambda: notices.registration_expired(registration_id), robust=True)


def hold_still_held(registration: Registration) -> bool:
    return Hold.objects.filter(pk=registration.hold_id, state=HoldState.HELD).exists()


@transaction.atomic
def registration_pay_at_door(*, actor: Any, registration: Registration, reference: str = "") -> Registration:
    """Staff take the money at the center's desk: what is left to pay, as one door payment.

    A party paying at the door that pays before its check-in, or a party that chose a transfer and
    pays in cash instead (its held seats become taken). Nothing due, or a registration that no longer
    keeps its seats, is refused and nothing is written."""
    registration = Registration.objects.select_related("hold", "session").get(pk=registration.pk)
    if registration.session.state != SessionState.SCHEDULED:
        raise Conflict(
            _("This session is cancelled."),
            fields={"state": _("Session cancelled.")},
            code="session_cancelled",
        )
    if registration.state not in ACTIVE_STATES:
        raise Conflict(
            _("This registration is “%(state)s”: it cannot be paid now.")
            % {"state": registration.get_state_display()},
            fields={"state": _("Not awaiting payment.")},
            code=f"state_{registration.state}",
        )
    due = registration.amount - paid_of(registration)
    if due <= 0:
        raise Conflict(
            _("Nothing is left to pay on this registration."),
            fields={"method": _("Nothing due.")},
            code="nothing_due",
        )
    if registration.state == RegistrationState.HELD:
        confirm(registration, actor=actor, reason=_("Paid at the door."))
    Payment.objects.create(
        registration=registration,
        method=PaymentMethod.DOOR,
        amount=due,
        state=PaymentState.SUCCEEDED,
        reference=reference.strip()[:100],
        recorded_by=actor_or_none(actor),
    )
    return registration
