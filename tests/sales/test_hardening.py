"""Odd input and peeking across scopes: a clear 4xx or nothing shown, never a server error."""

import uuid

import pytest
from django.test import Client

from ocophub.catalogue import services as catalogue
from ocophub.sales import services
from ocophub.sales.models import Sale

from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_digits_that_are_not_ascii_and_huge_ids_are_refused_quietly(world):
    shop = _client()
    assert (
        shop.post("/cua-hang/gio-hang/them/", {"product": "²", "center": world.center_a.slug}).status_code
        < 500
    )
    assert shop.post("/cua-hang/gio-hang/", {"center": "²", "remove": "²"}).status_code < 500
    staff = _client(world.staff_a)
    services.shift_open(actor=world.staff_a, center=world.center_a, opening_float=0)
    for line in ("²:1", "1:²", "99999999999999999999999:1"):
        response = staff.post(f"/quay/{world.center_a.slug}/thanh-toan/", {"line": line, "method": "card"})
        assert 400 <= response.status_code < 500, line
    assert Sale.objects.count() == 0
    page = staff.get(f"/kho/{world.center_a.slug}/", {"producer": "99999999999999999999999"})
    assert page.status_code == 200


def test_a_commission_far_out_of_range_is_a_form_error(world):
    response = _client(world.manager_a).post(
        f"/kho/{world.center_b.slug}/hop-dong/tao/",
        {"producer": world.producer_a.pk, "commission_rate": "1e30", "starts_on": "01/01/2027"},
    )
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("day", ["31/12/9999", "01/01/0001"])
def test_dates_at_the_ends_of_the_calendar_are_refused(world, day):
    response = _client(world.manager_a).get("/bao-cao-ban-hang/", {"start": day, "end": day})
    assert response.status_code < 500
    assert response.context["form"].errors


def test_a_cashier_sees_only_their_own_shifts_through_the_api(world, api):
    other = services.shift_open(actor=world.manager_a, center=world.center_a, opening_float=0)
    assert api.as_user(world.staff_a).call("get", f"/api/v1/shifts/{other.pk}").status_code == 404
    assert api.as_user(world.manager_a).call("get", f"/api/v1/shifts/{other.pk}").status_code == 200


def test_unpublished_goods_are_not_received(world, api):
    draft = catalogue.product_save(
        actor=None, producer=world.producer_a, name="Mẫu thử chưa bán", list_price=1
    )
    response = api.as_user(world.staff_a).call(
        "post",
        "/api/v1/stock/receipts",
        {"center_id": world.center_a.pk, "product_id": draft.pk, "quantity": 1},
    )
    assert response.status_code == 422
    assert "product" in response.json()["error"]["fields"]


def test_a_producer_sees_only_its_own_lines_of_a_receipt(world, api):
    services.shift_open(actor=world.staff_a, center=world.center_a, opening_float=0)
    from ocophub.inventory import services as inventory

    inventory.stock_receive(actor=None, center=world.center_a, product=world.tea, quantity=2, lot_code="T")
    sale, _ = services.sale_create(
        actor=world.staff_a,
        center=world.center_a,
        client_uuid=uuid.uuid4(),
        lines=[services.LineIn(world.bowl.pk, 1), services.LineIn(world.tea.pk, 1)],
        method="card",
    )
    body = api.as_user(world.member_b).call("get", f"/api/v1/sales/{sale.pk}").json()
    assert [line["product"]["id"] for line in body["lines"]] == [world.tea.pk]
    assert body["client_uuid"] is None and body["payments"] == [] and body["total"] == 85_000
    listed = api.as_user(world.member_b).call("get", "/api/v1/sales").json()["items"]
    assert [(item["id"], item["total"]) for item in listed] == [(sale.pk, 85_000)]
    seller = api.as_user(world.staff_a).call("get", f"/api/v1/sales/{sale.pk}").json()
    assert seller["total"] == 235_000 and len(seller["lines"]) == 2


def test_a_basket_holds_goods_of_a_few_centers_only():
    from django.contrib.sessions.backends.db import SessionStore

    from ocophub.common.errors import DomainError
    from ocophub.sales.forms_shop import MAX_CENTERS, Basket

    basket = Basket(SessionStore())
    for center_id in range(1, MAX_CENTERS + 1):
        basket.add(center_id, 7, 1)
    with pytest.raises(DomainError):
        basket.add(MAX_CENTERS + 1, 7, 1)
    assert basket.add(1, 7, 2) == 3  # more of a center already there is fine
