"""Route-permission rules of the phone password reset and the password change (merged into
tests/test_route_matrix.py)."""

from typing import Any

from django.test import Client

from ..route_rules import PAGE, REDIRECT, Rule, _get


def _code_page(client: Client, ctx: Any) -> Any:
    """The code page after asking for a code for some phone (without that, it sends back to the form)."""
    client.post("/tai-khoan/quen-mat-khau/", {"email": "0912 000 999"})
    return client.get("/tai-khoan/quen-mat-khau/nhap-ma/")


PAGES: dict[str, Rule] = {
    "accounts:password_reset_code": Rule(_code_page, None, PAGE, PAGE),
    "accounts:password_change": Rule(_get("/tai-khoan/doi-mat-khau/"), "customer", PAGE, REDIRECT),
}
