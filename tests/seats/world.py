"""Seat capacities for the tests: owners are plain labels and ids, as events and tours will pass them."""

import datetime as dt
import itertools

from django.utils import timezone

from ocophub.seats import selectors, services
from ocophub.seats.models import Capacity, Hold

_owner_ids = itertools.count(1)


def capacity(
    total: int = 10, *, owner_type: str = "events.session", key: str = "", label: str = ""
) -> Capacity:
    return services.capacity_create(
        actor=None,
        owner_type=owner_type,
        owner_id=next(_owner_ids),
        total=total,
        key=key,
        label=label or f"Phòng {total} chỗ",
    )


def later(minutes: int = 15) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def hold(*lines: tuple[Capacity, int], minutes: int = 15, reference: str = "test") -> Hold:
    return services.seats_hold(actor=None, lines=list(lines), expires_at=later(minutes), reference=reference)


def booked(*lines: tuple[Capacity, int]) -> Hold:
    return services.hold_confirm(actor=None, hold=hold(*lines))


def counters(cap: Capacity) -> tuple[int, int, int, int]:
    """(total, held, taken, checked in) as the row has them."""
    cap.refresh_from_db()
    return (cap.total, cap.held, cap.taken, cap.checked_in)


def assert_ledger_matches(*caps: Capacity) -> None:
    ids = [c.pk for c in caps]
    assert selectors.ledger_totals(ids) == selectors.seats_of(ids)
