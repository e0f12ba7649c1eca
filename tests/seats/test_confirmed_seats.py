"""Confirmed seats: cancelled in part or whole, and checked in once."""

import pytest

from ocophub.common.errors import Conflict, DomainError
from ocophub.seats import services
from ocophub.seats.models import HoldState, MovementKind, SeatMovement

from . import world as w

pytestmark = pytest.mark.django_db


def test_cancel_all_gives_the_seats_back_and_cancels_the_hold():
    vehicle, workshop = w.capacity(30), w.capacity(12)
    hold = w.booked((vehicle, 2), (workshop, 2))
    services.seats_cancel(actor=None, hold=hold, reason="ill")
    assert w.counters(vehicle) == (30, 0, 0, 0) and w.counters(workshop) == (12, 0, 0, 0)
    hold.refresh_from_db()
    assert hold.state == HoldState.CANCELLED
    w.assert_ledger_matches(vehicle, workshop)
    with pytest.raises(Conflict) as refused:
        services.seats_cancel(actor=None, hold=hold)
    assert refused.value.code == "not_booked"


def test_cancel_part_of_a_party():
    vehicle, workshop = w.capacity(30), w.capacity(12)
    hold = w.booked((vehicle, 4), (workshop, 4))
    services.seats_cancel(actor=None, hold=hold, quantity=1)
    assert w.counters(vehicle)[2] == 3 and w.counters(workshop)[2] == 3
    services.seats_cancel(actor=None, hold=hold, quantity=2, capacity=workshop)
    assert w.counters(vehicle)[2] == 3 and w.counters(workshop)[2] == 1
    hold.refresh_from_db()
    assert hold.state == HoldState.CONFIRMED
    assert dict(hold.lines.values_list("capacity_id", "cancelled")) == {vehicle.pk: 1, workshop.pk: 3}
    w.assert_ledger_matches(vehicle, workshop)


def test_cancel_more_than_is_left_changes_nothing():
    vehicle, workshop = w.capacity(30), w.capacity(12)
    hold = w.booked((vehicle, 4), (workshop, 2))
    with pytest.raises(Conflict) as refused:
        services.seats_cancel(actor=None, hold=hold, quantity=3)  # the workshop line has 2
    assert refused.value.code == "too_many"
    assert w.counters(vehicle)[2] == 4 and w.counters(workshop)[2] == 2
    assert not SeatMovement.objects.filter(kind=MovementKind.CANCEL).exists()


@pytest.mark.parametrize("quantity", [0, -2, "1"])
def test_cancel_a_bad_quantity_changes_nothing(quantity):
    room = w.capacity(10)
    hold = w.booked((room, 2))
    with pytest.raises(DomainError):
        services.seats_cancel(actor=None, hold=hold, quantity=quantity)
    assert w.counters(room)[2] == 2


def test_held_seats_are_released_not_cancelled():
    room = w.capacity(10)
    hold = w.hold((room, 2))
    with pytest.raises(Conflict) as refused:
        services.seats_cancel(actor=None, hold=hold)
    assert refused.value.code == "not_confirmed"
    assert w.counters(room)[1] == 2


def test_cancel_on_a_capacity_the_hold_has_no_seats_on():
    room, other = w.capacity(10), w.capacity(10)
    hold = w.booked((room, 2))
    with pytest.raises(DomainError) as refused:
        services.seats_cancel(actor=None, hold=hold, capacity=other)
    assert refused.value.code == "wrong_capacity"


def test_checked_in_seats_are_not_cancelled():
    room = w.capacity(10)
    hold = w.booked((room, 3))
    services.seats_check_in(actor=None, hold=hold, quantity=1)
    services.seats_cancel(actor=None, hold=hold)  # the two not checked in
    assert w.counters(room) == (10, 0, 1, 1)
    hold.refresh_from_db()
    assert hold.state == HoldState.CONFIRMED  # one of the party came
    with pytest.raises(Conflict) as refused:
        services.seats_cancel(actor=None, hold=hold)
    assert refused.value.code == "nothing_to_cancel"
    w.assert_ledger_matches(room)


def test_check_in_the_whole_party_once():
    room = w.capacity(10)
    hold = w.booked((room, 2))
    line = services.seats_check_in(actor=None, hold=hold)
    assert (line.quantity, line.checked_in) == (2, 2)
    assert w.counters(room) == (10, 0, 2, 2)
    with pytest.raises(Conflict) as refused:
        services.seats_check_in(actor=None, hold=hold)
    assert refused.value.code == "already_checked_in"
    assert SeatMovement.objects.filter(kind=MovementKind.CHECK_IN).count() == 1
    w.assert_ledger_matches(room)


def test_check_in_part_of_a_party_then_the_rest_never_above_the_seats():
    room = w.capacity(10)
    hold = w.booked((room, 3))
    services.seats_check_in(actor=None, hold=hold, quantity=2)
    with pytest.raises(Conflict) as refused:
        services.seats_check_in(actor=None, hold=hold, quantity=2)
    assert refused.value.code == "too_many"
    assert services.seats_check_in(actor=None, hold=hold, quantity=1).checked_in == 3
    with pytest.raises(Conflict) as refused:
        services.seats_check_in(actor=None, hold=hold, quantity=1)
    assert refused.value.code == "already_checked_in"
    assert w.counters(room) == (10, 0, 3, 3)


def test_check_in_at_each_capacity_of_a_tour_booking():
    vehicle, workshop = w.capacity(30), w.capacity(12)
    hold = w.booked((vehicle, 2), (workshop, 2))
    with pytest.raises(DomainError) as refused:
        services.seats_check_in(actor=None, hold=hold)
    assert "capacity" in refused.value.fields
    services.seats_check_in(actor=None, hold=hold, capacity=vehicle)  # the guide, at the meeting point
    assert w.counters(vehicle)[3] == 2 and w.counters(workshop)[3] == 0
    services.seats_check_in(actor=None, hold=hold, capacity=workshop.pk)  # the center's staff
    assert w.counters(workshop)[3] == 2


def test_a_ticket_of_another_capacity_is_refused():
    room, elsewhere = w.capacity(10), w.capacity(10)
    hold = w.booked((room, 2))
    with pytest.raises(DomainError) as refused:
        services.seats_check_in(actor=None, hold=hold, capacity=elsewhere)
    assert refused.value.code == "wrong_capacity"
    assert w.counters(elsewhere)[3] == 0 and w.counters(room)[3] == 0


@pytest.mark.parametrize("state", ["held", "released", "cancelled"])
def test_only_confirmed_seats_are_checked_in(state):
    room = w.capacity(10)
    hold = w.hold((room, 2))
    if state == "released":
        services.hold_release(actor=None, hold=hold)
    if state == "cancelled":
        services.hold_confirm(actor=None, hold=hold)
        services.seats_cancel(actor=None, hold=hold)
    with pytest.raises(Conflict) as refused:
        services.seats_check_in(actor=None, hold=hold)
    assert refused.value.code == ("not_confirmed" if state == "held" else "not_booked")
    assert w.counters(room)[3] == 0


def test_cancelled_seats_are_not_checked_in():
    room = w.capacity(10)
    hold = w.booked((room, 3))
    services.seats_cancel(actor=None, hold=hold, quantity=2)
    with pytest.raises(Conflict):
        services.seats_check_in(actor=None, hold=hold, quantity=2)
    assert services.seats_check_in(actor=None, hold=hold).checked_in == 1
