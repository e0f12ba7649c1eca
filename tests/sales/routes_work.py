"""Route-permission rules of the work pages under /lam-viec/ (merged into tests/test_route_matrix.py):
a producer's sales to date and the bank accounts of centers and producers."""

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post

ACCOUNT = {
    "bank_name": "BIDV",
    "bank_bin": "970418",
    "account_number": "12010000123456",
    "holder": "TT OCOP",
    "active": "on",
}

PAGES: dict[str, Rule] = {
    "sales_work:producer_sales": Rule(
        _get(lambda ctx: f"/lam-viec/chu-the/{ctx.producer_a.slug}/ban-hang/"),
        "member_a",
        PAGE,
        REDIRECT,
        other="member_b",
    ),
    "sales_work:producer_bank_account": Rule(
        _post(lambda ctx: f"/lam-viec/chu-the/{ctx.producer_a.slug}/tai-khoan-ngan-hang/", ACCOUNT),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="manager_a",
    ),
    "sales_work:center_bank_account": Rule(
        _post(lambda ctx: f"/lam-viec/trung-tam/{ctx.center_a.slug}/tai-khoan-ngan-hang/", ACCOUNT),
        "manager_a",
        REDIRECT,
        REDIRECT,
        other="manager_b",
    ),
}
OPERATIONS: dict[str, Rule] = {}
