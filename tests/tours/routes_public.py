"""Route-permission rules of the public tour pages (merged into tests/test_route_matrix.py).

Every route is public: the list, a tour's page and its booking form for everyone; a ticket for
whoever holds its unguessable code. The rows each call needs are made in the call, on a tour that
stops at the selling world's center A (ctx.center_a)."""

import datetime as dt
import itertools
from typing import Any

from django.test import Client
from django.utils import timezone

from ocophub.tours import services
from ocophub.tours.models import Booking, Departure

from ..route_rules import PAGE, REDIRECT, Rule

_n = itertools.count(1)


def _departure(ctx: Any, seats: int = 10) -> Departure:
    n = next(_n)
    operator = services.operator_create(
        actor=None, name=f"Lữ hành thử {n}", kind="company", licence_number=f"01-9{n:03d}/2024/TCDL-GP LHQT"
    )
    tour = services.tour_create(
        actor=None, operator=operator, title=f"Tour thử {n}", meeting_point="Nhà hát Lớn", adult_price=500_000
    )
    services.stops_set(
        actor=None, tour=tour, stops=[{"kind": "center", "center": ctx.center_a.pk, "minutes": 60}]
    )
    services.tour_publish(actor=None, tour=tour)
    start = (timezone.localtime() + dt.timedelta(days=10)).replace(hour=8, minute=0, second=0, microsecond=0)
    return services.departure_create(actor=None, tour=tour, starts_at=start, seats=seats)


def _ticket(ctx: Any) -> Booking:
    return services.booking_create(
        actor=None, departure=_departure(ctx), adults=2, name="Khách thử", email=f"khach{next(_n)}@example.vn"
    )


def _get(path: Any) -> Any:
    def call(client: Client, ctx: Any) -> Any:
        return client.get(path(ctx))

    return call


def _offer_accept(client: Client, ctx: Any) -> Any:
    departure = _departure(ctx, seats=1)
    taken = services.booking_create(actor=None, departure=departure, adults=1, name="A", email="a@example.vn")
    entry = services.waitlist_join(actor=None, departure=departure, adults=1, name="B", email="b@example.vn")
    services.booking_cancel(actor=None, booking=taken)
    entry.refresh_from_db()
    assert entry.booking is not None
    return client.post(f"/tour/ve/{entry.booking.code}/nhan-cho/")


PAGES: dict[str, Rule] = {
    "tours:list": Rule(_get(lambda ctx: "/tour/"), None, PAGE, PAGE),
    "tours:tour": Rule(_get(lambda ctx: f"/tour/{_departure(ctx).tour.slug}/"), None, PAGE, PAGE),
    "tours:book": Rule(
        _get(lambda ctx: (lambda d: f"/tour/{d.tour.slug}/dat/{d.pk}/")(_departure(ctx))), None, PAGE, PAGE
    ),
    "tours:ticket": Rule(_get(lambda ctx: f"/tour/ve/{_ticket(ctx).code}/"), None, PAGE, PAGE),
    "tours:ticket_ics": Rule(_get(lambda ctx: f"/tour/ve/{_ticket(ctx).code}/lich.ics"), None, PAGE, PAGE),
    "tours:ticket_cancel": Rule(
        lambda client, ctx: client.post(f"/tour/ve/{_ticket(ctx).code}/huy/"), None, REDIRECT, REDIRECT
    ),
    "tours:offer_accept": Rule(_offer_accept, None, REDIRECT, REDIRECT),
}
OPERATIONS: dict[str, Rule] = {}
