import datetime as dt

import pytest
from django.utils import timezone

from ocophub.common.errors import DomainError
from ocophub.events import selectors, services
from ocophub.events.models import (
    CheckIn,
    Payment,
    PaymentMethod,
    Refund,
    Registration,
    RegistrationState,
    Session,
)

from . import world as w

pytestmark = pytest.mark.django_db


def _errors(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_a_free_session_confirms_at_once_and_mails_the_ticket(django_capture_on_commit_callbacks, mailoutbox):
    session = w.session(seats=5)
    with django_capture_on_commit_callbacks(execute=True):
        registration = w.register(session, 2, email="Lan@Example.vn")

    assert registration.state == RegistrationState.CONFIRMED
    assert registration.amount == 0 and registration.email == "lan@example.vn"
    assert registration.phone == "+84912345678"
    assert len(registration.code) == 12
    assert w.counters(session) == (5, 0, 2, 0)
    assert registration.code in mailoutbox[0].body


def test_a_paid_session_holds_until_the_vietqr_payment_confirms(settings):
    settings.REGISTRATION_HOLD_MINUTES = 30
    session = w.session(seats=5, price=150_000)
    registration = w.register(session, 2)

    assert registration.state == RegistrationState.HELD and registration.amount == 300_000
    assert registration.expires_at is not None
    assert abs((registration.expires_at - timezone.now()) - dt.timedelta(minutes=30)) < dt.timedelta(
        minutes=1
    )
    assert w.counters(session) == (5, 2, 0, 0)
    assert selectors.balance_of(registration).due == 300_000

    services.registration_pay(actor=None, registration=registration, reference="FT1")

    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED
    assert selectors.balance_of(registration).paid == 300_000
    assert selectors.balance_of(registration).due == 0
    assert w.counters(session) == (5, 0, 2, 0)
    with pytest.raises(DomainError) as again:
        services.registration_pay(actor=None, registration=registration)
    assert again.value.code == "state_confirmed"
    assert Payment.objects.count() == 1


def test_at_the_door_is_confirmed_and_paid_at_check_in():
    session = w.session(seats=5, price=100_000)
    registration = w.register(session, 3, method=PaymentMethod.DOOR)
    assert registration.state == RegistrationState.CONFIRMED
    assert selectors.balance_of(registration).due == 300_000

    check_in = services.check_in_by_code(
        actor=None, code=registration.code.lower(), center=session.event.center
    )

    assert check_in.heads == 3
    assert selectors.balance_of(registration).due == 0
    assert Payment.objects.get().method == PaymentMethod.DOOR


def test_one_qr_scanned_twice_records_one_check_in():
    session = w.session(seats=5)
    registration = w.register(session, 2)
    center = session.event.center
    services.check_in_by_code(actor=None, code=registration.code, center=center)

    error = _errors(lambda: services.check_in_by_code(actor=None, code=registration.code, center=center))

    assert error.code == "already_checked_in"
    assert CheckIn.objects.count() == 1
    assert w.counters(session) == (5, 0, 2, 2)


def test_a_ticket_of_another_center_is_refused_and_nothing_written():
    session = w.session(seats=5)
    registration = w.register(session, 1)
    other = w.center("Trung tâm OCOP lụa Vạn Phúc")

    error = _errors(lambda: services.check_in_by_code(actor=None, code=registration.code, center=other))

    assert error.code == "other_center" and error.status == 400 and "code" in error.fields
    assert CheckIn.objects.count() == 0
    assert w.counters(session) == (5, 0, 1, 0)


def test_unknown_unpaid_and_cancelled_tickets_are_refused():
    session = w.session(seats=5, price=10_000)
    center = session.event.center
    assert _errors(lambda: services.check_in_by_code(actor=None, code="", center=center)).fields["code"]
    assert _errors(lambda: services.check_in_by_code(actor=None, code="NOPE", center=center)).status == 404
    unpaid = w.register(session, 1)
    assert (
        _errors(lambda: services.check_in_by_code(actor=None, code=unpaid.code, center=center)).code
        == "not_paid"
    )
    services.registration_cancel(actor=None, registration=unpaid)
    assert _errors(lambda: services.check_in_by_code(actor=None, code=unpaid.code, center=center)).code == (
        "state_cancelled"
    )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("party_size", {"party_size": 0}),
        ("party_size", {"party_size": -2}),
        ("party_size", {"party_size": 21}),
        ("party_size", {"party_size": "2"}),
        ("party_size", {"party_size": 6}),  # more than the session holds
        ("name", {"name": "  "}),
        ("email", {"email": "not-an-address"}),
        ("email", {"email": ""}),
        ("phone", {"phone": "12"}),
        ("payment_method", {"payment_method": "card"}),
    ],
)
def test_bad_registration_input_names_the_field_and_writes_nothing(field, changes):
    session = w.session(seats=5, price=1000)
    data = {"party_size": 1, "name": "Anh Minh", "email": "minh@example.vn", "phone": "", **changes}

    error = _errors(lambda: services.registration_create(actor=None, session=session, **data))

    assert error.status == 400 and field in error.fields
    assert Registration.objects.count() == 0
    assert w.counters(session) == (5, 0, 0, 0)


def test_closed_sessions_take_no_registration():
    draft = w.session(w.event(publish=False))
    assert "session" in _errors(lambda: w.register(draft)).fields
    cancelled = w.session(seats=3)
    services.session_cancel(actor=None, session=cancelled, reason="Mất điện")
    assert "session" in _errors(lambda: w.register(cancelled)).fields
    past = w.session(seats=3)
    Session.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert "session" in _errors(lambda: w.register(past)).fields
    assert Registration.objects.count() == 0


def test_registering_twice_with_the_same_contact_is_refused():
    session = w.session(seats=5)
    w.register(session, 1, email="minh@example.vn")
    error = _errors(lambda: w.register(session, 1, email="MINH@example.vn"))
    assert error.code == "already_registered" and error.status == 409
    assert Registration.objects.count() == 1


def test_a_full_session_says_full_with_the_free_seats():
    session = w.session(seats=3)
    w.register(session, 2)
    with pytest.raises(services.RegistrationFull) as caught:
        w.register(session, 2)
    assert caught.value.code == "full" and caught.value.free == 1
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(("days", "percent", "refunded"), [(10, 100, 300_000), (3, 50, 150_000), (1, 0, 0)])
def test_cancelling_refunds_the_share_of_the_rule(days, percent, refunded):
    session = w.session(seats=5, price=100_000, days=days)
    registration = w.register(session, 3)
    services.registration_pay(actor=None, registration=registration)
    assert services.refund_share(session) == percent

    services.registration_cancel(actor=None, registration=registration, reason="Bận việc")

    registration.refresh_from_db()
    assert registration.state == (RegistrationState.REFUNDED if refunded else RegistrationState.CANCELLED)
    assert selectors.balance_of(registration).refunded == refunded
    assert w.counters(session) == (5, 0, 0, 0)


def test_refunds_round_to_the_whole_dong():
    session = w.session(seats=5, price=33_333, days=3, refund_rule=[{"days": 2, "percent": 33}])
    registration = w.register(session, 1)
    services.registration_pay(actor=None, registration=registration)
    services.registration_cancel(actor=None, registration=registration)
    assert Refund.objects.get().amount == 11_000  # 33 % of 33.333 = 10.999,89 → 11.000


def test_cancelling_after_the_start_or_after_check_in_is_refused():
    session = w.session(seats=5)
    started = w.register(session, 1)
    checked = w.register(session, 1)
    services.check_in_by_code(actor=None, code=checked.code, center=session.event.center)
    assert (
        _errors(lambda: services.registration_cancel(actor=None, registration=checked)).code == "checked_in"
    )
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    assert _errors(lambda: services.registration_cancel(actor=None, registration=started)).code == "started"
    started.refresh_from_db()
    assert started.state == RegistrationState.CONFIRMED


def test_cancelling_a_session_refunds_everyone_in_full_and_mails_them(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = w.session(seats=5, price=100_000, days=1)  # the visitors' rule would refund nothing
    paid = w.register(session, 2)
    services.registration_pay(actor=None, registration=paid)
    held = w.register(session, 1)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(actor=None, session=session, reason="Lò nung hỏng")

    paid.refresh_from_db()
    held.refresh_from_db()
    assert paid.state == RegistrationState.REFUNDED and selectors.balance_of(paid).refunded == 200_000
    assert held.state == RegistrationState.CANCELLED
    assert w.counters(session) == (5, 0, 0, 0)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([paid.email, held.email])
    assert "Lò nung hỏng" in mailoutbox[0].body


def test_a_held_registration_mail_says_how_much_until_when_and_the_transfer_message(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = w.session(seats=5, price=120_000)
    with django_capture_on_commit_callbacks(execute=True):
        registration = w.register(session, 2)

    body = mailoutbox[0].body
    assert "240.000 ₫" in body and registration.code in body
    assert timezone.localtime(registration.expires_at).strftime("%H:%M %d/%m/%Y") in body
    assert mailoutbox[0].subject.startswith("Đã giữ chỗ")


def test_an_offer_from_the_waiting_list_is_mailed_with_its_deadline(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = w.session(seats=1)
    taken = w.register(session, 1)
    services.waitlist_join(actor=None, session=session, party_size=1, name="Bà Hoa", email="hoa@example.vn")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=None, registration=taken)

    offer = next(m for m in mailoutbox if m.to == ["hoa@example.vn"])
    assert offer.subject.startswith("Có chỗ trống cho bạn")
