import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from ocophub.events import services
from ocophub.events.models import (
    PaymentMethod,
    Registration,
    RegistrationState,
    WaitlistEntry,
    WaitlistState,
)
from ocophub.events.tasks import waitlist_offers_expire_due
from ocophub.seats import services as seats
from ocophub.seats.models import Hold, HoldState
from ocophub.seats.tasks import holds_expire_due

from . import world as w

pytestmark = pytest.mark.django_db(transaction=True)


def _join(session, party=1, email=None):
    return services.waitlist_join(
        actor=None, session=session, party_size=party, name="Chị Lan", email=email or "lan@example.vn"
    )


def test_a_hold_that_expires_releases_its_seats_and_offers_them_to_the_first_waiting():
    session = w.session(seats=2, price=100_000)
    held = w.register(session, 2)
    first, second = _join(session, 1, "a@example.vn"), _join(session, 1, "b@example.vn")
    assert w.counters(session) == (2, 2, 0, 0)

    expired = seats.holds_expire(timezone.now() + dt.timedelta(minutes=31))

    assert expired == 1
    held.refresh_from_db()
    assert held.state == RegistrationState.EXPIRED
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == WaitlistState.OFFERED and second.state == WaitlistState.OFFERED
    assert first.registration.state == RegistrationState.HELD
    assert w.counters(session) == (2, 2, 0, 0)  # held again, for the two offers
    assert any("a@example.vn" in m.to for m in mail.outbox)


def test_offers_made_by_a_late_run_of_the_seats_job_run_from_its_clock():
    """A run of the job at a time past the offer window (a job that was late, or a test's clock) makes
    offers that last from that time: running either job again at the same time passes nothing on."""
    session = w.session(seats=1, price=100_000)
    w.register(session, 1)
    first = _join(session, 1, "a@example.vn")
    second = _join(session, 1, "b@example.vn")
    clock = timezone.now() + dt.timedelta(hours=5)

    assert seats.holds_expire(clock) == 1

    first.refresh_from_db()
    assert first.state == WaitlistState.OFFERED and first.offered_until > clock
    assert seats.holds_expire(clock) == 0
    assert services.waitlist_expire_offers(clock) == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (WaitlistState.OFFERED, WaitlistState.WAITING)


def test_the_seats_job_as_a_task_expires_the_registration_through_the_hook():
    session = w.session(seats=3, price=50_000)
    held = w.register(session, 3)
    Hold.objects.filter(pk=held.hold_id).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    assert holds_expire_due.call() == 1

    held.refresh_from_db()
    assert held.state == RegistrationState.EXPIRED
    assert w.counters(session) == (3, 0, 0, 0)


def test_a_cancelled_registration_seat_is_offered_to_the_first_on_the_waiting_list():
    session = w.session(seats=1)
    taken = w.register(session, 1)
    too_big = _join(session, 1, "first@example.vn")
    later = _join(session, 1, "second@example.vn")

    services.registration_cancel(actor=None, registration=taken)

    too_big.refresh_from_db()
    later.refresh_from_db()
    assert too_big.state == WaitlistState.OFFERED and later.state == WaitlistState.WAITING
    registration = services.waitlist_accept(actor=None, entry=too_big)
    assert registration.state == RegistrationState.CONFIRMED  # a free session: confirmed at once
    assert w.counters(session) == (1, 0, 1, 0)


def test_the_first_waiting_party_that_fits_gets_the_offer():
    session = w.session(seats=3)
    one = w.register(session, 1)
    w.register(session, 2)
    four = _join(session, 3, "big@example.vn")
    single = _join(session, 1, "small@example.vn")

    services.registration_cancel(actor=None, registration=one)

    four.refresh_from_db()
    single.refresh_from_db()
    assert four.state == WaitlistState.WAITING
    assert single.state == WaitlistState.OFFERED


def test_an_offer_not_taken_passes_to_the_next_in_line():
    session = w.session(seats=1, price=80_000)
    taken = w.register(session, 1, method=PaymentMethod.DOOR)
    first = _join(session, 1, "first@example.vn")
    second = _join(session, 1, "second@example.vn")
    services.registration_cancel(actor=None, registration=taken)
    first.refresh_from_db()
    assert first.state == WaitlistState.OFFERED

    assert services.waitlist_expire_offers(timezone.now() + dt.timedelta(minutes=121)) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == WaitlistState.EXPIRED
    assert first.registration.state == RegistrationState.EXPIRED
    assert Hold.objects.get(pk=first.registration.hold_id).state == HoldState.RELEASED
    assert second.state == WaitlistState.OFFERED
    assert w.counters(session) == (1, 1, 0, 0)


def test_the_offer_job_as_a_task_and_an_accepted_vietqr_offer_is_paid_like_any_other():
    session = w.session(seats=1, price=80_000)
    taken = w.register(session, 1, method=PaymentMethod.DOOR)
    entry = _join(session, 1, "first@example.vn")
    services.registration_cancel(actor=None, registration=taken)
    assert waitlist_offers_expire_due.call() == 0  # nothing due yet

    registration = services.waitlist_accept(actor=None, entry=entry, payment_method=PaymentMethod.VIETQR)
    assert registration.state == RegistrationState.HELD
    services.registration_pay(actor=None, registration=registration, reference="FT123")

    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED
    assert w.counters(session) == (1, 0, 1, 0)


def test_leaving_the_list_with_an_open_offer_passes_it_on():
    session = w.session(seats=1)
    taken = w.register(session, 1)
    first, second = _join(session, 1, "a@example.vn"), _join(session, 1, "b@example.vn")
    services.registration_cancel(actor=None, registration=taken)

    services.waitlist_leave(actor=None, entry=first)

    second.refresh_from_db()
    assert second.state == WaitlistState.OFFERED
    assert Registration.objects.filter(session=session, state=RegistrationState.HELD).count() == 1


def test_joining_twice_or_when_registered_is_refused():
    session = w.session(seats=1)
    w.register(session, 1, email="me@example.vn")
    with pytest.raises(services.RegistrationFull):
        w.register(session, 1, email="you@example.vn")
    _join(session, 1, "you@example.vn")

    for email, code in (("you@example.vn", "already_waiting"), ("me@example.vn", "already_registered")):
        with pytest.raises(Exception) as caught:
            _join(session, 1, email)
        assert caught.value.code == code
    assert WaitlistEntry.objects.count() == 1


def test_run_daily_now_passes_on_offers_not_taken():
    import io

    import time_machine
    from django.core.management import call_command

    session = w.session(seats=1)
    taken = w.register(session, 1)
    first, second = _join(session, 1, "a@example.vn"), _join(session, 1, "b@example.vn")
    services.registration_cancel(actor=None, registration=taken)
    out = io.StringIO()

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=125)):
        call_command("run_daily", "--now", stdout=out)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == WaitlistState.EXPIRED
    assert (
        "waiting-list offers passed on: 1" in out.getvalue()
        or "unpaid seat holds expired: 1" in out.getvalue()
    )
    # the seats' job or ours got there first; either way the seats went to the next in line
    assert second.state == WaitlistState.OFFERED
