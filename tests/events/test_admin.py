"""The admin site shows events, sessions, registrations and waiting lists, and changes none of them."""

import pytest

from ocophub.events.models import Event, Registration

from . import world as w

pytestmark = pytest.mark.django_db


def test_the_admin_reads_events_but_does_not_write_them(admin_client):
    session = w.session(seats=4, price=10_000)
    registration = w.register(session, 2)
    event = session.event
    for url in [
        "/quan-tri/events/event/",
        f"/quan-tri/events/event/{event.pk}/change/",
        "/quan-tri/events/registration/",
        f"/quan-tri/events/registration/{registration.pk}/change/",
        "/quan-tri/events/waitlistentry/",
        "/quan-tri/events/checkin/",
        "/quan-tri/events/refund/",
    ]:
        assert admin_client.get(url).status_code == 200, url
    assert event.title in admin_client.get("/quan-tri/events/event/").content.decode()
    assert admin_client.get("/quan-tri/events/event/add/").status_code == 403
    assert admin_client.post(f"/quan-tri/events/event/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        f"/quan-tri/events/registration/{registration.pk}/change/", {"state": "confirmed"}
    )
    assert response.status_code == 403
    assert Event.objects.count() == 1 and Registration.objects.get().state == "held"
