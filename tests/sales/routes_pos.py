"""Route-permission rules of the counter (merged into tests/test_route_matrix.py).

Staff of center A sell there (ctx.sale_a is theirs, in a shift still open); staff of center B see none
of A's counter (404); a member of a producer sells nowhere, so even the counter's entry is 404 for them.
"""

from typing import Any

from django.test import Client

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post
from .world import BOWL_GTIN


def _till(ctx: Any) -> str:
    return f"/quay/{ctx.center_a.slug}/"


def _receipt(ctx: Any) -> str:
    return f"/quay/{ctx.center_a.slug}/hoa-don/{ctx.sale_a.number}/"


def _shift(ctx: Any) -> str:
    return f"/quay/{ctx.center_a.slug}/ca/{ctx.sale_a.shift_id}/"


def _pay(client: Client, ctx: Any) -> Any:
    return client.post(
        f"/quay/{ctx.center_a.slug}/thanh-toan/",
        {
            "client_uuid": "6f1d8a52-3c0e-4c55-9a55-1a2b3c4d5e6f",
            "line": f"{ctx.bowl.pk}:1",
            "method": "cash",
            "tendered": "200000",
        },
    )


def _open(client: Client, ctx: Any) -> Any:
    """Manager A has no shift yet: opening one answers with the till."""
    return client.post(f"/quay/{ctx.center_a.slug}/mo-ca/", {"opening_float": "500000"})


PAGES: dict[str, Rule] = {
    "pos:home": Rule(_get("/quay/"), "staff_a", REDIRECT, REDIRECT, other="member_a"),
    "pos:till": Rule(_get(_till), "staff_a", PAGE, REDIRECT, other="staff_b"),
    "pos:shift_open": Rule(_open, "manager_a", REDIRECT, REDIRECT, other="staff_b"),
    "pos:search": Rule(
        _get(lambda ctx: f"/quay/{ctx.center_a.slug}/tim-kiem/?q=bat"),
        "staff_a",
        PAGE,
        REDIRECT,
        other="staff_b",
    ),
    "pos:basket": Rule(
        _post(lambda ctx: f"/quay/{ctx.center_a.slug}/gio-hang/", {"action": "scan", "code": BOWL_GTIN}),
        "staff_a",
        REDIRECT,
        REDIRECT,
        other="staff_b",
    ),
    "pos:pay": Rule(_pay, "staff_a", REDIRECT, REDIRECT, other="staff_b"),
    "pos:receipt": Rule(_get(_receipt), "staff_a", PAGE, REDIRECT, other="staff_b"),
    "pos:return": Rule(
        _get(lambda ctx: _receipt(ctx) + "tra-hang/"), "staff_a", PAGE, REDIRECT, other="staff_b"
    ),
    "pos:refund": Rule(
        _get(lambda ctx: _receipt(ctx) + "hoan-tien/"), "staff_a", PAGE, REDIRECT, other="staff_b"
    ),
    "pos:refund_approve": Rule(
        _get(lambda ctx: _receipt(ctx) + "duyet-hoan-tien/"), "manager_a", PAGE, REDIRECT, other="manager_b"
    ),
    "pos:shift": Rule(_get(_shift), "manager_a", PAGE, REDIRECT, other="staff_b"),
    "pos:shift_close": Rule(
        _get(lambda ctx: _shift(ctx) + "dong/"), "staff_a", PAGE, REDIRECT, other="staff_b"
    ),
}
OPERATIONS: dict[str, Rule] = {}
