"""Route-permission rules of this room (merged into tests/test_route_matrix.py).

ctx.settlement_a is an issued statement of producer A at center A for last month: center A's manager
and producer A's members see it; center B's manager and producer B's members do not.
"""

from typing import Any

from django.test import Client

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post


def _last_month(ctx: Any) -> dict[str, str]:
    from ocophub.sales.forms_settlements import last_month

    start, end = last_month()
    return {
        "center": str(ctx.center_a.pk),
        "producer": str(ctx.producer_b.pk),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "action": "preview",
    }


def _preview(client: Client, ctx: Any) -> Any:
    return client.post("/quyet-toan/moi/", _last_month(ctx))


def _pay_accepted(client: Client, ctx: Any) -> Any:
    """Record the payout of settlement_a once producer A has accepted it."""
    from ocophub.common.dates import local_today
    from ocophub.sales.services import settlement_accept

    settlement_accept(actor=ctx.member_a, settlement=ctx.settlement_a)
    return client.post(
        f"/quyet-toan/{ctx.settlement_a.pk}/chi-tra/",
        {"paid_on": local_today().isoformat(), "reference": "UNC 0001"},
    )


def _answer_disputed(client: Client, ctx: Any) -> Any:
    """Answer settlement_a once producer A has disputed it."""
    from ocophub.sales.services import settlement_dispute

    settlement_dispute(actor=ctx.member_a, settlement=ctx.settlement_a, reason="Thiếu 2 bát")
    return client.post(
        f"/quyet-toan/{ctx.settlement_a.pk}/tra-loi/", {"reply": "Đã kiểm lại", "outcome": "confirm"}
    )


def _settlement(suffix: str = "") -> Any:
    return lambda ctx: f"/quyet-toan/{ctx.settlement_a.pk}/{suffix}"


PAGES: dict[str, Rule] = {
    "settlements:list": Rule(_get("/quyet-toan/"), "manager_a", PAGE, REDIRECT, other="customer"),
    "settlements:create": Rule(_preview, "manager_a", PAGE, REDIRECT, other="member_a"),
    "settlements:detail": Rule(_get(_settlement()), "member_a", PAGE, REDIRECT, other="member_b"),
    "settlements:accept": Rule(
        _post(_settlement("chap-nhan/")), "member_a", REDIRECT, REDIRECT, other="member_b"
    ),
    "settlements:dispute": Rule(
        _post(_settlement("khieu-nai/"), {"reason": "Thiếu 2 bát"}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "settlements:answer": Rule(_answer_disputed, "manager_a", REDIRECT, REDIRECT, other="manager_b"),
    "settlements:cancel": Rule(
        _post(_settlement("huy/"), {"reason": "Sai số lượng"}),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "settlements:pay": Rule(_pay_accepted, "manager_a", REDIRECT, REDIRECT, other="manager_b"),
    "settlements:xlsx": Rule(
        _get(_settlement("bang-ke.xlsx")), "manager_a", PAGE, REDIRECT, other="manager_b"
    ),
    "settlements:reports": Rule(_get("/bao-cao-ban-hang/"), "manager_a", PAGE, REDIRECT, other="member_a"),
    "settlements:reports_xlsx": Rule(
        _get("/bao-cao-ban-hang/xuat.xlsx"), "staff", PAGE, REDIRECT, other="staff_a"
    ),
    "settlements:monthly": Rule(
        _get("/bao-cao-ban-hang/theo-don-vi/"), "manager_a", PAGE, REDIRECT, other="member_a"
    ),
    "settlements:monthly_xlsx": Rule(
        _get("/bao-cao-ban-hang/theo-don-vi/xuat.xlsx"), "staff", PAGE, REDIRECT, other="staff_a"
    ),
}
OPERATIONS: dict[str, Rule] = {}
