"""Route-permission rules of the design studio's portfolio (merged into
tests/test_route_matrix.py). Every portfolio route is public; ctx.design_delivered is in the portfolio
(tests/design/world.py: its producer allowed it on approval)."""

from typing import Any

from django.test import Client

from ..route_rules import PAGE, Rule, _get


def _current_label(client: Client, ctx: Any) -> Any:
    """The picture of a product's current label, set from the delivered design."""
    from ocophub.design import services

    row = services.product_design_set(
        actor=ctx.world.member_a, request=ctx.design_delivered, product=ctx.world.bowl, kind="label"
    )
    return client.get(f"/thiet-ke/hien-hanh/{row.pk}/anh/card/")


PAGES: dict[str, Rule] = {
    "design:portfolio": Rule(_get("/thiet-ke/"), None, PAGE, PAGE),
    "design:portfolio_entry": Rule(
        _get(lambda ctx: f"/thiet-ke/mau/{ctx.design_delivered.pk}/"), None, PAGE, PAGE
    ),
    "design:portfolio_image": Rule(
        _get(lambda ctx: f"/thiet-ke/mau/{ctx.design_delivered.pk}/anh/after/card/"), None, PAGE, PAGE
    ),
    "design:product_design_image": Rule(_current_label, None, PAGE, PAGE),
}
OPERATIONS: dict[str, Rule] = {}
