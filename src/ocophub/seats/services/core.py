"""Writes to capacities and holds. Every seat change is a conditional UPDATE whose row count is checked.

Seats are held only `WHERE total >= held + taken + n`, confirmed only `WHERE held >= n`, given back
only `WHERE taken >= checked_in + n`, and so on: two bookings of the last seat cannot both have it
whatever the database's isolation level, and the CheckConstraints refuse any row that a write without
such a guard would leave over the total. The ledger row goes in with the change, in the same
transaction; nothing updates or deletes a ledger row.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError, NotFound

from ..models import (
    Capacity,
    Hold,
    HoldEvent,
    HoldLine,
    HoldState,
    MovementKind,
    SeatMovement,
)

MAX_SEATS = 100_000
OWNER_TYPE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

# Who queues the expiry of a hold when it runs out: the background jobs (seats.tasks) register here
# when the apps are ready, so that the services never import the jobs that call them.
HOLD_EXPIRY_SCHEDULERS: list[Callable[[dt.datetime], None]] = []

# What the owners do when the job expires one of their holds (mark the booking expired, offer the
# freed seats to the waiting list): the apps above register here when they are ready. Each is called
# with the hold and the job's clock (offers it makes run from that time, so that a run of the job at a
# given time never makes offers that are already past it) inside the transaction that expires the
# hold, after its seats are given back; one that raises rolls that hold's expiry back (the next run
# tries it again) and does not stop the others.
HOLD_EXPIRED_HOOKS: list[Callable[[Hold, dt.datetime], None]] = []


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


def ledger_write(
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


def event_write(hold: Hold, actor: Any, from_state: str, to_state: str, reason: str) -> None:
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
        ledger_write(capacity.pk, MovementKind.RESIZE, total, actor=actor).save()
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
    ledger_write(pk, MovementKind.RESIZE, delta, actor=actor, reason=reason).save()
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
            ledger_write(pk, MovementKind.HOLD, wanted[pk], actor=actor, hold_id=hold.pk, reason=reason)
            for pk in sorted(wanted)
        ]
    )
    event_write(hold, actor, "", HoldState.HELD, reason)
    transaction.on_commit(lambda: _schedule_expiry(expires_at), robust=True)
    return hold
