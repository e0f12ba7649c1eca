"""Thirty visitors at once for ten seats, each in its own thread and database connection.

Runs on whichever database the suite runs on (file-backed SQLite or PostgreSQL). Exactly ten are
registered, the twenty others are told "full" and join the waiting list, nobody gets another error,
and the seats never pass the total. Without the seats' conditional UPDATE the CheckConstraint would
turn refusals into IntegrityErrors, which `_race` reports as crashes.
"""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from ocophub.common.errors import DomainError
from ocophub.events import services
from ocophub.events.models import Registration, RegistrationState, WaitlistEntry, WaitlistState
from ocophub.seats import selectors as seats

from . import world as w


def _race(work: Callable[[int], str], people: int) -> Counter:
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
            except Exception as error:  # a server error: the test must show it
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
def test_thirty_registrations_for_ten_seats_register_ten_and_list_twenty():
    session = w.session(seats=10)

    def visitor(n: int) -> str:
        contact = {"name": f"Khách {n}", "email": f"khach{n}@example.vn", "phone": "0912345678"}
        try:
            services.registration_create(actor=None, session=session.pk, party_size=1, **contact)
            return "registered"
        except services.RegistrationFull:
            services.waitlist_join(actor=None, session=session.pk, party_size=1, **contact)
            return "waiting"

    outcomes = _race(visitor, 30)

    assert outcomes == Counter({"registered": 10, "waiting": 20}), outcomes
    assert Registration.objects.filter(session=session, state=RegistrationState.CONFIRMED).count() == 10
    assert WaitlistEntry.objects.filter(session=session, state=WaitlistState.WAITING).count() == 20
    assert w.counters(session) == (10, 0, 10, 0)
    ids = [session.capacity_id]
    assert seats.ledger_totals(ids) == seats.seats_of(ids)


@pytest.mark.django_db(transaction=True)
def test_paid_registrations_racing_hold_their_seats_without_going_over():
    session = w.session(seats=10, price=150_000)

    def visitor(n: int) -> str:
        services.registration_create(
            actor=None, session=session.pk, party_size=2, name=f"Khách {n}", email=f"k{n}@example.vn"
        )
        return "held"

    outcomes = _race(visitor, 12)

    assert outcomes == Counter({"held": 5, "full": 7}), outcomes
    assert w.counters(session) == (10, 10, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_one_ticket_scanned_at_once_by_several_phones_checks_in_once():
    session = w.session(seats=10)
    registration = w.register(session, 3)
    center = session.event.center

    outcomes = _race(
        lambda n: (services.check_in_by_code(actor=None, code=registration.code, center=center), "ok")[1], 6
    )

    assert outcomes == Counter({"ok": 1, "already_checked_in": 5}), outcomes
    assert w.counters(session) == (10, 0, 3, 3)


@pytest.mark.django_db(transaction=True)
def test_payments_racing_the_expiry_job_each_registration_ends_one_way():
    import datetime as dt

    from django.utils import timezone

    from ocophub.seats import services as seat_services
    from ocophub.seats.models import Hold

    session = w.session(seats=10, price=100_000)
    registrations = [w.register(session, 1) for _ in range(8)]
    later = timezone.now() + dt.timedelta(minutes=31)

    def either(n: int) -> str:
        if n < len(registrations):
            services.registration_pay(actor=None, registration=registrations[n])
        else:
            seat_services.holds_expire(later)
        return "ok"

    outcomes = _race(either, len(registrations) + 2)

    assert set(outcomes) <= {"ok", "state_expired", "hold_expired", "conflict"}, outcomes
    states = Counter(Registration.objects.values_list("state", flat=True))
    assert states["confirmed"] + states["expired"] == len(registrations)
    assert states["confirmed"] == outcomes["ok"] - 2
    for registration in Registration.objects.all():
        hold_state = Hold.objects.get(pk=registration.hold_id).state
        assert hold_state == ("confirmed" if registration.state == "confirmed" else "expired")
    assert w.counters(session) == (10, 0, states["confirmed"], 0)
    ids = [session.capacity_id]
    assert seats.ledger_totals(ids) == seats.seats_of(ids)


@pytest.mark.django_db(transaction=True)
def test_both_expiry_jobs_at_once_pass_each_offer_on_once():
    import datetime as dt

    from django.utils import timezone

    from ocophub.seats import services as seat_services

    session = w.session(seats=4)
    taken = [w.register(session, 1) for _ in range(4)]
    for n in range(8):
        services.waitlist_join(
            actor=None, session=session, party_size=1, name="Khách", email=f"w{n}@example.vn"
        )
    for registration in taken:
        services.registration_cancel(actor=None, registration=registration)
    assert WaitlistEntry.objects.filter(state=WaitlistState.OFFERED).count() == 4
    later = timezone.now() + dt.timedelta(minutes=121)

    def job(n: int) -> str:
        if n % 2:
            seat_services.holds_expire(later)
        else:
            services.waitlist_expire_offers(later)
        return "ok"

    outcomes = _race(job, 4)

    assert outcomes == Counter({"ok": 4}), outcomes
    states = Counter(WaitlistEntry.objects.values_list("state", flat=True))
    assert states == Counter({"expired": 4, "offered": 4}), states
    assert w.counters(session) == (4, 4, 0, 0)
    ids = [session.capacity_id]
    assert seats.ledger_totals(ids) == seats.seats_of(ids)
