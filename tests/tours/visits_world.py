"""A world for the visits' tests: the sales world's two centers (with bowls on their shelves), a tour
of an operator stopping 60 minutes at center A, a departure today at 08:00 and a paid booking on it."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import time_machine
from django.utils import timezone

from ocophub.inventory import services as inventory
from ocophub.sales import services as sales
from ocophub.tours import services
from ocophub.tours.models import Booking, Departure, Operator, Tour

from ..sales import world as sw
from . import world as w


def today_at(hour: int, minute: int = 0, days: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@dataclass
class VisitWorld:
    shop: sw.World
    operator: Operator
    tour: Tour
    departure: Departure
    booking: Booking

    @property
    def center(self) -> Any:
        return self.shop.center_a


def booked(departure: Departure, adults: int = 2, children: int = 0) -> Booking:
    """A booking made two days before the departure (before its cut-off), not paid."""
    with time_machine.travel(departure.starts_at - dt.timedelta(days=2), tick=False):
        return w.book(departure, adults, children)


def paid(departure: Departure, adults: int = 2, children: int = 0) -> Booking:
    booking = booked(departure, adults, children)
    with time_machine.travel(departure.starts_at - dt.timedelta(days=2), tick=False):
        services.booking_pay(actor=None, booking=booking)
    booking.refresh_from_db()
    return booking


def departure_on(tour: Tour, starts_at: dt.datetime) -> Departure:
    """A departure at any time (today's 08:00 may be past: made a day before, as an operator would)."""
    with time_machine.travel(starts_at - dt.timedelta(days=3), tick=False):
        return services.departure_create(actor=None, tour=tour, starts_at=starts_at, seats=30)


def build(minutes: int = 60) -> VisitWorld:
    shop = sw.build(on_hand=200)
    inventory.stock_receive(actor=None, center=shop.center_b, product=shop.bowl, quantity=50)
    operator = w.operator()
    tour = w.tour(operator, stops=[{"kind": "center", "center": shop.center_a.pk, "minutes": minutes}])
    departure = departure_on(tour, today_at(8))
    booking = paid(departure)
    return VisitWorld(shop, operator, tour, departure, booking)


def sell_at(shop: sw.World, at: dt.datetime, quantity: int = 1, *, center: Any = None, seller: Any = None):
    """A counter sale of bowls rung up at `at` (the clock stopped there)."""
    center = center or shop.center_a
    seller = seller or (shop.staff_a if center == shop.center_a else shop.staff_b)
    with time_machine.travel(at, tick=False):
        if sales.open_shift_of(seller, center) is None:
            sales.shift_open(actor=seller, center=center, opening_float=0)
        sale, _created = sales.sale_create(
            actor=seller,
            center=center,
            client_uuid=uuid.uuid4(),
            lines=[sales.LineIn(shop.bowl.pk, quantity)],
            method="cash",
        )
    return sale


def scan(
    world: VisitWorld, at: dt.datetime, code: str | None = None, *, center: Any = None, actor: Any = None
):
    return services.visit_check_in(
        actor=actor or world.shop.staff_a,
        center=center or world.center,
        code=code or world.booking.code,
        now=at,
    )
