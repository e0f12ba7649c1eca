"""Route-permission rules of the public event pages (merged into tests/test_route_matrix.py).

Every route is public: the calendar, an event's page and its registration form for everyone; a ticket
for whoever holds its unguessable code. The rows each call needs are made in the call, at the
selling world's center A (ctx.center_a)."""

import datetime as dt
import itertools
from typing import Any

from django.test import Client
from django.utils import timezone

from ocophub.events import services
from ocophub.events.models import PaymentMethod, Registration, Session

from ..route_rules import PAGE, REDIRECT, Rule

_n = itertools.count(1)


def _session(ctx: Any, seats: int = 10) -> Session:
    event = services.event_create(
        actor=None, center=ctx.center_a, kind="workshop", title=f"Nặn gốm thử {next(_n)}", description=""
    )
    services.event_publish(actor=None, event=event)
    start = (timezone.localtime() + dt.timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    return services.session_create(
        actor=None, event=event, starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=seats
    )


def _ticket(ctx: Any) -> Registration:
    return services.registration_create(
        actor=None,
        session=_session(ctx),
        party_size=2,
        name="Khách thử",
        email=f"khach{next(_n)}@example.vn",
        payment_method=PaymentMethod.DOOR,
    )


def _get(path: Any) -> Any:
    def call(client: Client, ctx: Any) -> Any:
        return client.get(path(ctx))

    return call


def _offer_accept(client: Client, ctx: Any) -> Any:
    session = _session(ctx, seats=1)
    taken = services.registration_create(
        actor=None, session=session, party_size=1, name="A", email="a@example.vn", payment_method="door"
    )
    entry = services.waitlist_join(actor=None, session=session, party_size=1, name="B", email="b@example.vn")
    services.registration_cancel(actor=None, registration=taken)
    entry.refresh_from_db()
    assert entry.registration is not None
    return client.post(f"/su-kien/ve/{entry.registration.code}/nhan-cho/", {"payment_method": "door"})


PAGES: dict[str, Rule] = {
    "events:calendar": Rule(_get(lambda ctx: "/su-kien/"), None, PAGE, PAGE),
    "events:month": Rule(_get(lambda ctx: "/su-kien/lich-thang/?thang=2026-12"), None, PAGE, PAGE),
    "events:center_feed": Rule(
        _get(lambda ctx: f"/su-kien/trung-tam/{ctx.center_a.slug}.ics"), None, PAGE, PAGE
    ),
    "events:event": Rule(_get(lambda ctx: f"/su-kien/{_session(ctx).event.slug}/"), None, PAGE, PAGE),
    "events:register": Rule(
        _get(lambda ctx: (lambda s: f"/su-kien/{s.event.slug}/dang-ky/{s.pk}/")(_session(ctx))),
        None,
        PAGE,
        PAGE,
    ),
    "events:ticket": Rule(_get(lambda ctx: f"/su-kien/ve/{_ticket(ctx).code}/"), None, PAGE, PAGE),
    "events:ticket_ics": Rule(
        _get(lambda ctx: f"/su-kien/ve/{_ticket(ctx).code}/lich.ics"), None, PAGE, PAGE
    ),
    "events:ticket_cancel": Rule(
        lambda client, ctx: client.post(f"/su-kien/ve/{_ticket(ctx).code}/huy/"), None, REDIRECT, REDIRECT
    ),
    "events:offer_accept": Rule(_offer_accept, None, REDIRECT, REDIRECT),
}
OPERATIONS: dict[str, Rule] = {}
