"""Route-permission rules of this room (merged into tests/test_route_matrix.py)."""

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post

PAGES: dict[str, Rule] = {
    # one center in scope: straight to it; a customer has no stock to see
    "inventory:home": Rule(_get("/kho/"), "manager_a", REDIRECT, REDIRECT, other="customer"),
    "inventory:center": Rule(
        _get(lambda ctx: f"/kho/{ctx.center_a.slug}/"), "staff_a", PAGE, REDIRECT, other="staff_b"
    ),
    "inventory:receive": Rule(
        lambda client, ctx: client.post(
            f"/kho/{ctx.center_a.slug}/nhap-hang/",
            {"product": ctx.tea.pk, "quantity": "5", "lot_code": "T-01", "expires_on": "31/12/2099"},
        ),
        "staff_a",
        REDIRECT,
        REDIRECT,
        other="staff_b",
    ),
    "inventory:receive_products": Rule(
        _get(lambda ctx: f"/kho/{ctx.center_a.slug}/nhap-hang/san-pham/?product_query=tra"),
        "staff_a",
        PAGE,
        REDIRECT,
        other="staff_b",
    ),
    "inventory:adjust": Rule(
        lambda client, ctx: client.post(
            f"/kho/{ctx.center_a.slug}/ton/{ctx.stock_a.pk}/dieu-chinh/", {"delta": "-1", "reason": "vỡ"}
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "inventory:transfer": Rule(
        lambda client, ctx: client.post(
            f"/kho/{ctx.center_a.slug}/ton/{ctx.stock_a.pk}/chuyen-kho/",
            {"to_center": ctx.center_b.pk, "quantity": "2"},
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "inventory:return": Rule(
        lambda client, ctx: client.post(
            f"/kho/{ctx.center_a.slug}/ton/{ctx.stock_a.pk}/tra-chu-the/", {"quantity": "1"}
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "inventory:ledger": Rule(
        _get(lambda ctx: f"/kho/{ctx.center_a.slug}/so-kho/"), "staff_a", PAGE, REDIRECT, other="staff_b"
    ),
    "inventory:agreements": Rule(
        _get(lambda ctx: f"/kho/{ctx.center_a.slug}/hop-dong/"),
        "manager_a",
        PAGE,
        REDIRECT,
        other="manager_b",
    ),
    "inventory:agreement_producers": Rule(
        _get(lambda ctx: f"/kho/{ctx.center_a.slug}/hop-dong/chu-the/?producer_query=gom"),
        "manager_a",
        PAGE,
        REDIRECT,
        other="manager_b",
    ),
    "inventory:agreement_create": Rule(
        lambda client, ctx: client.post(
            f"/kho/{ctx.center_a.slug}/hop-dong/tao/",
            {"producer": ctx.published.producer_id, "commission_rate": "15", "starts_on": "01/01/2025"},
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "inventory:agreement_end": Rule(
        _post(
            lambda ctx: f"/kho/{ctx.center_a.slug}/hop-dong/{ctx.agreement_a.pk}/ket-thuc/",
            {"reason": "hết hạn"},
        ),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
    "inventory:producer": Rule(
        _get(lambda ctx: f"/kho/chu-the/{ctx.producer_a.slug}/"), "member_a", PAGE, REDIRECT, other="member_b"
    ),
}
OPERATIONS: dict[str, Rule] = {}
