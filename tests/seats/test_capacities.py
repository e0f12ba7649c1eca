"""Capacities: created per owner, resized never below what is held and taken; the database's guard."""

import pytest
from django.db import IntegrityError, transaction

from ocophub.common.errors import Conflict, DomainError, NotFound
from ocophub.seats import selectors, services
from ocophub.seats.models import Capacity, MovementKind, SeatMovement

from . import world as w

pytestmark = pytest.mark.django_db


def test_a_capacity_starts_with_its_total_in_the_ledger():
    room = services.capacity_create(
        actor=None, owner_type="tours.departure", owner_id=7, key="vehicle", total=30, label="Xe 30 chỗ"
    )
    assert (room.total, room.held, room.taken, room.free) == (30, 0, 0, 30)
    assert str(room) == "Xe 30 chỗ"
    assert list(SeatMovement.objects.values_list("kind", "quantity")) == [(MovementKind.RESIZE, 30)]
    w.assert_ledger_matches(room)


def test_one_capacity_per_owner_and_key():
    services.capacity_create(actor=None, owner_type="tours.departure", owner_id=7, key="vehicle", total=30)
    services.capacity_create(actor=None, owner_type="tours.departure", owner_id=7, key="guide", total=15)
    with pytest.raises(Conflict):
        services.capacity_create(actor=None, owner_type="tours.departure", owner_id=7, key="vehicle", total=9)
    assert Capacity.objects.count() == 2


@pytest.mark.parametrize(
    ("owner_type", "owner_id", "total", "field"),
    [
        ("events", 1, 10, "owner_type"),
        ("Events.Session", 1, 10, "owner_type"),
        ("events.session", 0, 10, "owner_id"),
        ("events.session", "1", 10, "owner_id"),
        ("events.session", 1, -1, "total"),
        ("events.session", 1, 2.5, "total"),
        ("events.session", 1, services.MAX_SEATS + 1, "total"),
    ],
)
def test_bad_capacities_are_refused(owner_type, owner_id, total, field):
    with pytest.raises(DomainError) as refused:
        services.capacity_create(actor=None, owner_type=owner_type, owner_id=owner_id, total=total)
    assert field in refused.value.fields
    assert not Capacity.objects.exists() and not SeatMovement.objects.exists()


def test_resize_up_and_down_to_what_is_booked():
    room = w.capacity(10)
    w.hold((room, 3))
    w.booked((room, 4))
    services.capacity_resize(actor=None, capacity=room, total=12, reason="bigger room")
    assert w.counters(room) == (12, 3, 4, 0)
    services.capacity_resize(actor=None, capacity=room, total=7)
    assert w.counters(room) == (7, 3, 4, 0)
    assert list(
        SeatMovement.objects.filter(kind="resize").order_by("pk").values_list("quantity", flat=True)
    ) == [
        10,
        2,
        -5,
    ]
    w.assert_ledger_matches(room)


def test_resize_below_held_and_taken_is_refused():
    room = w.capacity(10)
    w.hold((room, 3))
    w.booked((room, 4))
    with pytest.raises(Conflict) as refused:
        services.capacity_resize(actor=None, capacity=room, total=6)
    assert refused.value.code == "below_booked" and "total" in refused.value.fields
    assert w.counters(room) == (10, 3, 4, 0)
    assert SeatMovement.objects.filter(kind="resize").count() == 1


def test_resize_to_the_same_total_writes_nothing():
    room = w.capacity(10)
    services.capacity_resize(actor=None, capacity=room, total=10)
    assert SeatMovement.objects.count() == 1


@pytest.mark.parametrize("total", [-1, "12", None])
def test_resize_to_a_bad_total_is_refused(total):
    room = w.capacity(10)
    with pytest.raises(DomainError):
        services.capacity_resize(actor=None, capacity=room, total=total)
    assert w.counters(room)[0] == 10


def test_resize_of_an_unknown_capacity_is_not_found():
    with pytest.raises(NotFound):
        services.capacity_resize(actor=None, capacity=123_456, total=5)


@pytest.mark.parametrize(
    "values",
    [
        {"held": 11},  # over the total
        {"held": 6, "taken": 5},
        {"held": -1},
        {"taken": -1},
        {"checked_in": 1},  # checked in without a taken seat
    ],
)
def test_the_database_refuses_a_write_without_the_guard(values):
    """What an unconditional `update(held=F("held") + n)` (or a read-then-write) would leave behind: the
    CheckConstraint refuses it, so that a missing guard fails loudly instead of overbooking."""
    room = w.capacity(10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Capacity.objects.filter(pk=room.pk).update(**values)
    assert w.counters(room) == (10, 0, 0, 0)


def test_a_read_then_write_loses_a_booking_that_the_conditional_update_keeps():
    """Why the guard sits in the UPDATE: read the free seats, let another booking take them all, then
    write what the read allowed. The naive write succeeds and silently drops the other booking's ten
    seats (eleven claims on ten seats, and the ledger no longer matches); the service refuses."""
    room = w.capacity(10)
    seen = Capacity.objects.get(pk=room.pk)
    assert seen.free == 10
    w.hold((room, 10))  # another booking, between the read and the write

    with pytest.raises(services.SeatsFull):
        w.hold((seen, 1))  # the service, given the same stale copy
    assert w.counters(room) == (10, 10, 0, 0)
    w.assert_ledger_matches(room)

    seen.held += 1  # the naive way: the read said a seat was free
    seen.save(update_fields=["held"])
    assert w.counters(room) == (10, 1, 0, 0)  # ten held seats lost
    assert selectors.ledger_totals([room.pk])[room.pk].held == 10
