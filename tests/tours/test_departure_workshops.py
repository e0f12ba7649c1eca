"""A departure's workshop stop draws on the workshop session of the departure's own day: a weekly
departure takes each week's session (its seats, not the first week's), and a day the workshop does not
run refuses the departure with a Vietnamese message, nothing written."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from ocophub.common.errors import DomainError
from ocophub.seats.models import Capacity
from ocophub.tours import selectors, services
from ocophub.tours.models import Departure, DepartureWorkshop

from ..events import world as ew
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly():
    at = w.center()
    event = ew.event(at)
    first = ew.session(event, seats=4, days=10)
    second = ew.session(event, seats=4, days=17)
    tour = w.tour(stops=[{"kind": "workshop", "session": first.pk, "minutes": 120}])
    return {"tour": tour, "first": first, "second": second}


def test_a_weekly_departure_takes_each_weeks_session(weekly):
    tour, first, second = weekly["tour"], weekly["first"], weekly["second"]
    day = timezone.localtime(first.starts_at).date()
    made = services.departures_create_recurring(
        actor=None,
        tour=tour,
        rule={"freq": "weekly"},
        starts_on=day,
        start_time=dt.time(7, 30),
        seats=30,
        count=2,
    )
    assert [services.capacity_ids(d) for d in made] == [
        [made[0].capacity_id, first.capacity_id],
        [made[1].capacity_id, second.capacity_id],
    ]
    # the second week's party holds the second week's workshop seats only
    w.book(made[1], 3)
    today = timezone.localdate()
    rows = {
        r.departure.pk: r.free for r in selectors.departures_with_seats(today, today + dt.timedelta(days=30))
    }
    assert rows == {made[0].pk: 4, made[1].pk: 1}
    with pytest.raises(services.BookingFull):
        w.book(made[1], 2)
    w.book(made[0], 4)


def test_a_day_without_the_workshop_refuses_the_departure_and_writes_nothing(weekly):
    tour, first = weekly["tour"], weekly["first"]
    capacities = Capacity.objects.count()
    with override("vi"), pytest.raises(DomainError) as refused:
        services.departure_create(actor=None, tour=tour, starts_at=w.soon(12), seats=30)
    assert "Không có buổi nào của" in str(refused.value.fields["starts_at"])
    day = timezone.localtime(first.starts_at).date()
    # weekly from the first session: the third week has no session, so none of the three is made
    with pytest.raises(DomainError):
        services.departures_create_recurring(
            actor=None,
            tour=tour,
            rule={"freq": "weekly"},
            starts_on=day,
            start_time=dt.time(7, 30),
            seats=30,
            count=3,
        )
    assert not Departure.objects.exists() and not DepartureWorkshop.objects.exists()
    assert Capacity.objects.count() == capacities
