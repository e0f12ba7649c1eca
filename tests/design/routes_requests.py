"""Route-permission rules of a design request's pages and of the producer's design pages (merged into
tests/test_route_matrix.py).

Producer A's member (ctx.member_a) decides on producer A's requests; producer B's member is told
they do not exist. The POST moves answer a redirect to the request's page once done.
"""

from typing import Any

from django.test import Client

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post


def _producer(ctx: Any) -> str:
    return f"/lam-viec/chu-the/{ctx.producer_a.slug}/thiet-ke/"


def _request(design_request: Any) -> str:
    return f"/thiet-ke/yeu-cau/{design_request.pk}/"


def _product_design(client: Client, ctx: Any) -> Any:
    delivered = ctx.design_delivered
    product = delivered.products.first()
    return client.post(f"{_request(delivered)}dung-cho-san-pham/", {"product": product.pk, "kind": "label"})


PAGES: dict[str, Rule] = {
    "design:request": Rule(
        _get(lambda ctx: _request(ctx.design_proposal)),
        "member_a",
        PAGE,
        REDIRECT,
        other="member_b",
    ),
    # the menu's link: one producer, straight to its requests; a customer has none
    "design:mine": Rule(_get("/thiet-ke/yeu-cau/cua-toi/"), "member_a", REDIRECT, REDIRECT, other="customer"),
    "design_producer:list": Rule(_get(_producer), "member_a", PAGE, REDIRECT, other="member_b"),
    "design_producer:new": Rule(
        _get(lambda ctx: f"{_producer(ctx)}moi/"), "member_a", PAGE, REDIRECT, other="member_b"
    ),
    "design_producer:commitments": Rule(
        _get(lambda ctx: f"{_producer(ctx)}moi/nguon-kinh-phi/?center={ctx.world.center_a.pk}"),
        "member_a",
        PAGE,
        REDIRECT,
        other="member_b",
    ),
    "design:approve": Rule(
        _post(lambda ctx: f"{_request(ctx.design_proposal)}duyet/", {"accept_terms": "on"}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "design:changes": Rule(
        _post(lambda ctx: f"{_request(ctx.design_proposal)}yeu-cau-sua/", {"comment": "Chữ to hơn."}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "design:cancel": Rule(
        _post(lambda ctx: f"{_request(ctx.design_submitted)}rut-lai/", {"reason": "Đổi kế hoạch"}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "design:portfolio_consent": Rule(
        _post(lambda ctx: f"{_request(ctx.design_approved)}trung-bay/", {"portfolio_allowed": "on"}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
    "design:product_design": Rule(_product_design, "member_a", REDIRECT, REDIRECT, other="member_b"),
    "design:comment": Rule(
        _post(lambda ctx: f"{_request(ctx.design_proposal)}binh-luan/", {"body": "Xin chào"}),
        "member_a",
        REDIRECT,
        REDIRECT,
        other="member_b",
    ),
}
OPERATIONS: dict[str, Rule] = {}
