"""Route-permission rules of the center's workspace (merged into tests/test_route_matrix.py).

The staff page belongs to the center's managers; another center's manager gets 404.
"""

from typing import Any

from ..route_rules import PAGE, REDIRECT, Rule, _get


def _staff(ctx: Any, tail: str = "") -> str:
    return f"/lam-viec/trung-tam/{ctx.center_a.slug}/nhan-vien/{tail}"


def _staff_grant_id(ctx: Any) -> int:
    return int(ctx.staff_a.grants.get(role="center_staff", revoked_at__isnull=True).pk)


PAGES: dict[str, Rule] = {
    "center_ws:staff": Rule(_get(_staff), "manager_a", PAGE, REDIRECT, other="manager_b"),
    "center_ws:staff_grant": Rule(
        lambda client, ctx: client.post(
            _staff(ctx, "cap-quyen/"), {"login": ctx.customer.email, "role": "designer"}
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "center_ws:staff_revoke": Rule(
        lambda client, ctx: client.post(_staff(ctx, f"{_staff_grant_id(ctx)}/thu-hoi/"), {"reason": "thử"}),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
}
