"""Free seats of many capacities in one query; bundles; owners' capacities."""

import pytest

from ocophub.seats import selectors
from ocophub.seats.models import Capacity

from . import world as w

pytestmark = pytest.mark.django_db


def test_free_seats_of_many_capacities_in_one_query(django_assert_num_queries):
    rooms = [w.capacity(10) for _ in range(5)]
    w.hold((rooms[0], 3))
    w.booked((rooms[1], 10))
    with django_assert_num_queries(1):
        free = selectors.free_seats([r.pk for r in rooms] + [999_999])
    assert free == {rooms[0].pk: 7, rooms[1].pk: 0, rooms[2].pk: 10, rooms[3].pk: 10, rooms[4].pk: 10}


def test_free_seats_of_a_queryset_of_ids_is_still_one_query(django_assert_num_queries):
    """How an owner asks for a date range: its rows of the range, as a subquery of capacity ids."""
    rooms = [w.capacity(10, owner_type="tours.departure") for _ in range(3)]
    w.hold((rooms[2], 4))
    ids = Capacity.objects.filter(owner_type="tours.departure", owner_id__gte=rooms[1].owner_id).values("pk")
    with django_assert_num_queries(1):
        free = selectors.free_seats(ids)
    assert free == {rooms[1].pk: 10, rooms[2].pk: 6}


def test_counters_and_head_counts(django_assert_num_queries):
    room = w.capacity(10)
    w.hold((room, 1))
    hold = w.booked((room, 3))
    from ocophub.seats import services

    services.seats_check_in(actor=None, hold=hold, quantity=2)
    with django_assert_num_queries(1):
        seats = selectors.seats_of([room.pk])[room.pk]
    assert (seats.total, seats.held, seats.taken, seats.checked_in, seats.free) == (10, 1, 3, 2, 6)


def test_a_bundle_is_as_free_as_its_fullest_capacity(django_assert_num_queries):
    vehicle, workshop, other = w.capacity(30), w.capacity(12), w.capacity(5)
    w.booked((vehicle, 2), (workshop, 2))
    with django_assert_num_queries(1):
        free = selectors.free_of_bundles(
            {
                "departure 1": [vehicle.pk, workshop.pk],
                "departure 2": [vehicle.pk],
                "x": [],
                "y": [other.pk, 0],
            }
        )
    assert free == {"departure 1": 10, "departure 2": 28, "x": 0, "y": 0}


def test_capacities_of_owners(django_assert_num_queries):
    a = w.capacity(30, owner_type="tours.departure", key="vehicle")
    b = w.capacity(12, owner_type="tours.departure", key="vehicle")
    w.capacity(12, owner_type="events.session")
    with django_assert_num_queries(1):
        found = selectors.capacities_of("tours.departure", [a.owner_id, b.owner_id, 999])
    assert found == {a.owner_id: [a], b.owner_id: [b]}
    assert selectors.capacity_of("tours.departure", a.owner_id, "vehicle") == a
    assert selectors.capacity_of("tours.departure", a.owner_id) is None


def test_hold_lines_and_holds_of_a_reference(django_assert_num_queries):
    vehicle, workshop = w.capacity(30), w.capacity(12)
    first = w.hold((vehicle, 2), (workshop, 2), reference="booking:1")
    second = w.hold((vehicle, 1), reference="booking:1")
    with django_assert_num_queries(1):
        lines = selectors.hold_lines([first.pk, second.pk])
        assert sorted(line.capacity.pk for line in lines[first.pk]) == sorted([vehicle.pk, workshop.pk])
    assert [h.pk for h in selectors.holds_of("booking:1")] == [second.pk, first.pk]
