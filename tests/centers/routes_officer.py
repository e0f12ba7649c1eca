"""Route-permission rules of the officers' center pages and unit dashboards (merged into
tests/test_route_matrix.py)."""

from typing import Any

from django.test import Client

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post, _upload


def _gia_lam(ctx: Any) -> int:
    from ocophub.places import selectors as places

    district = places.district_by_code(18)
    assert district is not None
    return district.pk


def _work(suffix: str) -> Any:
    return lambda ctx: f"/lam-viec/trung-tam/{ctx.planned.slug}/{suffix}"


PAGES: dict[str, Rule] = {
    "centers_work:list": Rule(_get("/lam-viec/trung-tam/"), "officer_a", PAGE, REDIRECT, other="customer"),
    "centers_work:create": Rule(
        _get("/lam-viec/trung-tam/moi/"), "officer_a", PAGE, REDIRECT, other="customer"
    ),
    "centers_work:communes": Rule(
        _get("/lam-viec/trung-tam/xa-phuong/?commune_query=bat"),
        "officer_a",
        PAGE,
        REDIRECT,
        other="customer",
    ),
    "centers_work:manage": Rule(_get(_work("")), "officer_a", PAGE, REDIRECT, other="officer_b"),
    "centers_work:edit": Rule(_get(_work("sua/")), "officer_a", PAGE, REDIRECT, other="officer_b"),
    "centers_work:transition": Rule(
        _post(_work("trang-thai/"), {"to": "under_construction", "reason": "khởi công"}),
        "officer_a",
        REDIRECT,
        REDIRECT,
        other="officer_b",
    ),
    "centers_work:hours": Rule(
        _post(_work("gio-mo-cua/"), {"opens_0": "08:00", "closes_0": "17:00"}),
        "officer_a",
        REDIRECT,
        REDIRECT,
        other="officer_b",
    ),
    "centers_work:photo": Rule(
        lambda client, ctx: _upload(client, _work("anh/")(ctx)),
        "officer_a",
        REDIRECT,
        REDIRECT,
        other="officer_b",
    ),
    "centers_work:score_sheet": Rule(
        _get(_work("cham-diem/")), "officer_a", PAGE, REDIRECT, other="officer_b"
    ),
    # one unit: straight to its page
    "programme:units": Rule(_get("/ke-hoach/don-vi/"), "officer_a", REDIRECT, REDIRECT, other="customer"),
    "programme:unit": Rule(
        lambda client, ctx: Client.get(client, f"/ke-hoach/don-vi/{_gia_lam(ctx)}/"),
        "officer_a",
        PAGE,
        REDIRECT,
        other="officer_b",
    ),
}
OPERATIONS: dict[str, Rule] = {}
