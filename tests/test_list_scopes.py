"""What another scope sees inside a list: none of mine.

The route matrix checks who may open each list; here each list is opened by the owner of some records,
who finds them, and by users of other scopes who may open the same list, who find none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ocophub.inventory.models import Agreement


@dataclass(frozen=True)
class ListRule:
    url: str | Callable[[Any], str]
    owner: str
    peers: tuple[str, ...]
    mine: Callable[[Any], set[Any]]  # what the owner must find, and the peers must not
    key: str = "id"  # the field of a JSON item that `mine` names; pages are searched for the text


def _agreements(ctx: Any, **where: Any) -> set[int]:
    return set(Agreement.objects.filter(**where).values_list("pk", flat=True))


API_LISTS: dict[str, ListRule] = {
    "stock by center": ListRule(
        "/api/v1/stock?limit=200", "staff_a", ("staff_b", "manager_b"), lambda c: {c.stock_a.pk}
    ),
    "stock by producer": ListRule(
        "/api/v1/stock?limit=200", "member_a", ("member_b",), lambda c: {c.stock_a.pk}
    ),
    "agreements by center": ListRule(
        "/api/v1/agreements?limit=200",
        "manager_a",
        ("manager_b", "staff_b"),
        lambda c: _agreements(c, center=c.center_a),
    ),
    "agreements by producer": ListRule(
        "/api/v1/agreements?limit=200",
        "member_a",
        ("member_b",),
        lambda c: _agreements(c, producer=c.producer_a),
    ),
    "shifts": ListRule(
        "/api/v1/shifts?limit=200", "staff_a", ("staff_b", "manager_b"), lambda c: {c.sale_a.shift_id}
    ),
    "sales by center": ListRule(
        "/api/v1/sales?limit=200", "staff_a", ("staff_b", "manager_b"), lambda c: {c.sale_a.pk}
    ),
    "sales by producer": ListRule(
        "/api/v1/sales?limit=200", "member_a", ("member_b",), lambda c: {c.sale_a.pk}
    ),
    "orders by center": ListRule(
        lambda c: f"/api/v1/orders?limit=200&center_id={c.center_a.pk}",
        "staff_a",
        ("staff_b", "manager_b"),
        lambda c: {c.order_a.number},
        key="number",
    ),
    "orders by customer": ListRule(
        "/api/v1/orders?limit=200", "customer", ("customer_b",), lambda c: {c.order_a.number}, key="number"
    ),
    "settlements by center": ListRule(
        "/api/v1/settlements?limit=200", "manager_a", ("manager_b",), lambda c: {c.settlement_a.pk}
    ),
    "settlements by producer": ListRule(
        "/api/v1/settlements?limit=200", "member_a", ("member_b",), lambda c: {c.settlement_a.pk}
    ),
    "centers not yet public": ListRule(
        "/api/v1/centers?limit=200", "officer_a", ("officer_b", "customer"), lambda c: {c.planned.pk}
    ),
    "draft products": ListRule(
        "/api/v1/products?limit=200", "officer_a", ("officer_b", "customer"), lambda c: {c.draft.pk}
    ),
    "funding commitments": ListRule(
        "/api/v1/funding/commitments?limit=200", "officer_a", ("officer_b",), lambda c: {c.commitment.pk}
    ),
    "API tokens": ListRule("/api/v1/me/tokens", "customer", ("customer_b",), lambda c: {c.customer_token.pk}),
}

PAGE_LISTS: dict[str, ListRule] = {
    "center records of my units": ListRule(
        "/lam-viec/trung-tam/",
        "officer_a",
        ("officer_b",),
        lambda c: {reverse("centers_work:manage", args=[c.planned.slug])},
    ),
    "settlements page by center": ListRule(
        "/quyet-toan/",
        "manager_a",
        ("manager_b",),
        lambda c: {reverse("settlements:detail", args=[c.settlement_a.pk])},
    ),
    "settlements page by producer": ListRule(
        "/quyet-toan/",
        "member_a",
        ("member_b",),
        lambda c: {reverse("settlements:detail", args=[c.settlement_a.pk])},
    ),
    "sales report": ListRule(
        "/bao-cao-ban-hang/", "manager_a", ("manager_b",), lambda c: {c.center_a.name, c.bowl.name}
    ),
    "my orders": ListRule(
        "/cua-hang/don-cua-toi/", "customer", ("customer_b",), lambda c: {c.order_a.number}
    ),
}


def _client(ctx: Any, who: str) -> Client:
    client = Client()
    client.force_login(getattr(ctx, who))
    return client


def _found_in_json(response: Any, key: str) -> set[Any]:
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return {item[key] for item in items}


@pytest.mark.parametrize("name", sorted(API_LISTS))
def test_an_api_list_shows_another_scope_none_of_mine(name, ctx):
    rule = API_LISTS[name]
    url = rule.url(ctx) if callable(rule.url) else rule.url
    mine = rule.mine(ctx)
    assert mine, "the rule names no records"
    assert mine <= _found_in_json(_client(ctx, rule.owner).get(url), rule.key)
    for peer in rule.peers:
        seen = _found_in_json(_client(ctx, peer).get(url), rule.key)
        assert not (mine & seen), f"{peer} sees {mine & seen}"


@pytest.mark.parametrize("name", sorted(PAGE_LISTS))
def test_a_list_page_shows_another_scope_none_of_mine(name, ctx):
    rule = PAGE_LISTS[name]
    url = rule.url(ctx) if callable(rule.url) else rule.url
    mine = rule.mine(ctx)
    owner = _client(ctx, rule.owner).get(url)
    assert owner.status_code == 200
    page = owner.content.decode()
    assert all(text in page for text in mine), [text for text in mine if text not in page]
    for peer in rule.peers:
        response = _client(ctx, peer).get(url)
        assert response.status_code == 200, f"{peer}: {response.status_code}"
        page = response.content.decode()
        assert not [text for text in mine if text in page], f"{peer} sees {mine}"
