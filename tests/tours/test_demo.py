"""The demo tours: made through the services over the demo centers and the events demo, with stops,
departures to come, bookings and drawn photos; loaded twice without duplicates."""

import pytest
from django.test import Client
from django.utils import timezone

from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import Role, RoleGrant, User
from ocophub.events.demo import demo_events_create
from ocophub.tours.demo import OPERATOR_LOGIN, demo_tours_create
from ocophub.tours.models import Booking, Departure, StopKind, Tour, TourPhoto, TourState, TourStop

pytestmark = pytest.mark.django_db


def test_the_demo_tours_load_twice_without_duplicates(catalogue):
    demo_events_create()
    assert demo_tours_create() == 4
    tours = Tour.objects.all()
    assert all(t.is_illustrative and t.state == TourState.PUBLISHED for t in tours)
    titles = " ".join(tours.values_list("title", flat=True))
    for place in ("Bát Tràng", "Kim Lan", "Vạn Phúc", "Chuyên Mỹ", "Hạ Thái", "Đường Lâm"):
        assert place in titles
    for tour in tours:
        assert tour.stops.count() >= 2
        assert tour.photos.count() >= 1
        assert tour.departures.exists()
        assert not tour.departures.filter(starts_at__lte=timezone.now()).exists()
    ceramics = tours.get(title__contains="Bát Tràng")
    workshop = TourStop.objects.get(tour=ceramics, kind=StopKind.WORKSHOP)
    # each weekend departure takes the pottery session of its own day
    departures = list(ceramics.departures.prefetch_related("workshops__session"))
    assert len(departures) == 6
    sessions = set()
    for departure in departures:
        (taken,) = departure.workshops.all()
        assert taken.stop_id == workshop.pk
        day = timezone.localtime(departure.starts_at).date()
        assert timezone.localtime(taken.session.starts_at).date() == day
        sessions.add(taken.session_id)
    assert len(sessions) == 6
    assert Booking.objects.filter(departure__tour__in=tours).count() == 3 * 4
    assert all(photo.credit for photo in TourPhoto.objects.all())
    counts = (
        Tour.objects.count(),
        TourStop.objects.count(),
        Departure.objects.count(),
        TourPhoto.objects.count(),
    )

    assert demo_tours_create() == 0
    assert counts == (
        Tour.objects.count(),
        TourStop.objects.count(),
        Departure.objects.count(),
        TourPhoto.objects.count(),
    )


def test_the_operator_member_demo_account_opens_its_tours(catalogue):
    demo_tours_create()
    user = User.objects.get(email=OPERATOR_LOGIN)
    grant = RoleGrant.objects.get(user=user, role=Role.OPERATOR_MEMBER)
    client = Client()
    assert client.login(username=OPERATOR_LOGIN, password=DEMO_PASSWORD)
    page = client.get(f"/lam-viec/tour/{grant.scope_id}/")
    assert page.status_code == 200
    assert "Khảm trai Chuyên Mỹ" in page.content.decode()
    # the public pages show the cards with their first photo
    listing = Client().get("/tour/").content.decode()
    assert listing.count('data-testid="tour-card-photo"') == 4
