"""Route-permission rules of the design studio's board (merged into tests/test_route_matrix.py).

The board of one center: its manager, not another center's manager (404). The board of the viewer's
own centers (no filter): a designer sees it, a producer's member is told it does not exist (404).
"""

from ..route_rules import PAGE, REDIRECT, Rule, _get

BOARD = "/lam-viec/xuong-thiet-ke/"

PAGES: dict[str, Rule] = {
    "design_board:board": Rule(
        _get(lambda ctx: f"{BOARD}?center={ctx.center_a.pk}"), "manager_a", PAGE, REDIRECT, other="manager_b"
    ),
    "design_board:board (own centers)": Rule(_get(BOARD), "designer_a", PAGE, REDIRECT, other="member_a"),
    "design_board:export": Rule(
        _get(lambda ctx: f"{BOARD}excel/?center={ctx.center_a.pk}"),
        "manager_a",
        PAGE,
        REDIRECT,
        other="manager_b",
    ),
    "design_board:export (own centers)": Rule(
        _get(f"{BOARD}excel/"), "designer_a", PAGE, REDIRECT, other="member_a"
    ),
}
OPERATIONS: dict[str, Rule] = {}
