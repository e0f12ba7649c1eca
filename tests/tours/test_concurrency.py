"""Forty parties of two at once for a thirty-seat vehicle, each in its own thread and connection.

Runs on whichever database the suite runs on (file-backed SQLite or PostgreSQL). Exactly fifteen are
booked, the others are told "full" and join the waiting list, nobody gets another error, and the
seats never pass the total (the seats' conditional UPDATE; without it the CheckConstraint would
turn refusals into IntegrityErrors, which `_race` reports as crashes)."""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from ocophub.common.errors import DomainError
from ocophub.seats import selectors as seats
from ocophub.tours import services
from ocophub.tours.models import Booking, BookingState, WaitlistEntry, WaitlistState

from ..events import world as ew
from . import world as w


def _race(work: Callable[[int], str], people: int) -> Counter:
    """Run `work` in `people` threads released at once; the outcomes (a DomainError's code, or the
    crash that the test must show)."""
    barrier = threading.Barrier(people)
    outcomes: list[str] = []
    lock = threading.Lock()

    def person(n: int) -> None:
        try:
            barrier.wait()
            try:
                outcome = work(n)
            except DomainError as error:
                outcome = error.code
            except Exception as error:
                outcome = f"crash: {type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return Counter(outcomes)


@pytest.mark.django_db(transaction=True)
def test_forty_bookings_of_two_on_thirty_seats_book_fifteen_and_list_the_rest():
    departure = w.departure(seats=30)

    def party(n: int) -> str:
        contact = {"name": f"Khách {n}", "email": f"khach{n}@example.vn", "phone": "0912345678"}
        try:
            services.booking_create(actor=None, departure=departure.pk, adults=2, **contact)
            return "booked"
        except services.BookingFull:
            services.waitlist_join(actor=None, departure=departure.pk, adults=2, **contact)
            return "waiting"

    outcomes = _race(party, 40)

    assert outcomes == Counter({"booked": 15, "waiting": 25}), outcomes
    assert Booking.objects.filter(departure=departure, state=BookingState.HELD).count() == 15
    assert WaitlistEntry.objects.filter(departure=departure, state=WaitlistState.WAITING).count() == 25
    assert w.counters(departure.capacity_id) == (30, 30, 0, 0)
    ids = [departure.capacity_id]
    assert seats.ledger_totals(ids) == seats.seats_of(ids)


@pytest.mark.django_db(transaction=True)
def test_racing_bookings_on_a_twelve_seat_workshop_take_both_holds_or_neither():
    at = w.center()
    session = ew.session(ew.event(at), seats=12)
    tour = w.tour(stops=[{"kind": "workshop", "session": session.pk, "minutes": 90}])
    departure = w.departure(tour, seats=30)

    def party(n: int) -> str:
        services.booking_create(
            actor=None, departure=departure.pk, adults=2, name="Khách", email=f"k{n}@example.vn"
        )
        return "booked"

    outcomes = _race(party, 10)

    assert outcomes == Counter({"booked": 6, "full": 4}), outcomes
    assert w.counters(departure.capacity_id) == (30, 12, 0, 0)
    assert w.counters(session.capacity_id) == (12, 12, 0, 0)
    ids = [departure.capacity_id, session.capacity_id]
    assert seats.ledger_totals(ids) == seats.seats_of(ids)


@pytest.mark.django_db(transaction=True)
def test_payments_racing_the_expiry_job_each_booking_ends_one_way():
    import datetime as dt

    from django.utils import timezone

    from ocophub.seats import services as seat_services
    from ocophub.seats.models import Hold

    departure = w.departure(seats=10)
    bookings = [w.book(departure, 1) for _ in range(8)]
    later = timezone.now() + dt.timedelta(minutes=31)

    def either(n: int) -> str:
        if n < len(bookings):
            services.booking_pay(actor=None, booking=bookings[n])
        else:
            seat_services.holds_expire(later)
        return "ok"

    outcomes = _race(either, len(bookings) + 2)

    assert not [o for o in outcomes if o.startswith("crash")], outcomes
    states = Counter(Booking.objects.values_list("state", flat=True))
    assert states["confirmed"] + states["expired"] == len(bookings)
    assert states["confirmed"] == outcomes["ok"] - 2
    for booking in Booking.objects.all():
        assert Hold.objects.get(pk=booking.hold_id).state == booking.state
    assert w.counters(departure.capacity_id) == (10, 0, states["confirmed"], 0)
    ids = [departure.capacity_id]
    assert seats.ledger_totals(ids) == seats.seats_of(ids)


@pytest.mark.django_db(transaction=True)
def test_cancellations_racing_new_bookings_and_the_waiting_list_never_oversell():
    departure = w.departure(seats=10)
    booked = [w.book(departure, 2) for _ in range(5)]
    for booking in booked:
        services.booking_pay(actor=None, booking=booking)
    for n in range(3):
        services.waitlist_join(
            actor=None, departure=departure, adults=2, name="Chờ", email=f"cho{n}@example.vn"
        )

    def either(n: int) -> str:
        if n < 5:
            services.booking_cancel(actor=None, booking=booked[n])
            return "cancelled"
        services.booking_create(
            actor=None, departure=departure.pk, adults=2, name="Mới", email=f"moi{n}@example.vn"
        )
        return "booked"

    outcomes = _race(either, 10)

    assert not [o for o in outcomes if o.startswith("crash")], outcomes
    assert outcomes["cancelled"] == 5
    total, held, taken, _checked = w.counters(departure.capacity_id)
    assert total == 10 and held + taken <= 10 and taken == 0
    live = Booking.objects.filter(departure=departure, state__in=["held", "confirmed"]).count()
    assert held == 2 * live
    ids = [departure.capacity_id]
    assert seats.ledger_totals(ids) == seats.seats_of(ids)


@pytest.mark.django_db(transaction=True)
def test_two_scans_of_one_ticket_at_a_center_at_once_record_one_visit_and_one_ticket():
    from ocophub.tours.models import Visit, VisitTicket

    at = w.center()
    tour = w.tour(stops=[{"kind": "center", "center": at.pk, "minutes": 60}])
    departure = w.departure(tour, days=3)
    booking = w.book(departure)
    services.booking_pay(actor=None, booking=booking)
    second = w.book(departure, adults=3)
    services.booking_pay(actor=None, booking=second)
    now = departure.starts_at

    def scan(n: int) -> str:
        code = booking.code if n < 4 else second.code
        services.visit_check_in(actor=None, center=at, code=code, now=now)
        return "ok"

    outcomes = _race(scan, 6)

    assert outcomes == Counter({"ok": 2, "already_checked_in": 4}), outcomes
    visit = Visit.objects.get()
    assert visit.heads == 5
    assert VisitTicket.objects.filter(visit=visit).count() == 2
