"""Route-permission rules of the audit trail (merged into tests/test_route_matrix.py)."""

from ..route_rules import PAGE, REDIRECT, Rule, _get

PAGES: dict[str, Rule] = {
    "audit:list": Rule(_get("/lam-viec/nhat-ky/"), "staff", PAGE, REDIRECT, other="manager_a"),
    "audit:excel": Rule(_get("/lam-viec/nhat-ky/excel/"), "staff", PAGE, REDIRECT, other="member_a"),
    "audit:center": Rule(
        _get(lambda ctx: f"/lam-viec/nhat-ky/trung-tam/{ctx.center_a.slug}/"),
        "manager_a",
        PAGE,
        REDIRECT,
        other="manager_b",
    ),
    # a cashier of the center is not one of its managers
    "audit:center (staff)": Rule(
        _get(lambda ctx: f"/lam-viec/nhat-ky/trung-tam/{ctx.center_a.slug}/"),
        "staff",
        PAGE,
        REDIRECT,
        other="staff_a",
    ),
    "audit:center_excel": Rule(
        _get(lambda ctx: f"/lam-viec/nhat-ky/trung-tam/{ctx.center_a.slug}/excel/"),
        "manager_a",
        PAGE,
        REDIRECT,
        other="manager_b",
    ),
    "audit:producer": Rule(
        _get(lambda ctx: f"/lam-viec/nhat-ky/chu-the/{ctx.producer_a.slug}/"),
        "member_a",
        PAGE,
        REDIRECT,
        other="member_b",
    ),
    "audit:producer_excel": Rule(
        _get(lambda ctx: f"/lam-viec/nhat-ky/chu-the/{ctx.producer_a.slug}/excel/"),
        "member_a",
        PAGE,
        REDIRECT,
        other="member_b",
    ),
}
OPERATIONS: dict[str, Rule] = {}
