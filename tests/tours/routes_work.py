"""Route-permission rules of the tours' work pages (merged into tests/test_route_matrix.py). The city's
administrator may work for every operator and manage them; a center's staff gets 404. The operator,
tour, departure and booking each rule needs are made in the test's own savepoint."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from ocophub.tours import services

from ..route_rules import PAGE, REDIRECT, Rule
from . import world as w


def _tour(ctx: Any) -> Any:
    return w.tour(w.operator(), stops=[{"kind": "center", "center": ctx.world.center_a.pk, "minutes": 60}])


def _draft(ctx: Any) -> Any:
    return w.tour(
        w.operator(),
        publish=False,
        stops=[
            {"kind": "center", "center": ctx.world.center_a.pk, "minutes": 60},
            {"kind": "meal", "title": "Bữa trưa", "minutes": 60},
        ],
    )


def _departure(ctx: Any) -> Any:
    return w.departure(_tour(ctx))


def _booking(ctx: Any) -> Any:
    return w.book(_departure(ctx))


def _paid(ctx: Any) -> Any:
    booking = _booking(ctx)
    services.booking_pay(actor=None, booking=booking)
    return booking


def _pending(ctx: Any) -> Any:
    tour = w.tour(
        w.operator(),
        booking_type="on_request",
        stops=[{"kind": "center", "center": ctx.world.center_a.pk, "minutes": 60}],
    )
    return w.book(w.departure(tour))


def _call(
    method: str,
    path: Callable[[Any], str],
    make: Callable[[Any], Any] | None,
    data: dict[str, Any] | None = None,
) -> Callable[[Client, Any], Any]:
    def call(client: Client, ctx: Any) -> Any:
        made = make(ctx) if make else None
        url = path(made)
        return client.get(url) if method == "get" else client.post(url, data or {})

    return call


def _rule(call: Callable[[Client, Any], Any], status: int) -> Rule:
    return Rule(call, "staff", status, REDIRECT, other="staff_a")


def _op(tour: Any) -> str:
    return f"/lam-viec/tour/{tour.operator_id}"


def _dep(departure: Any) -> str:
    return f"/lam-viec/tour/{departure.tour.operator_id}/chuyen/{departure.pk}"


def _bk(booking: Any) -> str:
    return f"/lam-viec/tour/{booking.departure.tour.operator_id}/dat-cho/{booking.pk}"


def _day() -> str:
    return f"{w.soon(6):%d/%m/%Y}"


TOUR = {
    "title": "Tour mới",
    "meeting_point": "Nhà hát Lớn",
    "languages": ["vi"],
    "adult_price": "100000",
    "child_price": "0",
    "booking_type": "instant",
    "cutoff_hours": "24",
}
OPERATOR = {"name": "Công ty Lữ hành Mới", "kind": "department"}

PAGES: dict[str, Rule] = {
    # the city's administrator goes on to the list of operators
    "tours_work:home": _rule(_call("get", lambda _: "/lam-viec/tour/", None), REDIRECT),
    "tours_work:operators": _rule(_call("get", lambda _: "/lam-viec/tour/don-vi/", None), PAGE),
    "tours_work:operator_create": _rule(
        _call("post", lambda _: "/lam-viec/tour/don-vi/moi/", None, OPERATOR), REDIRECT
    ),
    "tours_work:operator_edit": _rule(
        _call("get", lambda op: f"/lam-viec/tour/don-vi/{op.pk}/", lambda ctx: w.operator()), PAGE
    ),
    # an unknown person: the form is refused for the allowed user; the others never reach it
    "tours_work:member_grant": _rule(
        _call(
            "post",
            lambda op: f"/lam-viec/tour/don-vi/{op.pk}/thanh-vien/",
            lambda ctx: w.operator(),
            {"login": "khongai@example.vn"},
        ),
        400,
    ),
    "tours_work:tours": _rule(
        _call("get", lambda op: f"/lam-viec/tour/{op.pk}/", lambda ctx: w.operator()), PAGE
    ),
    "tours_work:tour_create": _rule(
        _call("post", lambda op: f"/lam-viec/tour/{op.pk}/moi/", lambda ctx: w.operator(), TOUR), REDIRECT
    ),
    "tours_work:tour": _rule(_call("get", lambda t: f"{_op(t)}/{t.pk}/", _tour), PAGE),
    "tours_work:publish": _rule(_call("post", lambda t: f"{_op(t)}/{t.pk}/cong-bo/", _draft), REDIRECT),
    "tours_work:archive": _rule(_call("post", lambda t: f"{_op(t)}/{t.pk}/luu-tru/", _tour), REDIRECT),
    "tours_work:stop_add": _rule(
        _call("post", lambda t: f"{_op(t)}/{t.pk}/diem-dung/", _draft, {"kind": "meal", "minutes": "60"}),
        REDIRECT,
    ),
    "tours_work:stop_remove": _rule(
        _call("post", lambda t: f"{_op(t)}/{t.pk}/diem-dung/{t.stops.first().pk}/xoa/", _draft), REDIRECT
    ),
    "tours_work:stop_move": _rule(
        _call("post", lambda t: f"{_op(t)}/{t.pk}/diem-dung/{t.stops.first().pk}/chuyen/", _draft), REDIRECT
    ),
    "tours_work:place_choices": _rule(
        _call("get", lambda t: f"{_op(t)}/{t.pk}/tim-dia-diem/?kind=center&q=gom", _tour), PAGE
    ),
    "tours_work:plan": _rule(_call("get", lambda t: f"{_op(t)}/{t.pk}/de-xuat-thu-tu/", _tour), PAGE),
    "tours_work:departure_add": _rule(
        _call(
            "post",
            lambda t: f"{_op(t)}/{t.pk}/chuyen-moi/",
            _tour,
            {"day": _day(), "start": "08:00", "seats": "20"},
        ),
        REDIRECT,
    ),
    "tours_work:departures_recurring": _rule(
        _call(
            "post",
            lambda t: f"{_op(t)}/{t.pk}/chuyen-lap-lai/",
            _tour,
            {"freq": "daily", "starts_on": _day(), "count": "2", "start": "08:00", "seats": "20"},
        ),
        REDIRECT,
    ),
    "tours_work:departure": _rule(_call("get", lambda d: f"{_dep(d)}/", _departure), PAGE),
    "tours_work:departure_cancel": _rule(
        _call("post", lambda d: f"{_dep(d)}/huy/", _departure, {"reason": "Bão"}), REDIRECT
    ),
    # not left yet: refused for the allowed user; the others never reach it
    "tours_work:departure_complete": _rule(
        _call("post", lambda d: f"{_dep(d)}/hoan-thanh/", _departure), 409
    ),
    "tours_work:departure_export": _rule(
        _call("get", lambda d: f"{_dep(d)}/danh-sach-khach.xlsx", _departure), PAGE
    ),
    "tours_work:booking_confirm": _rule(_call("post", lambda b: f"{_bk(b)}/xac-nhan/", _pending), REDIRECT),
    "tours_work:booking_pay": _rule(_call("post", lambda b: f"{_bk(b)}/thanh-toan/", _booking), REDIRECT),
    "tours_work:booking_cancel": _rule(_call("post", lambda b: f"{_bk(b)}/huy/", _paid), REDIRECT),
    "tours_work:check_in": _rule(
        _call("get", lambda op: f"/lam-viec/tour/{op.pk}/soat-ve/", lambda ctx: w.operator()), PAGE
    ),
}
OPERATIONS: dict[str, Rule] = {}
