import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from ocophub.events import selectors, services, tickets
from ocophub.events.models import PaymentMethod
from ocophub.sales import vietqr
from ocophub.sales.models import BankAccount

from . import world as w

pytestmark = pytest.mark.django_db


def test_the_ticket_qr_code_carries_the_code_and_is_drawn_once(django_assert_num_queries):
    cache.clear()
    registration = w.register(w.session(), 2)
    svg = tickets.ticket_qr_svg(registration)
    assert svg.startswith(b"<svg") and tickets.ticket_payload(registration) == registration.code
    from ocophub.catalogue import qr

    assert cache.get(qr.cache_key("svg-qr", registration.code, 4)) == svg
    # a regular QR code (21 modules and the border of 2 on each side, at 4 px a module), not a
    # 17-module Micro QR code that phone cameras do not read
    assert b'width="100"' in svg


def test_the_registration_ics_parses_back_with_the_session_times():
    session = w.session(seats=5)
    registration = w.register(session, 2)

    calendar = Calendar.from_ical(tickets.registration_ics(registration))

    events = calendar.walk("VEVENT")
    assert len(events) == 1
    item = events[0]
    assert item.decoded("dtstart") == session.starts_at
    assert item.decoded("dtend") == session.ends_at
    assert str(item["summary"]) == session.event.title
    assert registration.code in str(item["description"])
    assert "Bát Tràng" in str(item["location"])


def test_the_center_feed_lists_its_published_sessions_only_in_one_query():
    center = w.center()
    shown = w.event(center)
    w.session(shown, days=3)
    w.session(shown, days=5)
    w.session(w.event(center, publish=False))
    w.session(w.event())  # another center's
    cancelled = w.session(shown, days=7)
    services.session_cancel(actor=None, session=cancelled, reason="Mưa")

    with CaptureQueriesContext(connection) as queries:
        data = tickets.center_feed_ics(center)

    assert len(queries) == 1
    events = Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 2
    assert {str(e["summary"]) for e in events} == {shown.title}


def test_a_held_registration_has_a_vietqr_transfer_of_its_amount():
    session = w.session(seats=5, price=120_000)
    BankAccount.objects.create(
        center=session.event.center, bank_bin="970415", bank_name="VietinBank", account_number="113366668888"
    )
    registration = w.register(session, 2)

    transfer = tickets.transfer_of(registration)

    assert transfer is not None
    fields = vietqr.parse(transfer["payload"])
    assert fields["54"] == "240000"
    assert registration.code in fields["62"]
    services.registration_pay(actor=None, registration=registration)
    registration.refresh_from_db()
    assert tickets.transfer_of(registration) is None


def _grow(n: int) -> None:
    for _ in range(n):
        center = w.center()
        session = w.session(w.event(center), seats=10)
        for size in (1, 2):
            registration = w.register(session, size, method=PaymentMethod.DOOR)
            services.check_in_by_code(actor=None, code=registration.code, center=center)


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_head_counts_per_session_center_and_day_in_fixed_queries():
    today = timezone.localdate()
    week = (today - dt.timedelta(days=7), today)
    _grow(1)
    small = [
        _count(lambda: selectors.heads_per_center(*week)),
        _count(lambda: selectors.heads_per_day(*week)),
        _count(lambda: selectors.heads_per_center_and_day(*week)),
        _count(lambda: selectors.sessions_with_seats()),
    ]
    _grow(3)
    big = [
        _count(lambda: selectors.heads_per_center(*week)),
        _count(lambda: selectors.heads_per_day(*week)),
        _count(lambda: selectors.heads_per_center_and_day(*week)),
        _count(lambda: selectors.sessions_with_seats()),
    ]
    assert small == big == [1, 1, 1, 2]
    assert selectors.heads_per_day(*week) == {today: 12}
    assert sorted(selectors.heads_per_center(*week).values()) == [3, 3, 3, 3]
    rows = selectors.sessions_with_seats()
    assert [r.free for r in rows] == [7, 7, 7, 7]
    assert selectors.heads_per_session([r.session.pk for r in rows]) == {r.session.pk: 3 for r in rows}


def test_registrations_of_a_session_carry_their_money_in_one_query():
    session = w.session(seats=10, price=50_000)
    for _ in range(3):
        services.registration_pay(actor=None, registration=w.register(session, 2))
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.registrations_of_session(session)
    assert len(queries) == 1
    assert [r.paid for r in rows] == [100_000] * 3 and [r.refunded for r in rows] == [0] * 3


def test_the_waiting_list_position_follows_the_order_of_joining():
    session = w.session(seats=1)
    w.register(session, 1)
    entries = [
        services.waitlist_join(actor=None, session=session, party_size=1, name="A", email=f"{n}@example.vn")
        for n in range(3)
    ]
    assert [selectors.waitlist_position(e) for e in entries] == [1, 2, 3]
    assert selectors.waiting_list(session) == entries


def test_the_calendar_filters_by_kind_center_range_and_price():
    center = w.center()
    workshop = w.session(w.event(center), seats=6, price=100_000, days=2)
    exhibition = w.session(w.event(center, kind="exhibition"), seats=50, days=4)
    elsewhere = w.session(w.event(), seats=5, days=6)

    def ids(**filters):
        return [row.session.pk for row in selectors.sessions_with_seats(**filters)]

    assert ids() == [workshop.pk, exhibition.pk, elsewhere.pk]
    assert ids(center_id=center.pk) == [workshop.pk, exhibition.pk]
    assert ids(kind="exhibition") == [exhibition.pk]
    assert ids(free=True) == [exhibition.pk, elsewhere.pk] and ids(free=False) == [workshop.pk]
    assert ids(since=timezone.now() + dt.timedelta(days=3), until=timezone.now() + dt.timedelta(days=5)) == [
        exhibition.pk
    ]
    assert ids(village_id=999) == []
