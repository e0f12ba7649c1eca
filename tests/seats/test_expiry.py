"""The expiry job: unpaid holds past their time give their seats back, once."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ocophub.common.errors import Conflict
from ocophub.seats import services
from ocophub.seats.models import Hold, HoldState, MovementKind, SeatMovement
from ocophub.seats.tasks import holds_expire_due

from . import world as w

pytestmark = pytest.mark.django_db


def test_the_job_expires_holds_past_their_time_and_is_idempotent():
    vehicle, workshop = w.capacity(30), w.capacity(12)
    due = w.hold((vehicle, 2), (workshop, 2), minutes=10)
    later = w.hold((vehicle, 1), minutes=60)
    paid = w.booked((vehicle, 3))
    assert holds_expire_due.call() == 0  # nothing due yet
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=30)):
        assert holds_expire_due.call() == 1
        assert holds_expire_due.call() == 0  # safe to run again
    assert w.counters(vehicle) == (30, 1, 3, 0) and w.counters(workshop) == (12, 0, 0, 0)
    states = dict(Hold.objects.values_list("pk", "state"))
    assert states == {due.pk: HoldState.EXPIRED, later.pk: HoldState.HELD, paid.pk: HoldState.CONFIRMED}
    assert SeatMovement.objects.filter(kind=MovementKind.EXPIRE, hold=due).count() == 2
    assert due.events.filter(from_state="held", to_state="expired").count() == 1
    w.assert_ledger_matches(vehicle, workshop)


def test_an_expired_hold_is_neither_confirmed_nor_released():
    room = w.capacity(10)
    hold = w.hold((room, 2), minutes=5)
    assert services.holds_expire(timezone.now() + dt.timedelta(minutes=6)) == 1
    with pytest.raises(Conflict):
        services.hold_confirm(actor=None, hold=hold)
    with pytest.raises(Conflict):
        services.hold_release(actor=None, hold=hold)
    assert w.counters(room) == (10, 0, 0, 0)


def test_expired_seats_can_be_held_again():
    room = w.capacity(2)
    w.hold((room, 2), minutes=5)
    with pytest.raises(services.SeatsFull):
        w.hold((room, 1))
    services.holds_expire(timezone.now() + dt.timedelta(minutes=6))
    w.hold((room, 2))
    assert w.counters(room)[1] == 2


def test_a_hold_queues_its_own_expiry_when_committed(django_capture_on_commit_callbacks):
    room = w.capacity(10)
    with django_capture_on_commit_callbacks(execute=True):
        hold = w.hold((room, 1), minutes=15)
    job = DBTaskResult.objects.get(task_path="ocophub.seats.tasks.holds_expire_due")
    assert job.run_after >= hold.expires_at


def test_a_refused_hold_queues_nothing(django_capture_on_commit_callbacks):
    room = w.capacity(1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.SeatsFull):
        w.hold((room, 2))
    assert not DBTaskResult.objects.filter(task_path="ocophub.seats.tasks.holds_expire_due").exists()


def test_run_daily_now_expires_the_holds():
    room = w.capacity(10)
    w.hold((room, 3), minutes=5)
    out = io.StringIO()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        call_command("run_daily", "--now", stdout=out)
    assert "unpaid seat holds expired: 1" in out.getvalue()
    assert w.counters(room)[1] == 0


def test_owners_hooks_run_with_each_expiry_and_a_failing_one_keeps_only_its_hold(monkeypatch):
    room = w.capacity(10)
    first = w.hold((room, 1), reference="registration:1", minutes=5)
    second = w.hold((room, 2), reference="registration:2", minutes=5)
    seen: list[tuple[str, str, int]] = []
    clocks: set[dt.datetime] = set()

    def owner(hold: Hold, now: dt.datetime) -> None:
        room.refresh_from_db()
        clocks.add(now)
        seen.append((hold.reference, hold.state, room.held))  # inside the expiry, seats already back
        if hold.reference == "registration:1":
            raise RuntimeError("the owner's bug")

    monkeypatch.setattr(services.core, "HOLD_EXPIRED_HOOKS", [owner])
    soon = timezone.now() + dt.timedelta(minutes=6)
    assert services.holds_expire(soon) == 1
    assert seen == [("registration:1", "expired", 2), ("registration:2", "expired", 1)]
    assert clocks == {soon}  # the owners get the job's clock, not the wall clock
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (HoldState.HELD, HoldState.EXPIRED)
    assert w.counters(room)[1] == 1  # the first hold's seat is still held
    w.assert_ledger_matches(room)
