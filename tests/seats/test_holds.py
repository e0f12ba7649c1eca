"""Holds: all or nothing over several capacities, confirm, release; bad input changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from ocophub.common.errors import Conflict, DomainError, NotFound
from ocophub.seats import services
from ocophub.seats.models import Hold, HoldEvent, HoldLine, HoldState, MovementKind, SeatMovement

from . import world as w

pytestmark = pytest.mark.django_db


def _nothing_written(*caps, holds: int = 0, movements: int = 0) -> None:
    assert Hold.objects.count() == holds
    assert (
        HoldLine.objects.count() == holds and SeatMovement.objects.exclude(kind="resize").count() == movements
    )
    for cap in caps:
        assert w.counters(cap)[1:] == (0, 0, 0)


def test_hold_takes_seats_from_free_and_writes_the_ledger():
    room = w.capacity(10)
    hold = w.hold((room, 3), reference="registration:1")
    assert hold.state == HoldState.HELD and hold.reference == "registration:1"
    assert w.counters(room) == (10, 3, 0, 0)
    room.refresh_from_db()
    assert room.free == 7
    movement = SeatMovement.objects.get(kind=MovementKind.HOLD)
    assert (movement.capacity_id, movement.hold_id, movement.quantity) == (room.pk, hold.pk, 3)
    assert HoldEvent.objects.get(hold=hold).to_state == HoldState.HELD
    w.assert_ledger_matches(room)


def test_hold_accepts_capacity_ids_and_merges_lines_of_one_capacity():
    room = w.capacity(10)
    hold = services.seats_hold(actor=None, lines=[(room.pk, 2), (room, 1)], expires_at=w.later())
    assert list(hold.lines.values_list("capacity_id", "quantity")) == [(room.pk, 3)]
    assert w.counters(room)[1] == 3


def test_hold_on_two_capacities_is_all_or_nothing():
    vehicle, workshop = w.capacity(30, label="Xe 30 chỗ"), w.capacity(2, label="Xưởng gốm")
    with pytest.raises(services.SeatsFull) as refused:
        w.hold((vehicle, 3), (workshop, 3))
    assert refused.value.code == "full"
    assert (refused.value.capacity_id, refused.value.free, refused.value.asked) == (workshop.pk, 2, 3)
    assert "Xưởng gốm" in refused.value.message and "2" in refused.value.message
    _nothing_written(vehicle, workshop)

    hold = w.hold((vehicle, 2), (workshop, 2))
    assert w.counters(vehicle)[1] == 2 and w.counters(workshop)[1] == 2
    assert sorted(hold.lines.values_list("capacity_id", flat=True)) == sorted([vehicle.pk, workshop.pk])
    w.assert_ledger_matches(vehicle, workshop)


def test_the_first_capacity_full_also_leaves_the_second_unchanged():
    small, big = w.capacity(1), w.capacity(50)
    w.hold((small, 1))
    with pytest.raises(services.SeatsFull) as refused:
        w.hold((small, 1), (big, 5))
    assert (refused.value.capacity_id, refused.value.free) == (small.pk, 0)
    assert w.counters(big) == (50, 0, 0, 0)
    assert Hold.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2", True, None, services.MAX_SEATS + 1])
def test_bad_quantities_change_nothing(quantity):
    room = w.capacity(10)
    with pytest.raises(DomainError) as refused:
        w.hold((room, quantity))
    assert "quantity" in refused.value.fields
    _nothing_written(room)


def test_more_than_free_changes_nothing():
    room = w.capacity(10)
    with pytest.raises(services.SeatsFull):
        w.hold((room, 11))
    _nothing_written(room)


@pytest.mark.parametrize("capacity", [999_999, "1", None])
def test_an_unknown_capacity_changes_nothing(capacity):
    room = w.capacity(10)
    with pytest.raises(NotFound):
        services.seats_hold(actor=None, lines=[(room, 1), (capacity, 1)], expires_at=w.later())
    _nothing_written(room)


@pytest.mark.parametrize("lines", [[], None, [(1,)], "abc"])
def test_a_hold_without_lines_is_refused(lines):
    with pytest.raises(DomainError):
        services.seats_hold(actor=None, lines=lines, expires_at=w.later())
    assert not Hold.objects.exists()


@pytest.mark.parametrize(
    "expires_at",
    [None, "tomorrow", dt.datetime(2030, 1, 1), timezone.now() - dt.timedelta(seconds=1)],  # naive, past
)
def test_a_hold_must_expire_in_the_future(expires_at):
    room = w.capacity(10)
    with pytest.raises(DomainError) as refused:
        services.seats_hold(actor=None, lines=[(room, 1)], expires_at=expires_at)
    assert "expires_at" in refused.value.fields
    _nothing_written(room)


def test_confirm_moves_held_seats_to_taken():
    vehicle, workshop = w.capacity(30), w.capacity(12)
    hold = w.hold((vehicle, 2), (workshop, 2))
    services.hold_confirm(actor=None, hold=hold, reason="VietQR")
    assert w.counters(vehicle) == (30, 0, 2, 0) and w.counters(workshop) == (12, 0, 2, 0)
    hold.refresh_from_db()
    assert hold.state == HoldState.CONFIRMED
    assert SeatMovement.objects.filter(kind=MovementKind.CONFIRM, hold=hold).count() == 2
    assert list(hold.events.values_list("from_state", "to_state")) == [("held", "confirmed"), ("", "held")]
    w.assert_ledger_matches(vehicle, workshop)


def test_confirm_twice_is_refused_and_changes_nothing():
    room = w.capacity(10)
    hold = w.booked((room, 2))
    with pytest.raises(Conflict) as refused:
        services.hold_confirm(actor=None, hold=hold)
    assert refused.value.code == "hold_confirmed"
    assert w.counters(room) == (10, 0, 2, 0)


def test_a_late_payment_still_confirms_a_hold_the_job_has_not_expired():
    room = w.capacity(10)
    hold = w.hold((room, 2))
    Hold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    services.hold_confirm(actor=None, hold=hold)
    assert w.counters(room)[2] == 2


def test_release_gives_the_seats_back_once():
    room = w.capacity(10)
    hold = w.hold((room, 4))
    services.hold_release(actor=None, hold=hold, reason="changed mind")
    assert w.counters(room) == (10, 0, 0, 0)
    hold.refresh_from_db()
    assert hold.state == HoldState.RELEASED
    with pytest.raises(Conflict):
        services.hold_release(actor=None, hold=hold)
    with pytest.raises(Conflict):
        services.hold_confirm(actor=None, hold=hold)
    assert w.counters(room) == (10, 0, 0, 0)
    w.assert_ledger_matches(room)


def test_a_confirmed_hold_is_not_released_but_cancelled():
    room = w.capacity(10)
    hold = w.booked((room, 2))
    with pytest.raises(Conflict):
        services.hold_release(actor=None, hold=hold)
    assert w.counters(room) == (10, 0, 2, 0)


def test_a_stale_capacity_object_does_not_fool_the_guard():
    """The guard reads the row in the UPDATE, not the caller's copy."""
    room = w.capacity(10)
    stale = type(room).objects.get(pk=room.pk)
    w.hold((room, 10))
    assert stale.free == 10
    with pytest.raises(services.SeatsFull) as refused:
        w.hold((stale, 1))
    assert refused.value.free == 0
    assert w.counters(room) == (10, 10, 0, 0)


def test_the_full_message_is_in_vietnamese():
    from django.utils import translation

    room = w.capacity(12, label="Xưởng gốm Bát Tràng")
    w.hold((room, 10))
    with translation.override("vi"), pytest.raises(services.SeatsFull) as refused:
        w.hold((room, 3))
    assert refused.value.message == "“Xưởng gốm Bát Tràng” chỉ còn 2 chỗ trống, yêu cầu 3 chỗ."
    assert refused.value.fields == {"quantity": "Chỉ còn 2 chỗ trống."}
