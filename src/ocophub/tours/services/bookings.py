"""Bookings: one all-or-nothing hold on the vehicle and every workshop of the departure; paid
(VietQR) or confirmed by the operator; cancelled by the tour's rule; expired with their hold;
checked in once by the ticket code."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError, NotFound
from ocophub.common.money import round_vnd
from ocophub.common.services import change_record_write, changes_between
from ocophub.seats import services as seats
from ocophub.seats.models import Hold

from .. import notices
from ..models import (
    BOOKING_TRANSITIONS,
    Booking,
    BookingEvent,
    BookingState,
    BookingType,
    CheckIn,
    Departure,
    DepartureState,
    Payment,
    PaymentState,
    Refund,
    TourState,
    WaitlistEntry,
    WaitlistState,
)
from .base import (
    actor_or_none,
    clean_code,
    confirmation_hours,
    contact_check,
    hold_minutes,
    invalid,
    move,
    new_code,
    party_check,
)
from .departures import capacity_ids, free_of, locked_departure, sync_sold_out


class BookingFull(Conflict):
    """The departure has fewer free seats than the party: the caller offers the waiting list."""

    code = "full"

    def __init__(self, free: int, asked: int) -> None:
        self.free = free
        self.asked = asked
        if free <= 0:
            message = _("This departure is full: join the waiting list and we will offer you freed seats.")
        else:
            message = _(
                "Only %(free)s seats are left for %(asked)s people: join the waiting list "
                "or book for fewer people."
            ) % {"free": free, "asked": asked}
        super().__init__(message, fields={"adults": _("Only %(n)s free seats.") % {"n": max(free, 0)}})


def booking_move(booking: Booking, to_state: str, *, actor: Any, reason: str = "") -> str:
    return move(
        booking,
        to_state,
        BOOKING_TRANSITIONS,
        actor=actor,
        reason=reason,
        event_model=BookingEvent,
        event_field="booking",
        labels=BookingState,
    )


def departure_open_check(departure: Departure, errors: dict[str, str], now: dt.datetime) -> None:
    """A departure takes bookings (and waiting parties) while it runs, its tour is published, and its
    booking has not closed (the tour's cut-off before it leaves)."""
    tour = departure.tour
    if departure.state == DepartureState.CANCELLED:
        errors["departure"] = _("This departure is cancelled.")
    elif departure.state == DepartureState.COMPLETED or departure.starts_at <= now:
        errors["departure"] = _("This departure has already left.")
    elif tour.state != TourState.PUBLISHED:
        errors["departure"] = _("This tour is not open for booking.")
    elif departure.starts_at - dt.timedelta(hours=tour.cutoff_hours) <= now:
        errors["departure"] = _("Booking closed %(n)s hours before the departure.") % {"n": tour.cutoff_hours}


def total_of(departure: Departure, adults: int, children: int) -> int:
    return int(departure.tour.adult_price * adults + departure.tour.child_price * children)


def place(
    *,
    actor: Any,
    departure: Departure,
    adults: int,
    children: int,
    name: str,
    email: str,
    phone: str,
    customer: Any,
    expires_at: dt.datetime,
    state: str,
) -> Booking:
    """Hold the party's seats on every capacity of the departure and write the booking (a savepoint:
    all or nothing — a booking that cannot get every hold gets none)."""
    party = adults + children
    with transaction.atomic():
        code = new_code()
        try:
            hold = seats.seats_hold(
                actor=actor,
                lines=[(pk, party) for pk in capacity_ids(departure)],
                expires_at=expires_at,
                reference=f"tours.booking:{code}",
            )
        except seats.SeatsFull:
            raise BookingFull(free_of(departure), party) from None
        booking = Booking.objects.create(
            departure=departure,
            adults=adults,
            children=children,
            name=name,
            email=email,
            phone=phone,
            customer=actor_or_none(customer),
            hold=hold,
            code=code,
            total=total_of(departure, adults, children),
            expires_at=expires_at,
            state=state,
        )
        BookingEvent.objects.create(booking=booking, actor=actor_or_none(actor), to_state=state)
    return booking


def confirm(booking: Booking, *, actor: Any, reason: str = "") -> Booking:
    """The held seats become taken and the booking confirmed. The hold is changed before the booking,
    in the order the seats' expiry job takes them, so that the two cannot deadlock."""
    seats.hold_confirm(actor=actor, hold=booking.hold, reason=reason)
    booking_move(booking, BookingState.CONFIRMED, actor=actor, reason=reason)
    Booking.objects.filter(pk=booking.pk).update(expires_at=None)
    booking.expires_at = None
    return booking


@transaction.atomic
def booking_create(
    *,
    actor: Any,
    departure: Departure | int,
    adults: Any,
    children: Any = 0,
    name: Any,
    email: Any,
    phone: Any = "",
    customer: Any = None,
) -> Booking:
    """Book a party on a departure; nothing is written unless every detail is right.

    An instant tour holds the seats for TOURS_HOLD_MINUTES until paid (a free one is confirmed at
    once); an on-request tour holds them for TOURS_CONFIRMATION_HOURS while the operator decides.
    Short of seats on the vehicle or on any workshop, the answer is BookingFull (code "full")."""
    now = timezone.now()
    departure = locked_departure(departure)
    tour = departure.tour
    errors: dict[str, str] = {}
    adults, children = party_check(
        adults=adults, children=children, children_need_adult=tour.children_need_adult, errors=errors
    )
    name, email, phone = contact_check(name=name, email=email, phone=phone, errors=errors)
    departure_open_check(departure, errors, now)
    total_seats = departure.capacity.total if departure.capacity else 0
    if adults + children > total_seats and "adults" not in errors:
        errors["adults"] = _("The vehicle has %(n)s seats in all.") % {"n": total_seats}
    if errors:
        raise invalid(errors)
    on_request = tour.booking_type == BookingType.ON_REQUEST
    if on_request:
        expires_at = min(now + dt.timedelta(hours=confirmation_hours()), departure.starts_at)
    else:
        expires_at = now + dt.timedelta(minutes=hold_minutes())
    booking = place(
        actor=actor,
        departure=departure,
        adults=adults,
        children=children,
        name=name,
        email=email,
        phone=phone,
        customer=customer,
        expires_at=expires_at,
        state=BookingState.PENDING if on_request else BookingState.HELD,
    )
    if not on_request and booking.total == 0:
        confirm(booking, actor=actor, reason=_("Free tour."))
    sync_sold_out(departure, actor=actor)
    booking_id = booking.pk
    transaction.on_commit(lambda: notices.booking_made(booking_id), robust=True)
    return booking


def _fresh(booking: Booking | int) -> Booking:
    pk = booking.pk if isinstance(booking, Booking) else booking
    found = Booking.objects.select_related("hold", "departure__tour").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such booking."), fields={"booking": _("Unknown booking.")})
    return found


@transaction.atomic
def booking_confirm(*, actor: Any, booking: Booking) -> Booking:
    """The operator accepts an on-request booking: its seats are taken; payment is then due."""
    booking = _fresh(booking)
    if booking.state != BookingState.PENDING:
        raise Conflict(
            _("This booking is “%(state)s”: there is nothing to confirm.")
            % {"state": booking.get_state_display()},
            fields={"state": _("Not awaiting confirmation.")},
            code=f"state_{booking.state}",
        )
    confirm(booking, actor=actor, reason=_("Confirmed by the operator."))
    booking_id = booking.pk
    transaction.on_commit(lambda: notices.booking_made(booking_id), robust=True)
    return booking


@transaction.atomic
def booking_contact_set(*, actor: Any, booking: Booking, name: Any, email: Any, phone: Any = "") -> Booking:
    """The lead traveller's name, e-mail and phone, given later than the booking (a reseller's
    confirmation): checked as at booking, the history keeps what changed."""
    booking = _fresh(booking)
    errors: dict[str, str] = {}
    name, email, phone = contact_check(name=name, email=email, phone=phone, errors=errors)
    if errors:
        raise invalid(errors)
    before = {"name": booking.name, "email": booking.email, "phone": booking.phone}
    after = {"name": name, "email": email, "phone": phone}
    if before != after:
        Booking.objects.filter(pk=booking.pk).update(**after, updated_at=timezone.now())
        change_record_write(actor=actor, obj=booking, changes=changes_between(before, after))
        booking.name, booking.email, booking.phone = name, email, phone
    return booking


def paid_of(booking: Booking) -> int:
    return int(
        Payment.objects.filter(booking=booking, state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))["n"]
        or 0
    )


def refunded_of(booking: Booking) -> int:
    return int(
        Refund.objects.filter(payment__booking=booking, state=PaymentState.SUCCEEDED).aggregate(
            n=Sum("amount")
        )["n"]
        or 0
    )


@transaction.atomic
def booking_pay(*, actor: Any, booking: Booking, reference: str = "") -> Booking:
    """The VietQR transfer of what is due arrived: a payment row; a held booking's seats become taken.

    Refused once the booking expired or was cancelled (its seats went back), and while an on-request
    booking awaits the operator."""
    booking = _fresh(booking)
    due = booking.total - paid_of(booking)
    if booking.state == BookingState.PENDING:
        raise Conflict(
            _("The operator has not confirmed this booking yet."),
            fields={"state": _("Awaiting confirmation.")},
            code="not_confirmed",
        )
    if booking.state not in (BookingState.HELD, BookingState.CONFIRMED):
        raise Conflict(
            _("This booking is “%(state)s”: it cannot be paid now.") % {"state": booking.get_state_display()},
            fields={"state": _("Not awaiting payment.")},
            code=f"state_{booking.state}",
        )
    if due <= 0:
        raise Conflict(_("This booking is paid."), fields={"state": _("Nothing due.")}, code="paid")
    if booking.state == BookingState.HELD:
        confirm(booking, actor=actor, reason=_("Paid by bank transfer."))
    Payment.objects.create(
        booking=booking,
        amount=due,
        state=PaymentState.SUCCEEDED,
        reference=(reference or "").strip()[:100],
        recorded_by=actor_or_none(actor),
    )
    booking_id = booking.pk
    transaction.on_commit(lambda: notices.booking_made(booking_id), robust=True)
    return booking


def refund_share(departure: Departure, now: dt.datetime | None = None) -> int:
    """The percent of what was paid a visitor gets back: by whole days from today to the departure's
    day (both in Hanoi time), the first tier of the tour's rule whose days it reaches; none past all."""
    today = local_today() if now is None else timezone.localdate(now)
    days = (timezone.localdate(departure.starts_at) - today).days
    for tier in sorted(departure.tour.refund_rule or [], key=lambda tier: -int(tier["days"])):
        if days >= int(tier["days"]):
            return int(tier["percent"])
    return 0


def refund(booking: Booking, amount: int, *, actor: Any, reason: str) -> list[Refund]:
    """Spread a refund over the booking's payments, last first; never more than each has left."""
    remaining = amount
    made = []
    for payment in booking.payments.filter(state=PaymentState.SUCCEEDED).order_by("-created_at", "-pk"):
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


def cancel(booking: Booking, *, actor: Any, reason: str, share: int | None, offer: bool = True) -> Booking:
    """Give the seats back and refund `share` percent of what is left paid (the tour's rule when None).
    The caller holds the departure's lock."""
    if booking.state in (BookingState.HELD, BookingState.PENDING):
        seats.hold_release(actor=actor, hold=booking.hold, reason=reason)  # the hold first: see confirm
        booking_move(booking, BookingState.CANCELLED, actor=actor, reason=reason)
    elif booking.state == BookingState.CONFIRMED:
        if CheckIn.objects.filter(booking=booking).exists():
            raise Conflict(
                _("This party is already checked in: the booking cannot be cancelled."),
                fields={"state": _("Checked in.")},
                code="checked_in",
            )
        percent = refund_share(booking.departure) if share is None else share
        left = paid_of(booking) - refunded_of(booking)
        amount = round_vnd(Decimal(left) * percent / 100) if left > 0 else 0
        booking_move(booking, BookingState.CANCELLED, actor=actor, reason=reason)
        seats.seats_cancel(actor=actor, hold=booking.hold, reason=reason)
        if amount:
            refund(booking, amount, actor=actor, reason=reason)
    else:
        raise Conflict(
            _("This booking is “%(state)s”: there is nothing to cancel.")
            % {"state": booking.get_state_display()},
            fields={"state": _("Nothing to cancel.")},
            code=f"state_{booking.state}",
        )
    WaitlistEntry.objects.filter(booking=booking, state=WaitlistState.OFFERED).update(
        state=WaitlistState.LEFT, updated_at=timezone.now()
    )
    if offer:
        from .waitlist import offer_next

        offer_next(booking.departure, actor=actor)
        sync_sold_out(booking.departure, actor=actor)
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking, reason: str = "") -> Booking:
    """The visitor (or the operator for them, or declining an on-request booking) cancels before the
    departure leaves: the seats go back, what was paid comes back by the tour's rule in whole đồng,
    and the freed seats are offered to the waiting list."""
    found = _fresh(booking)
    locked_departure(found.departure_id)
    booking = _fresh(found.pk)
    if booking.departure.starts_at <= timezone.now():
        raise Conflict(
            _("The departure has left: a booking can no longer be cancelled."),
            fields={"departure": _("Already left.")},
            code="started",
        )
    cancel(booking, actor=actor, reason=reason or _("Cancelled by the visitor."), share=None)
    booking_id = booking.pk
    transaction.on_commit(lambda: notices.booking_cancelled(booking_id), robust=True)
    return booking


@transaction.atomic
def check_in_by_code(*, actor: Any, code: str, departure: Departure | None = None) -> CheckIn:
    """The guide scans (or types) a ticket at the meeting point: the party's vehicle seats are checked
    in, once; a second scan is "already checked in" (code already_checked_in)."""
    cleaned = clean_code(code)
    if not cleaned:
        raise DomainError(_("Enter or scan a ticket code."), fields={"code": _("Required.")})
    booking = Booking.objects.select_related("hold", "departure__tour").filter(code=cleaned).first()
    if booking is None:
        raise NotFound(_("No ticket has this code."), fields={"code": _("Unknown ticket.")})
    if departure is not None and booking.departure_id != departure.pk:
        raise DomainError(
            _("This ticket is for another departure."),
            fields={"code": _("Another departure's ticket.")},
            code="other_departure",
        )
    if booking.departure.state == DepartureState.CANCELLED:
        raise Conflict(
            _("This departure is cancelled."), fields={"code": _("Departure cancelled.")}, code="cancelled"
        )
    if booking.state in (BookingState.HELD, BookingState.PENDING):
        raise Conflict(
            _("This booking is not confirmed and paid yet."), fields={"code": _("Not paid.")}, code="not_paid"
        )
    if booking.state != BookingState.CONFIRMED:
        raise Conflict(
            _("This ticket is “%(state)s”.") % {"state": booking.get_state_display()},
            fields={"code": _("Not valid.")},
            code=f"state_{booking.state}",
        )
    assert booking.departure.capacity_id is not None
    line = seats.seats_check_in(
        actor=actor,
        hold=booking.hold,
        capacity=booking.departure.capacity_id,
        reason=f"ticket {booking.code}",
    )
    return CheckIn.objects.create(
        booking=booking, departure=booking.departure, heads=line.checked_in, actor=actor_or_none(actor)
    )


def booking_hold_expired(hold: Hold, now: dt.datetime) -> None:
    """The seats' expiry job ran out a booking's hold (HOLD_EXPIRED_HOOKS): it expires. The freed
    seats go to the waiting list, and a sold-out departure reopens, after the commit (the job holds the
    capacities and must not wait for the departure's row: see the package's docstring). Holds of other
    owners are left alone."""
    booking = Booking.objects.filter(hold_id=hold.pk).first()
    if booking is None or booking.state not in (BookingState.HELD, BookingState.PENDING):
        return
    booking_move(booking, BookingState.EXPIRED, actor=None, reason=_("Not paid or confirmed in time."))
    WaitlistEntry.objects.filter(booking=booking, state=WaitlistState.OFFERED).update(
        state=WaitlistState.EXPIRED, updated_at=timezone.now()
    )
    booking_id, departure_id = booking.pk, booking.departure_id
    transaction.on_commit(lambda: seats_freed(departure_id, now), robust=True)
    transaction.on_commit(lambda: notices.booking_expired(booking_id), robust=True)


@transaction.atomic
def seats_freed(departure_id: int, now: dt.datetime | None = None) -> None:
    """Seats of a departure came free outside its lock: offer them (from `now`, the clock of the job
    that freed them), reopen it if it was sold out."""
    from .waitlist import offer_next

    departure = locked_departure(departure_id)
    offer_next(departure, actor=None, now=now)
    sync_sold_out(departure, actor=None)
