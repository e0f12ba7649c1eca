import datetime as dt

import pytest
from django.utils import timezone

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.common.errors import DomainError
from ocophub.common.models import ChangeRecord
from ocophub.events import services as event_services
from ocophub.tours import selectors, services
from ocophub.tours.models import Operator, OperatorKind, Tour, TourState, TourStop

from ..conftest import make_user
from ..events import world as ew
from . import world as w

pytestmark = pytest.mark.django_db


def test_a_travel_company_needs_a_unique_licence_and_the_department_needs_none():
    company = w.operator(licence_number="01-123/2024/tcdl")
    assert company.licence_number == "01-123/2024/TCDL" and company.phone == "+84912345678"
    count = Operator.objects.count()
    with pytest.raises(DomainError) as caught:
        w.operator(licence_number="01-123/2024/TCDL")
    assert caught.value.code == "licence_taken"
    with pytest.raises(DomainError) as caught:
        w.operator(licence_number="")
    assert "licence_number" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        w.operator(email="not mail", phone="123", account_number="12a")
    assert {"email", "phone", "account_number"} <= set(caught.value.fields)
    assert Operator.objects.count() == count
    department = w.operator(name="Sở Du lịch Hà Nội", kind=OperatorKind.DEPARTMENT, licence_number="")
    assert department.kind == "department"


def test_an_operator_update_is_kept_in_the_history():
    operator = w.operator()
    services.operator_update(actor=None, operator=operator, phone="0987654321", is_active=False)
    operator.refresh_from_db()
    assert operator.phone == "+84987654321" and not operator.is_active
    record = (
        ChangeRecord.objects.filter(object_type="tours.operator", object_id=operator.pk).order_by("pk").last()
    )
    assert "phone" in record.changes
    with pytest.raises(DomainError):
        services.tour_create(actor=None, operator=operator, title="Tour", meeting_point="Hồ Gươm")


def test_operator_members_are_granted_over_a_real_operator_and_manage_only_its_tours():
    mine, theirs = w.operator(), w.operator()
    member = make_user(Role.OPERATOR_MEMBER, scope_id=mine.pk)
    tourism = make_user(Role.TOURISM)
    with pytest.raises(DomainError):
        make_user(Role.OPERATOR_MEMBER, scope_id=999_999)
    assert member.grants.get().scope_label == mine.name

    assert permissions.can_manage_operator_tours(member, mine)
    assert not permissions.can_manage_operator_tours(member, theirs)
    assert not permissions.can_manage_operators(member)
    assert permissions.can_manage_operators(tourism)
    assert not permissions.can_manage_operator_tours(tourism, mine)
    assert permissions.can_view_operator_tours(tourism, theirs)
    assert not permissions.can_view_operator_tours(member, theirs)


def test_a_tour_gets_a_vietnamese_slug_and_refuses_bad_details():
    operator = w.operator()
    tour = services.tour_create(
        actor=None, operator=operator, title="Đường Lâm – làng cổ đất Việt", meeting_point="Hồ Gươm"
    )
    assert tour.slug == "duong-lam-lang-co-dat-viet" and tour.state == TourState.DRAFT
    again = services.tour_create(
        actor=None, operator=operator, title="Đường Lâm – làng cổ đất Việt", meeting_point="x"
    )
    assert again.slug == "duong-lam-lang-co-dat-viet-2"
    count = Tour.objects.count()
    with pytest.raises(DomainError) as caught:
        services.tour_create(
            actor=None,
            operator=operator,
            title="",
            meeting_point="",
            adult_price=-1,
            child_price=1.5,
            booking_type="maybe",
            cutoff_hours=-2,
            refund_rule=[{"days": 3, "percent": 150}],
            languages=["xx"],
            meeting_latitude="48.85",
        )
    assert {
        "title",
        "meeting_point",
        "adult_price",
        "child_price",
        "booking_type",
        "cutoff_hours",
        "refund_rule",
        "languages",
        "meeting_latitude",
    } <= set(caught.value.fields)
    assert Tour.objects.count() == count


def test_a_tour_is_published_only_with_stops_and_archived_for_good():
    tour = services.tour_create(actor=None, operator=w.operator(), title="Vạn Phúc", meeting_point="Hà Đông")
    with pytest.raises(DomainError) as caught:
        services.tour_publish(actor=None, tour=tour)
    assert "stops" in caught.value.fields
    services.stops_set(actor=None, tour=tour, stops=[{"kind": "meal", "title": "Bún chả", "minutes": 60}])
    services.tour_publish(actor=None, tour=tour)
    services.tour_archive(actor=None, tour=tour)
    with pytest.raises(DomainError):
        services.tour_publish(actor=None, tour=tour)
    with pytest.raises(DomainError):
        services.tour_update(actor=None, tour=tour, title="Khác")
    assert list(tour.history.order_by("pk").values_list("to_state", flat=True)) == [
        "draft",
        "published",
        "archived",
    ]


def test_stops_must_be_real_places_in_hanoi_and_scheduled_workshops():
    tour = services.tour_create(actor=None, operator=w.operator(), title="Gốm", meeting_point="Hồ Gươm")
    center = w.center()
    over = ew.session(ew.event(center), seats=10)
    cancelled = ew.session(ew.event(center), seats=10)
    event_services.session_cancel(actor=None, session=cancelled, reason="Nghỉ")
    from ocophub.events.models import Session

    Session.objects.filter(pk=over.pk).update(starts_at=timezone.now() - dt.timedelta(days=1))
    services.stops_set(actor=None, tour=tour, stops=[{"kind": "center", "center": center.pk, "minutes": 30}])
    with pytest.raises(DomainError) as caught:
        services.stops_set(
            actor=None,
            tour=tour,
            stops=[
                {"kind": "center", "center": 999_999, "minutes": 60},
                {"kind": "meal", "minutes": 60, "latitude": "10.77", "longitude": "106.70"},  # Saigon
                {"kind": "workshop", "session": cancelled.pk, "minutes": 60},
                {"kind": "workshop", "session": over.pk, "minutes": 60},
                {"kind": "village", "craft_village": None, "minutes": 0},
                {"kind": "spa", "minutes": 30},
            ],
        )
    fields = caught.value.fields
    assert {
        "stops.0.center",
        "stops.1.latitude",
        "stops.1.longitude",
        "stops.2.session",
        "stops.3.session",
        "stops.4.craft_village",
        "stops.4.minutes",
        "stops.5.kind",
    } <= set(fields), fields
    assert list(TourStop.objects.filter(tour=tour).values_list("center_id", flat=True)) == [center.pk]


def test_stops_are_reordered_by_their_ids_and_not_changed_under_booked_departures():
    tour = w.tour(
        stops=[
            {"kind": "center", "center": w.center().pk, "minutes": 60},
            {"kind": "meal", "title": "Trưa", "minutes": 60},
            {"kind": "free_time", "minutes": 30},
        ]
    )
    ids = list(TourStop.objects.filter(tour=tour).order_by("position").values_list("pk", flat=True))
    services.stops_reorder(actor=None, tour=tour, order=ids[::-1])
    assert (
        list(TourStop.objects.filter(tour=tour).order_by("position").values_list("pk", flat=True))
        == ids[::-1]
    )
    with pytest.raises(DomainError):
        services.stops_reorder(actor=None, tour=tour, order=ids[:2])
    w.departure(tour)
    with pytest.raises(DomainError) as caught:
        services.stops_set(actor=None, tour=tour, stops=[{"kind": "free_time", "minutes": 30}])
    assert caught.value.code == "has_departures"


def test_departures_with_seats_run_three_queries_whatever_their_number(django_assert_num_queries):
    at = w.center()
    session = ew.session(ew.event(at), seats=5, days=10)
    workshop = w.tour(stops=[{"kind": "workshop", "session": session.pk, "minutes": 60}])
    plain = w.tour()
    d1 = w.departure(workshop, seats=30, days=10)
    d2 = w.departure(plain, seats=20, days=11)
    w.departure(plain, seats=20, days=40)
    w.book(d1, 2)
    w.book(d2, 3)
    today = timezone.localdate()
    with django_assert_num_queries(3):
        rows = selectors.departures_with_seats(today, today + dt.timedelta(days=20))
    assert [(r.departure.pk, r.free, r.vehicle_total) for r in rows] == [(d1.pk, 3, 30), (d2.pk, 17, 20)]
    for n in range(5):
        w.departure(plain, seats=20, days=12 + n)
    with django_assert_num_queries(3):
        rows = selectors.departures_with_seats(today, today + dt.timedelta(days=20), operator=plain.operator)
    assert len(rows) == 6
    with django_assert_num_queries(1):
        assert len(list(selectors.bookings_of_operator(plain.operator))) == 1


def test_the_planner_reads_a_tours_stops_and_their_centers_hours():
    from ocophub.centers.models import OpeningHours
    from ocophub.tours import planner

    center = w.center()
    OpeningHours.objects.create(center=center, weekday=0, opens=dt.time(8), closes=dt.time(9))
    tour = w.tour(
        stops=[{"kind": "center", "center": center.pk, "minutes": 120}, {"kind": "free_time", "minutes": 30}]
    )
    stops, unplaced = planner.plan_stops(selectors.itinerary(tour))
    assert [s.key for s in stops] == [TourStop.objects.get(tour=tour, kind="center").pk]
    assert len(unplaced) == 1
    monday = timezone.make_aware(dt.datetime(2027, 1, 4, 8, 0))
    result = planner.timeline(
        stops, planner.Point(21.0242, 105.8575), planner.Point(21.0242, 105.8575), monday
    )
    assert len(result.warnings) == 1


def test_the_admin_reads_tours_but_does_not_write_them(admin_client):
    departure = w.departure()
    booking = w.book(departure, 2)
    tour = departure.tour
    for url in [
        "/quan-tri/tours/operator/",
        "/quan-tri/tours/tour/",
        f"/quan-tri/tours/tour/{tour.pk}/change/",
        "/quan-tri/tours/departure/",
        f"/quan-tri/tours/departure/{departure.pk}/change/",
        "/quan-tri/tours/booking/",
        f"/quan-tri/tours/booking/{booking.pk}/change/",
        "/quan-tri/tours/waitlistentry/",
        "/quan-tri/tours/checkin/",
        "/quan-tri/tours/refund/",
    ]:
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/quan-tri/tours/tour/add/").status_code == 403
    assert admin_client.post(f"/quan-tri/tours/tour/{tour.pk}/delete/", {"post": "yes"}).status_code == 403
