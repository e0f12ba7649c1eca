"""Route-permission rules of this room (merged into tests/test_route_matrix.py).

The shop is public up to the order page, which its secret token opens; the order desk belongs to the
center's staff (another center's staff get 404).
"""

from typing import Any

from django.test import Client

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post


def _add(client: Client, ctx: Any) -> Any:
    return client.post(
        "/cua-hang/gio-hang/them/", {"product": ctx.bowl.pk, "center": ctx.center_a.slug, "quantity": 1}
    )


def _checkout(client: Client, ctx: Any) -> Any:
    _add(client, ctx)
    return client.get(f"/cua-hang/thanh-toan/{ctx.center_a.slug}/")


def _desk(ctx: Any) -> str:
    return f"/cua-hang/quan-ly/{ctx.center_a.slug}/{ctx.order_a.number}/"


PAGES: dict[str, Rule] = {
    "shop:basket": Rule(_get("/cua-hang/gio-hang/"), None, PAGE, PAGE),
    "shop:add": Rule(_add, None, REDIRECT, REDIRECT),
    "shop:checkout": Rule(_checkout, None, PAGE, PAGE),
    "shop:order": Rule(_get(lambda ctx: f"/cua-hang/don-hang/{ctx.order_a.token}/"), None, PAGE, PAGE),
    "shop:order_cancel": Rule(
        _post(lambda ctx: f"/cua-hang/don-hang/{ctx.order_a.token}/huy/"), None, REDIRECT, REDIRECT
    ),
    "shop:my_orders": Rule(_get("/cua-hang/don-cua-toi/"), "customer", PAGE, REDIRECT),
    "shop:center_orders": Rule(
        _get(lambda ctx: f"/cua-hang/quan-ly/{ctx.center_a.slug}/"),
        "staff_a",
        PAGE,
        REDIRECT,
        other="staff_b",
    ),
    "shop:center_order": Rule(_get(_desk), "staff_a", PAGE, REDIRECT, other="staff_b"),
    "shop:center_order_act": Rule(
        lambda client, ctx: client.post(_desk(ctx) + "xu-ly/", {"action": "paid", "method": "transfer"}),
        "staff_a",
        REDIRECT,
        REDIRECT,
        other="staff_b",
    ),
}
OPERATIONS: dict[str, Rule] = {}
