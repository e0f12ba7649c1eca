"""Route-permission rules of the stock, agreement, counter, order and settlement API operations.

Merged into tests/test_route_matrix.py, whose context holds the selling world (tests/sales/world.py).
"""

import datetime as dt
import uuid
from typing import Any

from django.test import Client

from ..route_rules import Rule, _get, _json

PAGES: dict[str, Rule] = {}


def _today() -> str:
    return dt.date.today().isoformat()


def _line_of(sale: Any) -> int:
    return sale.lines.order_by("pk").values_list("pk", flat=True)[0]


def _payout(client: Client, ctx: Any) -> Any:
    """Pay out settlement_a once its producer has accepted it."""
    from ocophub.sales.services import settlement_accept

    settlement_accept(actor=ctx.member_a, settlement=ctx.settlement_a)
    return client.post(
        f"/api/v1/settlements/{ctx.settlement_a.pk}/payout",
        {"paid_on": _today(), "reference": "UNC 12/2025"},
        content_type="application/json",
    )


def _answer_disputed(client: Client, ctx: Any) -> Any:
    """Answer settlement_a once its producer has disputed it."""
    from ocophub.sales.services import settlement_dispute

    settlement_dispute(actor=ctx.member_a, settlement=ctx.settlement_a, reason="Thiếu 2 bát")
    return client.post(
        f"/api/v1/settlements/{ctx.settlement_a.pk}/answer",
        {"reply": "Đã kiểm lại", "outcome": "confirm"},
        content_type="application/json",
    )


def _refund(client: Client, ctx: Any) -> Any:
    """A refund without goods with the code of manager A's approval for sale_a."""
    from ocophub.sales.services import refund_approval_issue

    _approval, code = refund_approval_issue(actor=ctx.manager_a, sale=ctx.sale_a, max_amount=10_000)
    return client.post(
        f"/api/v1/sales/{ctx.sale_a.pk}/refunds",
        {"amount": 10_000, "reason": "Giảm giá bù", "approval_code": code},
        content_type="application/json",
    )


OPERATIONS: dict[str, Rule] = {
    # stock
    "GET /api/v1/stock": Rule(_get("/api/v1/stock"), "staff_a", 200, 401),
    "GET /api/v1/stock/{stock_id}/movements": Rule(
        _get(lambda ctx: f"/api/v1/stock/{ctx.stock_a.pk}/movements"), "staff_a", 200, 401, other="staff_b"
    ),
    "POST /api/v1/stock/receipts": Rule(
        _json(
            "post",
            "/api/v1/stock/receipts",
            lambda ctx: {"center_id": ctx.center_a.pk, "product_id": ctx.bowl.pk, "quantity": 5},
        ),
        "staff_a",
        201,
        401,
        other="staff_b",
    ),
    "POST /api/v1/stock/{stock_id}/adjustments": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/stock/{ctx.stock_a.pk}/adjustments",
            {"delta": -1, "reason": "Vỡ khi trưng bày"},
        ),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    "POST /api/v1/stock/{stock_id}/transfers": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/stock/{ctx.stock_a.pk}/transfers",
            lambda ctx: {"to_center_id": ctx.center_b.pk, "quantity": 2},
        ),
        "manager_a",
        201,
        401,
        other="manager_b",
    ),
    "POST /api/v1/stock/{stock_id}/returns": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/stock/{ctx.stock_a.pk}/returns",
            {"quantity": 1, "reason": "Trả hàng mẫu cũ"},
        ),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    # agreements
    "GET /api/v1/agreements": Rule(_get("/api/v1/agreements"), "manager_a", 200, 401),
    "POST /api/v1/agreements": Rule(
        _json(
            "post",
            "/api/v1/agreements",
            lambda ctx: {
                "producer_id": ctx.published.producer_id,
                "center_id": ctx.center_a.pk,
                "commission_rate": "0.15",
                "starts_on": _today(),
            },
        ),
        "manager_a",
        201,
        401,
        other="manager_b",
    ),
    "POST /api/v1/agreements/{agreement_id}/transitions": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/agreements/{ctx.agreement_a.pk}/transitions",
            {"to": "ended", "reason": "Hết hợp đồng"},
        ),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    # shifts
    "GET /api/v1/shifts": Rule(_get("/api/v1/shifts"), "staff_a", 200, 401),
    "POST /api/v1/shifts": Rule(
        _json("post", "/api/v1/shifts", lambda ctx: {"center_id": ctx.center_a.pk, "opening_float": 200_000}),
        "manager_a",
        201,
        401,
        other="manager_b",
    ),
    "GET /api/v1/shifts/{shift_id}": Rule(
        _get(lambda ctx: f"/api/v1/shifts/{ctx.sale_a.shift_id}"), "staff_a", 200, 401, other="staff_b"
    ),
    "POST /api/v1/shifts/{shift_id}/close": Rule(
        _json("post", lambda ctx: f"/api/v1/shifts/{ctx.sale_a.shift_id}/close", {"counted_cash": 650_000}),
        "staff_a",
        200,
        401,
        other="staff_b",
    ),
    # sales
    "GET /api/v1/sales": Rule(_get("/api/v1/sales"), "staff_a", 200, 401),
    "GET /api/v1/sales/{sale_id}": Rule(
        _get(lambda ctx: f"/api/v1/sales/{ctx.sale_a.pk}"), "staff_a", 200, 401, other="staff_b"
    ),
    "POST /api/v1/sales": Rule(
        _json(
            "post",
            "/api/v1/sales",
            lambda ctx: {
                "center_id": ctx.center_a.pk,
                "client_uuid": str(uuid.uuid4()),
                "lines": [{"product_id": ctx.bowl.pk, "quantity": 1}],
                "method": "cash",
            },
        ),
        "staff_a",
        201,
        401,
        other="staff_b",
    ),
    "POST /api/v1/sales/{sale_id}/returns": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/sales/{ctx.sale_a.pk}/returns",
            lambda ctx: {"lines": [{"sale_line_id": _line_of(ctx.sale_a), "quantity": 1}], "reason": "Nứt"},
        ),
        "staff_a",
        201,
        401,
        other="staff_b",
    ),
    "POST /api/v1/sales/{sale_id}/refunds": Rule(_refund, "staff_a", 201, 401, other="staff_b"),
    "POST /api/v1/sales/{sale_id}/refund-approvals": Rule(
        _json("post", lambda ctx: f"/api/v1/sales/{ctx.sale_a.pk}/refund-approvals", {"max_amount": 10_000}),
        "manager_a",
        201,
        401,
        other="manager_b",
    ),
    # orders: guests may order
    "POST /api/v1/orders": Rule(
        _json(
            "post",
            "/api/v1/orders",
            lambda ctx: {
                "center_id": ctx.center_a.pk,
                "lines": [{"product_id": ctx.bowl.pk, "quantity": 1}],
                "name": "Trần Văn Minh",
                "email": "minh@example.vn",
                "phone": "0987654321",
            },
        ),
        None,
        201,
        201,
    ),
    "GET /api/v1/orders": Rule(_get("/api/v1/orders"), "customer", 200, 401),
    "GET /api/v1/orders/{number}": Rule(
        _get(lambda ctx: f"/api/v1/orders/{ctx.order_a.number}"), "customer", 200, 404, other="staff_b"
    ),
    "POST /api/v1/orders/{number}/payments": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/orders/{ctx.order_a.number}/payments",
            {"method": "transfer", "reference": "FT2511"},
        ),
        "staff_a",
        200,
        401,
        other="staff_b",
    ),
    "POST /api/v1/orders/{number}/transitions": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/orders/{ctx.order_a.number}/transitions",
            {"to": "cancelled", "reason": "Đặt nhầm"},
        ),
        "customer",
        200,
        401,
        other="staff_b",
    ),
    # settlements
    "GET /api/v1/settlements": Rule(_get("/api/v1/settlements"), "manager_a", 200, 401),
    "GET /api/v1/settlements/{settlement_id}": Rule(
        _get(lambda ctx: f"/api/v1/settlements/{ctx.settlement_a.pk}"),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    "POST /api/v1/settlements": Rule(
        _json(
            "post",
            "/api/v1/settlements",
            lambda ctx: {
                "producer_id": ctx.producer_b.pk,
                "center_id": ctx.center_a.pk,
                "period_start": ctx.settlement_a.period_start.isoformat(),
                "period_end": ctx.settlement_a.period_end.isoformat(),
            },
        ),
        "manager_a",
        201,
        401,
        other="manager_b",
    ),
    "POST /api/v1/settlements/{settlement_id}/accept": Rule(
        _json("post", lambda ctx: f"/api/v1/settlements/{ctx.settlement_a.pk}/accept", {}),
        "member_a",
        200,
        401,
        other="member_b",
    ),
    "GET /api/v1/producers/{producer_id}/sales-to-date": Rule(
        _get(lambda ctx: f"/api/v1/producers/{ctx.producer_a.pk}/sales-to-date"),
        "member_a",
        200,
        401,
        other="member_b",
    ),
    "POST /api/v1/settlements/{settlement_id}/dispute": Rule(
        _json("post", lambda ctx: f"/api/v1/settlements/{ctx.settlement_a.pk}/dispute", {"reason": "Sai"}),
        "member_a",
        200,
        401,
        other="member_b",
    ),
    "POST /api/v1/settlements/{settlement_id}/answer": Rule(
        _answer_disputed,
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    "POST /api/v1/settlements/{settlement_id}/cancel": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/settlements/{ctx.settlement_a.pk}/cancel",
            {"reason": "Sai kỳ quyết toán"},
        ),
        "manager_a",
        200,
        401,
        other="manager_b",
    ),
    "POST /api/v1/settlements/{settlement_id}/payout": Rule(
        _payout, "manager_a", 200, 401, other="manager_b"
    ),
}
