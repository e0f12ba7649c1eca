"""Route-permission rules of the design studio's API (merged into tests/test_route_matrix.py, whose
context holds the design requests of tests/design/world.py's `into`)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from ..route_rules import Rule, _get, _json
from . import world as design

PAGES: dict[str, Rule] = {}
BASE = "/api/v1/design/requests"


def _later(days: int = 20) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def _new_request(ctx: Any) -> dict:
    return {
        "producer_id": ctx.world.producer_a.pk,
        "center_id": ctx.world.center_a.pk,
        "kind": "label",
        "title": "Nhãn mới",
        "product_ids": [ctx.world.bowl.pk],
        "brief": "Nhãn gọn, dễ đọc.",
        "wished_on": _later(30),
        "budget": 2_000_000,
    }


def _upload(
    path: Callable[[Any], str], *, brought_to: str | None = None, **fields: Any
) -> Callable[[Client, Any], Any]:
    """A multipart post of one PNG to `path(ctx)`, after bringing ctx.design_submitted to `brought_to`."""

    def call(client: Client, ctx: Any) -> Any:
        if brought_to:
            design.advance(ctx.design_world, ctx.design_submitted, brought_to)
        return client.post(path(ctx), {"files": design.png("tep.png"), **fields})

    return call


def _after(to: str, move: str, body: dict | None = None) -> Callable[[Client, Any], Any]:
    """POST …/{move} on ctx.design_submitted once it is brought to state `to`."""

    def call(client: Client, ctx: Any) -> Any:
        design.advance(ctx.design_world, ctx.design_submitted, to)
        return client.post(
            f"{BASE}/{ctx.design_submitted.pk}/{move}", body or {}, content_type="application/json"
        )

    return call


OPERATIONS: dict[str, Rule] = {
    f"GET {BASE}": Rule(_get(BASE), "member_a", 200, 401),
    f"POST {BASE}": Rule(_json("post", BASE, _new_request), "member_a", 201, 401, other="member_b"),
    f"GET {BASE}/{{request_id}}": Rule(
        _get(lambda ctx: f"{BASE}/{ctx.design_proposal.pk}"), "member_a", 200, 401, other="member_b"
    ),
    f"POST {BASE}/{{request_id}}/accept": Rule(
        _json(
            "post",
            lambda ctx: f"{BASE}/{ctx.design_submitted.pk}/accept",
            lambda ctx: {"designer_id": ctx.designer_a.pk, "due_on": _later(), "price": 2_500_000},
        ),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    f"POST {BASE}/{{request_id}}/decline": Rule(
        _json("post", lambda ctx: f"{BASE}/{ctx.design_submitted.pk}/decline", {"reason": "Quá tải."}),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    f"POST {BASE}/{{request_id}}/start": Rule(
        _after("accepted", "start"), "designer_a", 200, 401, other="designer_b"
    ),
    f"POST {BASE}/{{request_id}}/versions": Rule(
        _upload(
            lambda ctx: f"{BASE}/{ctx.design_submitted.pk}/versions",
            brought_to="in_progress",
            note="Phương án 1",
        ),
        "designer_a",
        201,
        401,
        other="designer_b",
    ),
    f"POST {BASE}/{{request_id}}/deliver": Rule(
        _upload(lambda ctx: f"{BASE}/{ctx.design_approved.pk}/deliver", note="Tệp in"),
        "designer_a",
        201,
        401,
        other="designer_b",
    ),
    f"POST {BASE}/{{request_id}}/close": Rule(
        _json("post", lambda ctx: f"{BASE}/{ctx.design_delivered.pk}/close"),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    f"POST {BASE}/{{request_id}}/reassign": Rule(
        _json(
            "post",
            lambda ctx: f"{BASE}/{ctx.design_proposal.pk}/reassign",
            lambda ctx: {"designer_id": ctx.world.manager_a.pk, "reason": "Chia việc"},
        ),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    f"POST {BASE}/{{request_id}}/references": Rule(
        _upload(lambda ctx: f"{BASE}/{ctx.design_submitted.pk}/references"),
        "member_a",
        201,
        401,
        other="member_b",
    ),
    f"POST {BASE}/{{request_id}}/changes": Rule(
        _json("post", lambda ctx: f"{BASE}/{ctx.design_proposal.pk}/changes", {"comment": "Chữ to hơn."}),
        "member_a",
        200,
        401,
        other="member_b",
    ),
    f"POST {BASE}/{{request_id}}/approve": Rule(
        _json(
            "post",
            lambda ctx: f"{BASE}/{ctx.design_proposal.pk}/approve",
            {"accept_terms": True, "portfolio_allowed": True},
        ),
        "member_a",
        200,
        401,
        other="member_b",
    ),
    f"POST {BASE}/{{request_id}}/cancel": Rule(
        _json("post", lambda ctx: f"{BASE}/{ctx.design_submitted.pk}/cancel", {"reason": "Đổi ý."}),
        "member_a",
        200,
        401,
        other="member_b",
    ),
    f"GET {BASE}/{{request_id}}/comments": Rule(
        _get(lambda ctx: f"{BASE}/{ctx.design_proposal.pk}/comments"), "member_a", 200, 401, other="member_b"
    ),
    f"POST {BASE}/{{request_id}}/comments": Rule(
        _json("post", lambda ctx: f"{BASE}/{ctx.design_proposal.pk}/comments", {"body": "Cảm ơn."}),
        "designer_a",
        201,
        401,
        other="designer_b",
    ),
    "GET /api/v1/design/files/{file_id}": Rule(
        _get(lambda ctx: f"/api/v1/design/files/{ctx.design_reference.pk}"),
        "member_a",
        200,
        401,
        other="member_b",
    ),
    "GET /api/v1/design/portfolio": Rule(_get("/api/v1/design/portfolio"), None, 200, 200),
    "GET /api/v1/design/portfolio/{request_id}/{which}": Rule(
        _get(lambda ctx: f"/api/v1/design/portfolio/{ctx.design_delivered.pk}/after"), None, 200, 200
    ),
}
