"""Moves of a hold once placed: confirm, release, expire, cancel and check in."""

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError, NotFound

from ..models import (
    HOLD_TRANSITIONS,
    Capacity,
    Hold,
    HoldLine,
    HoldState,
    MovementKind,
    SeatMovement,
)
from . import core
from .core import check_seats, event_write, ledger_write

logger = logging.getLogger(__name__)


def _move(hold: Hold, to_state: str, *, actor: Any, reason: str = "", guard: Q | None = None) -> bool:
    """Guarded, conditional move: only from a state the map allows, and only once.

    The state is read afresh and changed only where it is still that state, so that of two racing
    moves (a payment and the expiry job) exactly one wins. False when `guard` no longer holds.
    """
    current = Hold.objects.filter(pk=hold.pk).values_list("state", flat=True).first()
    if current is None:
        raise NotFound(_("No such seat hold."))
    hold.state = current
    if to_state not in HOLD_TRANSITIONS.get(current, ()):
        raise Conflict(
            _("A hold that is “%(state)s” cannot become “%(to)s”.")
            % {"state": hold.get_state_display(), "to": HoldState(to_state).label},
            fields={"state": _("Not allowed from the current state.")},
            code=f"hold_{current}",
        )
    rows = Hold.objects.filter(pk=hold.pk, state=current)
    if guard is not None:
        rows = rows.filter(guard)
    if not rows.update(state=to_state, updated_at=timezone.now()):
        if guard is not None:
            return False
        raise Conflict(_("The hold changed meanwhile; reload it."), fields={"state": _("Changed meanwhile.")})
    event_write(hold, actor, current, to_state, reason)
    hold.state = to_state
    return True


def _lines(hold: Hold) -> list[HoldLine]:
    return list(HoldLine.objects.filter(hold_id=hold.pk).order_by("capacity_id"))


def _unhold(hold: Hold, kind: str, *, actor: Any, reason: str) -> None:
    """The held seats of every line leave `held`: to `taken` (confirm) or back to free."""
    now = timezone.now()
    movements = []
    for line in _lines(hold):
        updates: dict[str, Any] = {"held": F("held") - line.quantity, "updated_at": now}
        if kind == MovementKind.CONFIRM:
            updates["taken"] = F("taken") + line.quantity
        if not Capacity.objects.filter(pk=line.capacity_id, held__gte=line.quantity).update(**updates):
            raise Conflict(_("The seats of this hold are no longer held."))
        movements.append(
            ledger_write(line.capacity_id, kind, line.quantity, actor=actor, hold_id=hold.pk, reason=reason)
        )
    SeatMovement.objects.bulk_create(movements)


@transaction.atomic
def hold_confirm(*, actor: Any, hold: Hold, reason: str = "") -> Hold:
    """The booking is paid or accepted: its held seats become taken.

    A hold past its expiry time that the job has not expired yet is still confirmed: its seats are
    still held (the same rule as an order's late transfer)."""
    _move(hold, HoldState.CONFIRMED, actor=actor, reason=reason)
    _unhold(hold, MovementKind.CONFIRM, actor=actor, reason=reason)
    return hold


@transaction.atomic
def hold_release(*, actor: Any, hold: Hold, reason: str = "") -> Hold:
    """An unpaid hold is given up (the visitor left, the operator refused the booking)."""
    _move(hold, HoldState.RELEASED, actor=actor, reason=reason)
    _unhold(hold, MovementKind.RELEASE, actor=actor, reason=reason)
    return hold


def holds_expire(now: dt.datetime | None = None) -> int:
    """Expire every held hold whose time has run out and give its seats back; the number expired.

    Safe to run any time and from several workers at once: each hold is expired by a conditional
    UPDATE of its state in its own transaction, so that a hold is expired once (or confirmed by a
    payment that got there first); on PostgreSQL a hold another worker or a payment has locked is
    skipped rather than waited for.
    """
    now = now or timezone.now()
    due = list(
        Hold.objects.filter(state=HoldState.HELD, expires_at__lt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in due:
        try:
            expired += _expire_one(pk, now)
        except Exception:
            # a failing owner's hook: this hold stays held until the next run; the others go on
            logger.exception("seat hold %s was not expired", pk)
    return expired


@transaction.atomic
def _expire_one(pk: int, now: dt.datetime) -> bool:
    if connection.features.has_select_for_update_skip_locked:
        locked = Hold.objects.select_for_update(skip_locked=True).filter(pk=pk, state=HoldState.HELD)
        if not list(locked.values_list("pk", flat=True)):
            return False
    hold = Hold(pk=pk)
    try:
        moved = _move(
            hold,
            HoldState.EXPIRED,
            actor=None,
            reason=_("Not paid within the hold time."),
            guard=Q(expires_at__lt=now),
        )
    except Conflict:
        return False  # confirmed or released meanwhile
    if not moved:
        return False
    _unhold(hold, MovementKind.EXPIRE, actor=None, reason="")
    if core.HOLD_EXPIRED_HOOKS:
        hold = Hold.objects.get(pk=pk)
        for hook in core.HOLD_EXPIRED_HOOKS:
            hook(hold, now)
    return True


# --- confirmed seats: cancel and check in ---------------------------------------------------------


def _confirmed(hold: Hold) -> None:
    state = Hold.objects.filter(pk=hold.pk).values_list("state", flat=True).first()
    if state is None:
        raise NotFound(_("No such seat hold."))
    hold.state = state
    if state == HoldState.HELD:
        raise Conflict(
            _("These seats are held but not confirmed yet."),
            fields={"hold": _("Not confirmed.")},
            code="not_confirmed",
        )
    if state != HoldState.CONFIRMED:
        raise Conflict(
            _("This booking is “%(state)s”: it has no seats.") % {"state": hold.get_state_display()},
            fields={"hold": _("No seats.")},
            code="not_booked",
        )


def _line_of(hold: Hold, capacity: Capacity | int) -> HoldLine:
    pk = capacity.pk if isinstance(capacity, Capacity) else capacity
    line = HoldLine.objects.filter(hold_id=hold.pk, capacity_id=pk).first()
    if line is None:
        raise DomainError(
            _("This booking has no seats here."),
            fields={"capacity": _("Another capacity.")},
            code="wrong_capacity",
        )
    return line


@transaction.atomic
def seats_cancel(
    *,
    actor: Any,
    hold: Hold,
    quantity: int | None = None,
    capacity: Capacity | int | None = None,
    reason: str = "",
) -> Hold:
    """Confirmed seats are given back: `quantity` of them on every line (or on `capacity`'s line
    only), or all that are not checked in. Checked-in seats are not cancelled. A hold with no seats
    left becomes cancelled."""
    if quantity is not None:
        check_seats(quantity)
    _confirmed(hold)
    lines = [_line_of(hold, capacity)] if capacity is not None else _lines(hold)
    now = timezone.now()
    movements = []
    for line in lines:
        n = quantity if quantity is not None else line.quantity - line.cancelled - line.checked_in
        if n == 0:
            continue
        rows = HoldLine.objects.filter(pk=line.pk, quantity__gte=F("cancelled") + F("checked_in") + n)
        if not rows.update(cancelled=F("cancelled") + n):
            line.refresh_from_db()
            left = line.quantity - line.cancelled - line.checked_in
            raise Conflict(
                _("Only %(n)s of these seats can be cancelled (checked-in seats cannot).") % {"n": left},
                fields={"quantity": _("At most %(n)s.") % {"n": left}},
                code="too_many",
            )
        if not Capacity.objects.filter(pk=line.capacity_id, taken__gte=F("checked_in") + n).update(
            taken=F("taken") - n, updated_at=now
        ):
            raise Conflict(_("The seats of this booking are no longer taken."))
        movements.append(
            ledger_write(
                line.capacity_id, MovementKind.CANCEL, n, actor=actor, hold_id=hold.pk, reason=reason
            )
        )
    if not movements:
        raise Conflict(
            _("Nothing left to cancel: the seats are checked in."),
            fields={"quantity": _("Nothing to cancel.")},
            code="nothing_to_cancel",
        )
    SeatMovement.objects.bulk_create(movements)
    if not HoldLine.objects.filter(hold_id=hold.pk, quantity__gt=F("cancelled")).exists():
        _move(hold, HoldState.CANCELLED, actor=actor, reason=reason)
    return hold


@transaction.atomic
def seats_check_in(
    *,
    actor: Any,
    hold: Hold,
    capacity: Capacity | int | None = None,
    quantity: int | None = None,
    reason: str = "",
) -> HoldLine:
    """Confirmed seats of one line are checked in: `quantity` of them, or all not checked in yet.

    A hold of one line needs no capacity; a hold of several names the one checked in at (the
    vehicle at the meeting point, the workshop's room). Seats are checked in once: when none are
    left the answer is "already checked in", and never more than the confirmed seats."""
    if quantity is not None:
        check_seats(quantity)
    _confirmed(hold)
    if capacity is None:
        lines = _lines(hold)
        if len(lines) != 1:
            raise DomainError(
                _("This booking has seats on several capacities: say which one is checked in."),
                fields={"capacity": _("Required.")},
            )
        line = lines[0]
    else:
        line = _line_of(hold, capacity)
    left = line.quantity - line.cancelled - line.checked_in
    n = quantity if quantity is not None else left
    rows = HoldLine.objects.filter(pk=line.pk, quantity__gte=F("cancelled") + F("checked_in") + n)
    if n == 0 or not rows.update(checked_in=F("checked_in") + n):
        line.refresh_from_db()
        left = line.quantity - line.cancelled - line.checked_in
        if left == 0:
            raise Conflict(
                _("Already checked in."), fields={"hold": _("Already checked in.")}, code="already_checked_in"
            )
        raise Conflict(
            _("Only %(n)s seats of this booking are left to check in.") % {"n": left},
            fields={"quantity": _("At most %(n)s.") % {"n": left}},
            code="too_many",
        )
    if not Capacity.objects.filter(pk=line.capacity_id, taken__gte=F("checked_in") + n).update(
        checked_in=F("checked_in") + n, updated_at=timezone.now()
    ):
        raise Conflict(_("The seats of this booking are no longer taken."))
    ledger_write(
        line.capacity_id, MovementKind.CHECK_IN, n, actor=actor, hold_id=hold.pk, reason=reason
    ).save()
    line.refresh_from_db()
    return line
