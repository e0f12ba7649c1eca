"""Visits: the staff of a center scan a group's tickets when it arrives. The first ticket scanned
for a departure at a center opens its visit (the window that counter sales are attributed to); each
booking's ticket counts once per center. Commission rates agreed by a center with an operator."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.errors import Conflict, DomainError, NotFound

from ..models import (
    Booking,
    BookingState,
    CommissionRate,
    DepartureState,
    Operator,
    TourStop,
    Visit,
    VisitTicket,
)
from .base import actor_or_none, clean_code, whole


def visit_minutes() -> int:
    """The visit window when the itinerary's stop gives no planned minutes."""
    return int(getattr(settings, "TOURS_VISIT_MINUTES", 90))


def _refuse_booking(booking: Booking, center: Center) -> TourStop:
    """The stop of the booking's tour at the center, or why the ticket is refused there."""
    departure = booking.departure
    stop = TourStop.objects.filter(tour_id=departure.tour_id, center=center).order_by("position").first()
    if stop is None:
        raise DomainError(
            _("This tour does not visit this center."),
            fields={"code": _("Another center's tour.")},
            code="other_center",
        )
    if departure.state == DepartureState.CANCELLED:
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
    return stop


@transaction.atomic
def visit_check_in(*, actor: Any, center: Center, code: str, now: dt.datetime | None = None) -> VisitTicket:
    """A center's staff scan (or type) a tour ticket when the group arrives. The ticket must be of a
    confirmed booking on a departure that runs today (Asia/Ho_Chi_Minh) and whose tour stops at this
    center. The departure's visit to the center is opened by the first ticket, its window running the
    stop's planned minutes (TOURS_VISIT_MINUTES when it has none); each booking counts once: a second
    scan at the same center is 409 `already_checked_in` and writes nothing. Two scans at once are
    told apart by the unique constraints, never by a read before the write."""
    now = now or timezone.now()
    cleaned = clean_code(code)
    if not cleaned:
        raise DomainError(_("Enter or scan a ticket code."), fields={"code": _("Required.")})
    booking = Booking.objects.select_related("departure__tour").filter(code=cleaned).first()
    if booking is None:
        raise NotFound(_("No ticket has this code."), fields={"code": _("Unknown ticket.")})
    stop = _refuse_booking(booking, center)
    departure = booking.departure
    day = timezone.localtime(departure.starts_at).date()
    if timezone.localtime(now).date() != day:
        raise DomainError(
            _("This ticket is for the departure of %(day)s, not today.") % {"day": f"{day:%d/%m/%Y}"},
            fields={"code": _("Another day's ticket.")},
            code="wrong_day",
        )
    visit = Visit.objects.filter(departure=departure, center=center).first()
    if visit is None:
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    departure=departure,
                    center=center,
                    operator_id=departure.tour.operator_id,
                    arrived_at=now,
                    ends_at=now + dt.timedelta(minutes=stop.minutes or visit_minutes()),
                    recorded_by=actor_or_none(actor),
                )
        except IntegrityError:
            # another scan of the same group opened it meanwhile
            visit = Visit.objects.get(departure=departure, center=center)
    try:
        with transaction.atomic():
            ticket = VisitTicket.objects.create(
                visit=visit, booking=booking, heads=booking.party, at=now, actor=actor_or_none(actor)
            )
    except IntegrityError:
        raise Conflict(
            _("Already checked in at this center."),
            fields={"code": _("Already checked in.")},
            code="already_checked_in",
        ) from None
    Visit.objects.filter(pk=visit.pk).update(heads=F("heads") + booking.party)
    visit.refresh_from_db(fields=["heads"])
    ticket.visit = visit
    return ticket


@transaction.atomic
def commission_rate_set(
    *, actor: Any, center: Center, operator: Any, basis_points: Any, starts_on: Any
) -> CommissionRate:
    """The center's manager records the share of attributed sales paid to an operator from a day on
    (basis points: 1 % = 100, at most 10 000). A second rate on the same day replaces the first."""
    errors: dict[str, str] = {}
    if isinstance(operator, Operator):
        op: Operator | None = operator
    else:
        op = Operator.objects.filter(pk=operator).first() if whole(operator) else None
    if op is None:
        errors["operator"] = _("Choose an operator.")
    if isinstance(basis_points, bool) or not isinstance(basis_points, int) or not 0 <= basis_points <= 10_000:
        errors["basis_points"] = _("The rate is a whole number of basis points from 0 to 10 000.")
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = _("Enter the first day of the rate.")
    if errors:
        raise DomainError(_("Some details are missing or wrong."), fields=errors)
    assert op is not None
    rate, _created = CommissionRate.objects.update_or_create(
        center=center,
        operator=op,
        starts_on=starts_on,
        defaults={"basis_points": basis_points, "actor": actor_or_none(actor)},
    )
    return rate
