"""Reads of seats shared by the owners' screens: free seats of many capacities in one query.

A date range is the owner's business: it picks its sessions or departures of the range and passes
their capacity ids — a list, or a queryset of ids, which becomes a subquery of the same one query.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When

from .models import Capacity, Hold, HoldLine, MovementKind, SeatMovement


@dataclass(frozen=True)
class Seats:
    """The counters of one capacity."""

    total: int
    held: int
    taken: int
    checked_in: int

    @property
    def free(self) -> int:
        return self.total - self.held - self.taken


CapacityIds = Iterable[int] | QuerySet[Any, Any]


def _ids(capacity_ids: CapacityIds) -> Any:
    return capacity_ids if isinstance(capacity_ids, QuerySet) else list(capacity_ids)


def seats_of(capacity_ids: CapacityIds) -> dict[int, Seats]:
    """Capacity id → its counters, in one query; unknown ids are missing from the answer."""
    rows = Capacity.objects.filter(pk__in=_ids(capacity_ids)).values_list(
        "pk", "total", "held", "taken", "checked_in"
    )
    return {pk: Seats(total, held, taken, checked_in) for pk, total, held, taken, checked_in in rows}


def free_seats(capacity_ids: CapacityIds) -> dict[int, int]:
    """Capacity id → free seats (total − held − taken), in one query."""
    return {pk: seats.free for pk, seats in seats_of(capacity_ids).items()}


def free_of_bundles[K: Hashable](bundles: Mapping[K, Iterable[int]]) -> dict[K, int]:
    """Free seats of bookings that need every capacity of a bundle at once (a departure's vehicle and
    its workshop rooms): bundle key → the fewest free seats among its capacities, in one query. A bundle
    with no capacity, or with one unknown, has 0."""
    wanted = {key: list(ids) for key, ids in bundles.items()}
    free = free_seats({pk for ids in wanted.values() for pk in ids})
    return {
        key: min((free.get(pk, 0) for pk in ids), default=0) if all(pk in free for pk in ids) else 0
        for key, ids in wanted.items()
    }


def capacities_of(
    owner_type: str, owner_ids: Iterable[int], key: str | None = None
) -> dict[int, list[Capacity]]:
    """Owner id → its capacities (by key), in one query."""
    rows = Capacity.objects.filter(owner_type=owner_type, owner_id__in=list(owner_ids))
    if key is not None:
        rows = rows.filter(key=key)
    found: dict[int, list[Capacity]] = {}
    for capacity in rows.order_by("owner_id", "key", "pk"):
        found.setdefault(capacity.owner_id, []).append(capacity)
    return found


def capacity_of(owner_type: str, owner_id: int, key: str = "") -> Capacity | None:
    return Capacity.objects.filter(owner_type=owner_type, owner_id=owner_id, key=key).first()


def hold_lines(hold_ids: Iterable[int]) -> dict[int, list[HoldLine]]:
    """Hold id → its lines with their capacities, in one query."""
    found: dict[int, list[HoldLine]] = {}
    for line in HoldLine.objects.filter(hold_id__in=list(hold_ids)).select_related("capacity"):
        found.setdefault(line.hold_id, []).append(line)
    return found


def holds_of(reference: str) -> list[Hold]:
    """The holds placed under one reference, newest first."""
    return list(Hold.objects.filter(reference=reference).order_by("-pk"))


def _sum_of(*kinds: str) -> Sum:
    return Sum(Case(When(Q(kind__in=kinds), then="quantity"), default=Value(0), output_field=IntegerField()))


def ledger_totals(capacity_ids: CapacityIds) -> dict[int, Seats]:
    """What the ledger says each capacity holds, in one query (it must equal `seats_of`)."""
    rows = (
        SeatMovement.objects.filter(capacity_id__in=_ids(capacity_ids))
        .values("capacity_id")
        .annotate(
            total=_sum_of(MovementKind.RESIZE),
            held_in=_sum_of(MovementKind.HOLD),
            held_out=_sum_of(MovementKind.CONFIRM, MovementKind.RELEASE, MovementKind.EXPIRE),
            taken_out=_sum_of(MovementKind.CANCEL),
            checked_in=_sum_of(MovementKind.CHECK_IN),
            confirmed=_sum_of(MovementKind.CONFIRM),
        )
        .order_by("capacity_id")
    )
    return {
        row["capacity_id"]: Seats(
            total=row["total"] or 0,
            held=(row["held_in"] or 0) - (row["held_out"] or 0),
            taken=(row["confirmed"] or 0) - (row["taken_out"] or 0),
            checked_in=row["checked_in"] or 0,
        )
        for row in rows
    }
