"""Route-permission rules of a design request's pages (merged into tests/test_route_matrix.py)."""

from ..route_rules import PAGE, REDIRECT, Rule, _get

PAGES: dict[str, Rule] = {
    "design:request": Rule(
        _get(lambda ctx: f"/thiet-ke/yeu-cau/{ctx.design_proposal.pk}/"),
        "member_a",
        PAGE,
        REDIRECT,
        other="member_b",
    ),
}
OPERATIONS: dict[str, Rule] = {}
