import pytest

from ocophub.events.demo import demo_events_create
from ocophub.events.models import Event, EventKind, EventState, Session
from ocophub.seats.models import Capacity

pytestmark = pytest.mark.django_db


def test_demo_events_load_twice_without_duplicates(catalogue):
    made = demo_events_create()

    assert made == 8 + 3 + 1
    events = Event.objects.all()
    assert {e.kind for e in events} == {EventKind.WORKSHOP, EventKind.EXHIBITION, EventKind.LAUNCH}
    assert all(e.is_illustrative and e.state == EventState.PUBLISHED for e in events)
    workshop = Event.objects.get(kind=EventKind.WORKSHOP)
    assert "Bát Tràng" in workshop.center.name and workshop.products.exists()
    assert "Vạn Phúc" in Event.objects.get(kind=EventKind.EXHIBITION).center.name

    assert demo_events_create() == 0
    assert Event.objects.count() == 3 and Session.objects.count() == made
    assert Capacity.objects.filter(owner_type="events.session").count() == made
