"""Many bookings at once, each in its own thread with its own database connection.

Runs on whichever database the suite runs on (file-backed SQLite or PostgreSQL): exactly as many
succeed as there are seats, the others are told the capacity is full, held never passes the total,
and the ledger sums to the counters. With the conditional UPDATE replaced by a plain one, the
CheckConstraint would turn the refusals into IntegrityErrors, which `_race` reports as crashes.
"""

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from ocophub.common.errors import DomainError
from ocophub.seats import services
from ocophub.seats.models import Hold, HoldState, MovementKind, SeatMovement

from . import world as w


def _race(work: Callable[[int], object], people: int) -> Counter:
    """Start everyone at once; each returns "ok" or the error code it got."""
    barrier = threading.Barrier(people)
    outcomes: list[str] = []
    lock = threading.Lock()

    def person(n: int) -> None:
        try:
            barrier.wait()
            try:
                work(n)
                outcome = "ok"
            except DomainError as error:
                outcome = error.code
            except Exception as error:  # anything else is a server error: the test must show it
                outcome = f"crash: {type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return Counter(outcomes)


@pytest.mark.django_db(transaction=True)
def test_thirty_people_for_ten_seats():
    room = w.capacity(10)

    outcomes = _race(lambda n: w.hold((room, 1), reference=f"registration:{n}"), 30)

    assert outcomes == Counter({"ok": 10, "full": 20}), outcomes
    assert Hold.objects.count() == 10
    assert w.counters(room) == (10, 10, 0, 0)
    w.assert_ledger_matches(room)


@pytest.mark.django_db(transaction=True)
def test_forty_parties_of_two_for_a_vehicle_of_thirty_and_a_workshop_of_twelve():
    """A booking needs both holds or gets neither: the workshop stops the sales at twelve seats."""
    vehicle, workshop = w.capacity(30, label="Xe 30 chỗ"), w.capacity(12, label="Xưởng gốm")

    def book(n: int) -> None:
        # half name the capacities one way round, half the other: the service orders them itself
        lines = [(vehicle, 2), (workshop, 2)] if n % 2 else [(workshop, 2), (vehicle, 2)]
        services.seats_hold(actor=None, lines=lines, expires_at=w.later(), reference=f"booking:{n}")

    outcomes = _race(book, 40)

    assert outcomes == Counter({"ok": 6, "full": 34}), outcomes
    assert w.counters(vehicle) == (30, 12, 0, 0) and w.counters(workshop) == (12, 12, 0, 0)
    w.assert_ledger_matches(vehicle, workshop)


@pytest.mark.django_db(transaction=True)
def test_two_workers_expiring_at_once_expire_each_hold_once():
    room = w.capacity(20)
    holds = [w.hold((room, 2), minutes=5) for _ in range(10)]
    soon = timezone.now() + dt.timedelta(minutes=10)
    expired: list[int] = []

    def worker(n: int) -> None:
        expired.append(services.holds_expire(soon))

    outcomes = _race(worker, 4)

    assert outcomes == Counter({"ok": 4}), outcomes
    assert sum(expired) == len(holds)
    assert set(Hold.objects.values_list("state", flat=True)) == {HoldState.EXPIRED}
    assert SeatMovement.objects.filter(kind=MovementKind.EXPIRE).count() == len(holds)
    assert w.counters(room) == (20, 0, 0, 0)
    w.assert_ledger_matches(room)


@pytest.mark.django_db(transaction=True)
def test_payments_racing_the_expiry_job_each_hold_ends_one_way():
    room = w.capacity(20)
    holds = [w.hold((room, 1), minutes=5) for _ in range(10)]
    soon = timezone.now() + dt.timedelta(minutes=10)

    def either(n: int) -> None:
        if n < len(holds):
            services.hold_confirm(actor=None, hold=Hold.objects.get(pk=holds[n].pk))
        else:
            services.holds_expire(soon)

    outcomes = _race(either, len(holds) + 2)

    # a payment that comes second is told the hold expired (or, on PostgreSQL, changed meanwhile)
    assert set(outcomes) <= {"ok", "hold_expired", "conflict"}, outcomes
    states = Counter(Hold.objects.values_list("state", flat=True))
    assert states[HoldState.CONFIRMED] + states[HoldState.EXPIRED] == len(holds)
    assert states[HoldState.CONFIRMED] == outcomes["ok"] - 2
    assert w.counters(room) == (20, 0, states[HoldState.CONFIRMED], 0)
    w.assert_ledger_matches(room)


@pytest.mark.django_db(transaction=True)
def test_one_ticket_scanned_at_once_by_several_phones_checks_in_once():
    room = w.capacity(10)
    hold = w.booked((room, 3))

    outcomes = _race(lambda n: services.seats_check_in(actor=None, hold=Hold.objects.get(pk=hold.pk)), 8)

    assert outcomes == Counter({"ok": 1, "already_checked_in": 7}), outcomes
    assert w.counters(room) == (10, 0, 3, 3)
    assert SeatMovement.objects.filter(kind=MovementKind.CHECK_IN).count() == 1
