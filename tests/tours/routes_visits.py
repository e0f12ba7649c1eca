"""Route-permission rules of the tour visits (merged into tests/test_route_matrix.py): the center's
scan page, visits report, export and commission rates under /lam-viec/trung-tam/<slug>/khach-tour/
(center A's staff and manager allowed, center B's staff 404), the operator's visits and export
(the city's administrator allowed, a center's staff 404), and the visits API. Each call makes a
tour stopping at center A, a departure today with a paid booking, in the test's own savepoint."""

import datetime as dt
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from ocophub.tours import services

from ..route_rules import PAGE, REDIRECT, Rule, _get
from . import world as w


def _today_booking(ctx: Any) -> Any:
    """A paid booking on a departure at noon today (booked two days before, before its cut-off)."""
    tour = w.tour(w.operator(), stops=[{"kind": "center", "center": ctx.center_a.pk, "minutes": 60}])
    noon = dt.datetime.combine(timezone.localdate(), dt.time(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon - dt.timedelta(days=3), tick=False):
        departure = services.departure_create(actor=None, tour=tour, starts_at=noon, seats=20)
        booking = w.book(departure)
        services.booking_pay(actor=None, booking=booking)
    return booking


def _center(ctx: Any) -> str:
    return f"/lam-viec/trung-tam/{ctx.center_a.slug}/khach-tour"


def _page(path: str, method: str = "get", data: dict | None = None) -> Any:
    def call(client: Client, ctx: Any) -> Any:
        url = _center(ctx) + path
        return client.get(url) if method == "get" else client.post(url, data or {})

    return call


def _scan(client: Client, ctx: Any) -> Any:
    booking = _today_booking(ctx)
    return client.post(_center(ctx) + "/soat-ve/", {"code": booking.code})


def _operator(path: str) -> Any:
    def call(client: Client, ctx: Any) -> Any:
        return client.get(f"/lam-viec/tour/{w.operator().pk}/khach-tai-trung-tam/{path}")

    return call


def _api_scan(client: Client, ctx: Any) -> Any:
    booking = _today_booking(ctx)
    body = {"center_id": ctx.center_a.pk, "code": booking.code}
    return client.post("/api/v1/tours/visits", body, content_type="application/json")


def _staff(call: Any, status: int) -> Rule:
    return Rule(call, "staff_a", status, REDIRECT, other="staff_b")


PAGES: dict[str, Rule] = {
    "tours_center:visits": _staff(_page("/"), PAGE),
    "tours_center:scan": _staff(_scan, REDIRECT),
    "tours_center:visits_export": _staff(_page("/khach-tour.xlsx"), PAGE),
    # the manager's page: an empty form is refused for them; the others never reach it
    "tours_center:rates": Rule(_page("/hoa-hong/", "post"), "manager_a", 400, REDIRECT, other="staff_a"),
    "tours_work:visits": Rule(_operator(""), "staff", PAGE, REDIRECT, other="staff_a"),
    "tours_work:visits_export": Rule(_operator("hoa-hong.xlsx"), "staff", PAGE, REDIRECT, other="staff_a"),
}
OPERATIONS: dict[str, Rule] = {
    # scoped, never 404: another center's staff get an empty page
    "GET /api/v1/tours/visits": Rule(_get("/api/v1/tours/visits"), "staff_a", 200, 401, "staff_b", 200),
    "POST /api/v1/tours/visits": Rule(_api_scan, "staff_a", 201, 401, other="staff_b"),
}
