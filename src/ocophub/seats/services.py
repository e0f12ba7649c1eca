"""Writes to capacities and holds. Every seat change is a conditional UPDATE whose row count is checked.

Seats are held only `WHERE total >= held + taken + n`, confirmed only `WHERE held >= n`, given back
only `WHERE taken >= checked_in + n`, and so on: two bookings of the last seat cannot both have it
whatever the database's isolation level, and the CheckConstraints refuse any row that a write without
such a guard would leave over the total. The ledger row goes in with the change, in the same
transaction; nothing updates or deletes a ledger row.
"""

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError, NotFound

from .models import (
    HOLD_TRANSITIONS,
    Capacity,
    Hold,
    HoldEvent,
    HoldLine,
    HoldState,
    MovementKind,
    SeatMovement,
)

logger = logging.getLogger(__name__)

MAX_SEATS = 100_000
OWNER_TYPE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

# Who queues the expiry of a hold when it runs out: the background jobs (seats.tasks) register here
# when the apps are ready, so that the services never import the jobs that call them.
HOLD_EXPIRY_SCHEDULERS: list[Callable[[dt.datetime], None]] = []

# What the owners do when the job expires one of their holds (mark the booking expired, offer the
# freed seats to the waiting list): the apps above register here when they are ready. Each is called
# inside the transaction that expires the hold, after its seats are given back; one that raises rolls
# that hold's expiry back (the next run tries it again) and does not stop the others.
HOLD_EXPIRED_HOOKS: list[Callable[[Hold], None]] = []


class SeatsFull(Conflict):
    """A capacity has fewer free seats than asked for. Says which, and how many are free."""

    code = "full"

    def __init__(self, capacity: Capacity, asked: int) -> None:
        self.capacity_id = capacity.pk
        self.free = max(capacity.free, 0)
        self.asked = asked
        if self.free == 0:
            message = _("“%(name)s” is full.") % {"name": capacity}
            field = _("No seats left.")
        else:
            message = _("“%(name)s” has only %(free)s free seats, %(asked)s asked for.") % {
                "name": capacity,
                "free": self.free,
                "asked": asked,
            }
            field = _("Only %(free)s free seats.") % {"free": self.free}
        super().__init__(message, fields={"quantity": field})


def _schedule_expiry(when: dt.datetime) -> None:
    for schedule in HOLD_EXPIRY_SCHEDULERS:
        schedule(when)


def check_seats(quantity: Any, field: str = "quantity") -> int:
    """A number of seats: a whole number from 1 to MAX_SEATS."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= MAX_SEATS:
        raise DomainError(
            _("The number of seats must be a whole number from 1 to %(max)s.")
            % {"max": f"{MAX_SEATS:,}".replace(",", ".")},
            fields={field: _("A whole number above zero.")},
        )
    return quantity


def _check_total(total: Any) -> int:
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= MAX_SEATS:
        raise DomainError(
            _("The total must be a whole number from 0 to %(max)s.")
            % {"max": f"{MAX_SEATS:,}".replace(",", ".")},
            fields={"total": _("A whole number, zero or more.")},
        )
    return total


def _ledger(
    capacity_id: int, kind: str, quantity: int, *, actor: Any, hold_id: int | None = None, reason: str = ""
) -> SeatMovement:
    return SeatMovement(
        capacity_id=capacity_id,
        hold_id=hold_id,
        kind=kind,
        quantity=quantity,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:300],
    )


def _event(hold: Hold, actor: Any, from_state: str, to_state: str, reason: str) -> None:
    HoldEvent.objects.create(
        hold=hold,
        actor=actor if getattr(actor, "pk", None) else None,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


def _capacity(capacity: Capacity | int) -> Capacity:
    pk = capacity.pk if isinstance(capacity, Capacity) else capacity
    found = None
    if isinstance(pk, int) and not isinstance(pk, bool):
        found = Capacity.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such seat capacity."), fields={"capacity": _("Unknown capacity.")})
    return found


# --- capacities ---------------------------------------------------------------------------------


@transaction.atomic
def capacity_create(
    *, actor: Any, owner_type: str, owner_id: int, total: int, key: str = "", label: str = ""
) -> Capacity:
    """The seats of one owner's thing ("events.session", 12); one per owner and key."""
    total = _check_total(total)
    if not isinstance(owner_type, str) or not OWNER_TYPE.match(owner_type):
        raise DomainError(
            _("The owner type must read “app.model”."), fields={"owner_type": _("Like events.session.")}
        )
    if isinstance(owner_id, bool) or not isinstance(owner_id, int) or owner_id <= 0:
        raise DomainError(_("The owner id must be above zero."), fields={"owner_id": _("Above zero.")})
    key = key.strip()[:40]
    if Capacity.objects.filter(owner_type=owner_type, owner_id=owner_id, key=key).exists():
        raise Conflict(
            _("This owner already has a seat capacity under this key."),
            fields={"key": _("Already in use.")},
        )
    capacity = Capacity.objects.create(
        owner_type=owner_type, owner_id=owner_id, key=key, label=label.strip()[:200], total=total
    )
    if total:
        _ledger(capacity.pk, MovementKind.RESIZE, total, actor=actor).save()
    return capacity


@transaction.atomic
def capacity_resize(*, actor: Any, capacity: Capacity | int, total: int, reason: str = "") -> Capacity:
    """Change the total; never below the seats held and taken now."""
    total = _check_total(total)
    pk = _capacity(capacity).pk
    # the row is locked so that the ledger's change of total is exact; the guard still refuses going
    # below held + taken in the UPDATE itself
    current = Capacity.objects.select_for_update().get(pk=pk)
    delta = total - current.total
    if delta == 0:
        return current
    changed = (
        Capacity.objects.alias(booked=F("held") + F("taken"))
        .filter(pk=pk, booked__lte=total)
        .update(total=total, updated_at=timezone.now())
    )
    if not changed:
        booked = current.held + current.taken
        raise Conflict(
            _("%(booked)s seats are held or taken: the total cannot go below that.") % {"booked": booked},
            fields={"total": _("At least %(n)s.") % {"n": booked}},
            code="below_booked",
        )
    _ledger(pk, MovementKind.RESIZE, delta, actor=actor, reason=reason).save()
    current.refresh_from_db()
    return current


# --- holds --------------------------------------------------------------------------------------


def _wanted(lines: Iterable[tuple[Capacity | int, int]]) -> dict[int, int]:
    wanted: dict[int, int] = {}
    try:
        pairs = list(lines)
    except TypeError:
        pairs = []
    for pair in pairs:
        try:
            capacity, quantity = pair
        except (TypeError, ValueError):
            raise DomainError(
                _("Each line is a capacity and a number of seats."), fields={"lines": _("Not a line.")}
            ) from None
        pk = capacity.pk if isinstance(capacity, Capacity) else capacity
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise NotFound(_("No such seat capacity."), fields={"capacity": _("Unknown capacity.")})
        wanted[pk] = wanted.get(pk, 0) + check_seats(quantity)
        check_seats(wanted[pk])
    if not wanted:
        raise DomainError(_("A hold needs at least one seat."), fields={"lines": _("No seats asked for.")})
    return wanted


@transaction.atomic
def seats_hold(
    *,
    actor: Any,
    lines: Iterable[tuple[Capacity | int, int]],
    expires_at: dt.datetime,
    reference: str = "",
    reason: str = "",
) -> Hold:
    """Hold seats on one or more capacities, all or nothing, until `expires_at`.

    Capacities are changed in primary-key order (so that two bookings of the same ones cannot deadlock
    on PostgreSQL), each by a conditional UPDATE; the first that is short raises SeatsFull naming it
    and its free seats, and the transaction — every earlier line with it — is rolled back.
    """
    wanted = _wanted(lines)
    if not isinstance(expires_at, dt.datetime) or timezone.is_naive(expires_at):
        raise DomainError(_("The hold needs an expiry time."), fields={"expires_at": _("A time.")})
    now = timezone.now()
    if expires_at <= now:
        raise DomainError(
            _("A hold must expire in the future."), fields={"expires_at": _("Not in the future.")}
        )
    known = set(Capacity.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if len(known) != len(wanted):
        raise NotFound(_("No such seat capacity."), fields={"capacity": _("Unknown capacity.")})
    for pk in sorted(wanted):
        n = wanted[pk]
        changed = Capacity.objects.filter(pk=pk, total__gte=F("held") + F("taken") + n).update(
            held=F("held") + n, updated_at=now
        )
        if not changed:
            raise SeatsFull(Capacity.objects.get(pk=pk), n)
    hold = Hold.objects.create(reference=reference.strip()[:80], expires_at=expires_at)
    HoldLine.objects.bulk_create(
        [HoldLine(hold=hold, capacity_id=pk, quantity=wanted[pk]) for pk in sorted(wanted)]
    )
    SeatMovement.objects.bulk_create(
        [
            _ledger(pk, MovementKind.HOLD, wanted[pk], actor=actor, hold_id=hold.pk, reason=reason)
            for pk in sorted(wanted)
        ]
    )
    _event(hold, actor, "", HoldState.HELD, reason)
    transaction.on_commit(lambda: _schedule_expiry(expires_at), robust=True)
    return hold


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
    _event(hold, actor, current, to_state, reason)
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
            _ledger(line.capacity_id, kind, line.quantity, actor=actor, hold_id=hold.pk, reason=reason)
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
    if HOLD_EXPIRED_HOOKS:
        hold = Hold.objects.get(pk=pk)
        for hook in HOLD_EXPIRED_HOOKS:
            hook(hold)
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
            _ledger(line.capacity_id, MovementKind.CANCEL, n, actor=actor, hold_id=hold.pk, reason=reason)
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
    _ledger(line.capacity_id, MovementKind.CHECK_IN, n, actor=actor, hold_id=hold.pk, reason=reason).save()
    line.refresh_from_db()
    return line
