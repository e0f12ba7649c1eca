import datetime as dt

import pytest
from django.utils import timezone

from ocophub.common.errors import DomainError
from ocophub.seats import selectors as seat_selectors
from ocophub.seats import services as seat_services
from ocophub.tours import services
from ocophub.tours.models import (
    Booking,
    BookingEvent,
    BookingState,
    BookingType,
    CheckIn,
    Departure,
    DepartureState,
    Payment,
    Refund,
    WaitlistEntry,
    WaitlistState,
)

from ..events import world as ew
from . import world as w

pytestmark = pytest.mark.django_db


def _refused(call, *fields: str) -> DomainError:
    before = (Booking.objects.count(), BookingEvent.objects.count(), WaitlistEntry.objects.count())
    with pytest.raises(DomainError) as caught:
        call()
    error = caught.value
    assert set(fields) <= set(error.fields), error.fields
    assert (Booking.objects.count(), BookingEvent.objects.count(), WaitlistEntry.objects.count()) == before
    return error


def test_an_instant_booking_holds_seats_until_paid_then_is_confirmed(
    django_capture_on_commit_callbacks, mailoutbox
):
    departure = w.departure(seats=30)
    with django_capture_on_commit_callbacks(execute=True):
        booking = w.book(departure, 2, 1)
    assert booking.state == BookingState.HELD
    assert booking.total == 2 * 850_000 + 500_000
    assert w.counters(departure.capacity_id) == (30, 3, 0, 0)
    assert booking.code in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_pay(actor=None, booking=booking, reference="FT123")
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.expires_at is None
    assert services.paid_of(booking) == booking.total
    assert w.counters(departure.capacity_id) == (30, 0, 3, 0)
    assert "Mã vé" in mailoutbox[-1].body or booking.code in mailoutbox[-1].body


@pytest.mark.parametrize(
    ("adults", "children", "field"),
    [
        (0, 0, "adults"),
        (-1, 2, "adults"),
        (2, -1, "children"),
        (1.5, 0, "adults"),
        (True, 0, "adults"),
        (0, 2, "adults"),
    ],
)
def test_bad_party_sizes_are_refused_with_a_vietnamese_message_and_nothing_written(adults, children, field):
    departure = w.departure()
    error = _refused(lambda: w.book(departure, adults, children), field)
    assert error.status == 400
    assert error.message == "Một số thông tin còn thiếu hoặc chưa đúng."


def test_children_alone_are_allowed_where_the_tour_allows_them():
    departure = w.departure(w.tour(children_need_adult=False))
    booking = w.book(departure, 0, 2)
    assert booking.total == 1_000_000


def test_children_without_an_adult_are_refused_where_the_tour_forbids_it():
    departure = w.departure()
    error = _refused(lambda: w.book(departure, 0, 2), "adults")
    assert "người lớn" in error.fields["adults"]


def test_a_booking_after_the_cutoff_is_refused():
    tour = w.tour(cutoff_hours=48)
    departure = services.departure_create(
        actor=None, tour=tour, starts_at=timezone.now() + dt.timedelta(hours=30), seats=10
    )
    error = _refused(lambda: w.book(departure), "departure")
    assert "48" in error.fields["departure"]


def test_a_booking_on_a_departure_that_left_is_refused():
    departure = w.departure()
    Departure.objects.filter(pk=departure.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    _refused(lambda: w.book(departure), "departure")


def test_bad_contacts_are_refused():
    departure = w.departure()
    _refused(lambda: w.book(departure, name="  ", email="not-an-email", phone="12"), "name", "email", "phone")


def test_a_party_larger_than_the_vehicle_is_refused_and_larger_than_the_free_seats_is_told_full():
    departure = w.departure(seats=4)
    _refused(lambda: w.book(departure, 5), "adults")
    w.book(departure, 3)
    with pytest.raises(services.BookingFull) as caught:
        w.book(departure, 2)
    assert caught.value.free == 1 and caught.value.code == "full"
    assert "danh sách chờ" in caught.value.message
    assert Booking.objects.filter(departure=departure).count() == 1


def test_a_workshop_of_twelve_seats_stops_selling_at_twelve_on_a_thirty_seat_vehicle():
    at = w.center()
    session = ew.session(ew.event(at), seats=12, days=10)
    tour = w.tour(
        stops=[
            {"kind": "center", "center": at.pk, "minutes": 60},
            {"kind": "workshop", "session": session.pk, "minutes": 90},
        ]
    )
    departure = w.departure(tour, seats=30)
    assert services.capacity_ids(departure) == [departure.capacity_id, session.capacity_id]

    for _ in range(6):
        w.book(departure, 2)
    departure.refresh_from_db()
    assert departure.state == DepartureState.SOLD_OUT

    with pytest.raises(services.BookingFull):
        w.book(departure, 1)
    # the vehicle still had 18 seats, the workshop none: the booking got neither hold
    assert w.counters(departure.capacity_id) == (30, 12, 0, 0)
    assert w.counters(session.capacity_id) == (12, 12, 0, 0)
    assert Booking.objects.filter(departure=departure).count() == 6
    ids = [departure.capacity_id, session.capacity_id]
    assert seat_selectors.ledger_totals(ids) == seat_selectors.seats_of(ids)


def test_an_on_request_booking_waits_for_the_operator_then_is_paid():
    departure = w.departure(w.tour(booking_type=BookingType.ON_REQUEST))
    booking = w.book(departure, 2)
    assert booking.state == BookingState.PENDING
    with pytest.raises(DomainError) as caught:
        services.booking_pay(actor=None, booking=booking)
    assert caught.value.code == "not_confirmed"

    services.booking_confirm(actor=None, booking=booking)
    assert w.counters(departure.capacity_id) == (30, 0, 2, 0)
    services.booking_pay(actor=None, booking=booking)
    assert services.paid_of(booking) == 1_700_000
    with pytest.raises(DomainError):
        services.booking_pay(actor=None, booking=booking)


def test_the_operator_declines_an_on_request_booking_and_its_seats_go_back():
    departure = w.departure(w.tour(booking_type=BookingType.ON_REQUEST))
    booking = w.book(departure, 2)
    services.booking_cancel(actor=None, booking=booking, reason="Hết xe")
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert w.counters(departure.capacity_id) == (30, 0, 0, 0)


def test_cancelling_refunds_by_the_days_before_departure():
    rule = [{"days": 7, "percent": 100}, {"days": 2, "percent": 50}]
    early = w.book(w.departure(w.tour(refund_rule=rule), days=10), 2)
    late = w.book(w.departure(w.tour(refund_rule=rule), days=3), 2)
    last = w.book(w.departure(w.tour(refund_rule=rule), days=1.5), 1)
    for booking in (early, late, last):
        services.booking_pay(actor=None, booking=booking)
        services.booking_cancel(actor=None, booking=booking)
    assert services.refunded_of(early) == 1_700_000
    assert services.refunded_of(late) == 850_000
    assert services.refunded_of(last) == 0
    assert Booking.objects.get(pk=last.pk).state == BookingState.CANCELLED
    assert w.counters(early.departure.capacity_id) == (30, 0, 0, 0)


def test_cancelling_a_departure_refunds_every_booking_in_full_and_tells_them(
    django_capture_on_commit_callbacks, mailoutbox
):
    departure = w.departure(days=3)
    paid = w.book(departure, 2)
    services.booking_pay(actor=None, booking=paid)
    held = w.book(departure, 1)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.departure_cancel(actor=None, departure=departure, reason="Bão lớn")
    departure.refresh_from_db()
    assert departure.state == DepartureState.CANCELLED
    assert services.refunded_of(paid) == 1_700_000
    assert set(Booking.objects.filter(departure=departure).values_list("state", flat=True)) == {"cancelled"}
    assert Refund.objects.count() == 1 and held.pk
    assert sorted(m.to[0] for m in mailoutbox) == sorted([paid.email, held.email])
    assert w.counters(departure.capacity_id) == (30, 0, 0, 0)


def test_a_completed_or_cancelled_departure_cannot_be_cancelled():
    departure = w.departure()
    services.departure_cancel(actor=None, departure=departure, reason="Ít khách")
    with pytest.raises(DomainError) as caught:
        services.departure_cancel(actor=None, departure=departure, reason="Lần nữa")
    assert caught.value.status == 409

    other = w.departure()
    Departure.objects.filter(pk=other.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    services.departure_complete(actor=None, departure=other)
    with pytest.raises(DomainError) as caught:
        services.departure_cancel(actor=None, departure=other, reason="Muộn")
    assert "hoàn thành" in caught.value.message or caught.value.code == "state_completed"
    assert Departure.objects.get(pk=other.pk).state == DepartureState.COMPLETED


def test_a_departure_in_the_past_is_refused_and_nothing_written():
    tour = w.tour()
    count = Departure.objects.count()
    with pytest.raises(DomainError) as caught:
        services.departure_create(
            actor=None, tour=tour, starts_at=timezone.now() - dt.timedelta(days=1), seats=20
        )
    assert "starts_at" in caught.value.fields
    with pytest.raises(DomainError):
        services.departure_create(actor=None, tour=tour, starts_at=w.soon(), seats=0)
    assert Departure.objects.count() == count


def test_recurring_departures_are_made_all_or_none_and_bounded(settings):
    tour = w.tour()
    start = timezone.localdate() + dt.timedelta(days=3)
    made = services.departures_create_recurring(
        actor=None,
        tour=tour,
        rule="FREQ=WEEKLY;BYDAY=SA,SU",
        starts_on=start,
        start_time=dt.time(7, 30),
        seats=25,
        count=6,
    )
    assert len(made) == 6 and all(timezone.localtime(d.starts_at).weekday() in (5, 6) for d in made)
    settings.TOURS_MAX_RECURRING = 5
    with pytest.raises(DomainError):
        services.departures_create_recurring(
            actor=None,
            tour=tour,
            rule={"freq": "daily"},
            starts_on=start,
            start_time=dt.time(7),
            seats=25,
            count=6,
        )
    with pytest.raises(DomainError) as caught:
        services.departures_create_recurring(
            actor=None,
            tour=tour,
            rule={"freq": "daily"},
            starts_on=timezone.localdate() - dt.timedelta(days=2),
            start_time=dt.time(7),
            seats=25,
            count=3,
        )
    assert "starts_at" in caught.value.fields
    with pytest.raises(DomainError):
        services.departures_create_recurring(
            actor=None, tour=tour, rule={"freq": "daily"}, starts_on=start, start_time=dt.time(7), seats=25
        )
    assert Departure.objects.filter(tour=tour).count() == 6


def test_hold_expiry_releases_the_seats_and_reopens_a_sold_out_departure(django_capture_on_commit_callbacks):
    departure = w.departure(seats=4)
    booking = w.book(departure, 4)
    departure.refresh_from_db()
    assert departure.state == DepartureState.SOLD_OUT
    with django_capture_on_commit_callbacks(execute=True):
        expired = seat_services.holds_expire(timezone.now() + dt.timedelta(minutes=31))
    assert expired == 1
    booking.refresh_from_db()
    departure.refresh_from_db()
    assert booking.state == BookingState.EXPIRED
    assert departure.state == DepartureState.SCHEDULED
    assert w.counters(departure.capacity_id) == (4, 0, 0, 0)


def test_offers_made_by_a_late_run_of_the_seats_job_run_from_its_clock(django_capture_on_commit_callbacks):
    departure = w.departure(seats=2)
    w.book(departure, 2)
    entry = services.waitlist_join(
        actor=None, departure=departure, adults=2, name="Chờ", email="cho@example.vn"
    )
    clock = timezone.now() + dt.timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert seat_services.holds_expire(clock) == 1
    entry.refresh_from_db()
    assert entry.state == WaitlistState.OFFERED and entry.offered_until > clock
    with django_capture_on_commit_callbacks(execute=True):
        assert seat_services.holds_expire(clock) == 0
        assert services.waitlist_expire_offers(clock) == 0
    entry.refresh_from_db()
    assert entry.state == WaitlistState.OFFERED


def test_seats_freed_by_a_cancellation_are_offered_to_the_waiting_list(
    django_capture_on_commit_callbacks, mailoutbox
):
    departure = w.departure(seats=4)
    first = w.book(departure, 4)
    services.booking_pay(actor=None, booking=first)
    with pytest.raises(services.BookingFull):
        w.book(departure, 2, email="cho@example.vn")
    entry = services.waitlist_join(
        actor=None, departure=departure, adults=2, name="Chờ", email="cho@example.vn"
    )
    assert entry.state == WaitlistState.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=None, booking=first)
    entry.refresh_from_db()
    assert entry.state == WaitlistState.OFFERED and entry.booking is not None
    assert any(m.to == ["cho@example.vn"] for m in mailoutbox)

    booking = services.waitlist_accept(actor=None, entry=entry)
    services.booking_pay(actor=None, booking=booking)
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CONFIRMED
    assert w.counters(departure.capacity_id) == (4, 0, 2, 0)


def test_an_offer_not_taken_in_time_passes_on():
    departure = w.departure(seats=2)
    first = w.book(departure, 2)
    services.booking_pay(actor=None, booking=first)
    one = services.waitlist_join(
        actor=None, departure=departure, adults=2, name="Một", email="mot@example.vn"
    )
    two = services.waitlist_join(
        actor=None, departure=departure, adults=2, name="Hai", email="hai@example.vn"
    )
    services.booking_cancel(actor=None, booking=first)
    assert services.waitlist_expire_offers(timezone.now() + dt.timedelta(minutes=121)) == 1
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.state == WaitlistState.EXPIRED and two.state == WaitlistState.OFFERED


def test_a_ticket_checks_in_once_and_a_second_scan_says_already_checked_in():
    departure = w.departure()
    booking = w.book(departure, 2, 1)
    with pytest.raises(DomainError) as caught:
        services.check_in_by_code(actor=None, code=booking.code)
    assert caught.value.code == "not_paid"
    services.booking_pay(actor=None, booking=booking)

    check_in = services.check_in_by_code(actor=None, code=f" {booking.code[:4]}-{booking.code[4:]} ".lower())
    assert check_in.heads == 3
    with pytest.raises(DomainError) as caught:
        services.check_in_by_code(actor=None, code=booking.code)
    assert caught.value.code == "already_checked_in"
    assert caught.value.message == "Đã điểm danh rồi."
    assert CheckIn.objects.count() == 1
    assert w.counters(departure.capacity_id) == (30, 0, 3, 3)
    with pytest.raises(DomainError):
        services.booking_cancel(actor=None, booking=booking)


def test_an_unknown_ticket_is_not_found():
    with pytest.raises(DomainError) as caught:
        services.check_in_by_code(actor=None, code="TNOPE")
    assert caught.value.status == 404


def test_payments_are_rows_and_the_paid_sum_is_derived():
    booking = w.book(w.departure(), 1)
    assert services.paid_of(booking) == 0
    services.booking_pay(actor=None, booking=booking)
    assert list(Payment.objects.filter(booking=booking).values_list("amount", "state")) == [
        (850_000, "succeeded")
    ]


def test_run_daily_now_passes_tour_offers_on():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("run_daily", "--now", stdout=out)
    assert "tour waiting-list offers passed on: 0" in out.getvalue()
