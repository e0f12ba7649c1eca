"""The inventory API: stock, its ledger, receipts, adjustments, transfers, returns and agreements."""

import datetime as dt
from decimal import Decimal

import pytest

from ocophub.catalogue import services as catalogue
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Agreement, AgreementState, Movement, Stock
from ocophub.places import selectors as places

from ..helpers import assert_fixed_queries
from ..sales import world as selling


@pytest.fixture
def world(loaded_places):
    return selling.build()


def _on_hand(stock: Stock) -> int:
    stock.refresh_from_db()
    return stock.on_hand


def _ledger_matches(stock: Stock) -> bool:
    stock.refresh_from_db()
    return inventory_totals(stock) == (stock.on_hand, stock.reserved)


def inventory_totals(stock: Stock) -> tuple[int, int]:
    from ocophub.inventory.selectors import ledger_totals

    return ledger_totals([stock.pk]).get(stock.pk, (0, 0))


# --- reading stock ---------------------------------------------------------------------------------


def test_center_staff_see_their_centers_stock_and_others_see_none_of_it(api, world):
    mine = api.as_user(world.staff_a).call("get", "/api/v1/stock")
    assert mine.status_code == 200
    body = mine.json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["product"]["name"], row["on_hand"], row["available"]) == ("Bát gốm men lam", 20, 20)
    assert row["center"]["id"] == world.center_a.pk and row["producer"]["id"] == world.producer_a.pk
    assert api.as_user(world.staff_b).call("get", "/api/v1/stock").json()["count"] == 0
    assert api.as_user(None).call("get", "/api/v1/stock").status_code == 401


def test_a_producer_sees_its_own_goods_at_every_center_only(api, world):
    inventory.stock_receive(actor=None, center=world.center_b, product=world.tea, quantity=4)
    goods_a = api.as_user(world.member_a).call("get", "/api/v1/stock").json()
    assert [item["product"]["id"] for item in goods_a["items"]] == [world.bowl.pk]
    goods_b = api.as_user(world.member_b).call("get", "/api/v1/stock").json()
    assert [item["product"]["id"] for item in goods_b["items"]] == [world.tea.pk]


def test_stock_filters_and_empty_rows(api, world):
    inventory.stock_receive(actor=None, center=world.center_a, product=world.tea, quantity=3, lot_code="L1")
    manager = api.as_user(world.manager_a)
    assert manager.call("get", f"/api/v1/stock?product_id={world.tea.pk}").json()["count"] == 1
    assert manager.call("get", f"/api/v1/stock?producer_id={world.producer_a.pk}").json()["count"] == 1
    assert manager.call("get", f"/api/v1/stock?center_id={world.center_b.pk}").json()["count"] == 0
    inventory.stock_adjust(actor=None, stock=world.stock_a, delta=-20, reason="Kiểm kê")
    assert manager.call("get", "/api/v1/stock").json()["count"] == 1
    assert manager.call("get", "/api/v1/stock?in_stock=false").json()["count"] == 2
    assert manager.call("get", "/api/v1/stock?limit=0").status_code == 422


def test_the_stock_list_runs_a_fixed_number_of_queries(api, world, city_admin):
    client = api.as_user(city_admin)

    def grow(n: int) -> None:
        for index in range(n):
            inventory.stock_receive(
                actor=None,
                center=world.center_a,
                product=world.tea,
                quantity=1,
                lot_code=f"Q{Stock.objects.count()}-{index}",
            )

    client.call("get", "/api/v1/stock?limit=100")  # the first call records the token's use
    assert_fixed_queries(lambda: client.call("get", "/api/v1/stock?limit=100"), grow)


def test_the_ledger_of_a_stock_row(api, world):
    inventory.stock_adjust(actor=world.manager_a, stock=world.stock_a, delta=-2, reason="Vỡ")
    response = api.as_user(world.staff_a).call("get", f"/api/v1/stock/{world.stock_a.pk}/movements")
    assert response.status_code == 200
    body = response.json()
    assert [(m["kind"], m["on_hand_delta"]) for m in body["items"]] == [("adjusted", -2), ("received", 20)]
    assert body["items"][0]["reason"] == "Vỡ" and body["stock"]["on_hand"] == 18
    assert sum(m["on_hand_delta"] for m in body["items"]) == body["stock"]["on_hand"]
    assert (
        api.as_user(world.staff_b).call("get", f"/api/v1/stock/{world.stock_a.pk}/movements").status_code
        == 404
    )
    assert api.as_user(None).call("get", f"/api/v1/stock/{world.stock_a.pk}/movements").status_code == 401


def test_the_centers_carrying_a_product_are_given_with_their_ids(api, world, city_admin):
    carrier = {"id": world.center_a.pk, "slug": world.center_a.slug, "name": world.center_a.name}
    path = f"/api/v1/products/{world.bowl.pk}"
    assert api.call("get", path).json()["carried_by"] == [carrier]
    admin = api.as_user(city_admin)
    edited = admin.call("patch", path, {"name": "Bát gốm men lam vẽ tay"})
    assert edited.status_code == 200 and edited.json()["carried_by"] == [carrier]
    archived = admin.call("post", f"{path}/transitions", {"to": "archived", "reason": "hết mẫu"})
    assert archived.status_code == 200, archived.content
    assert archived.json()["carried_by"] == [carrier]


# --- receiving -------------------------------------------------------------------------------------


def _receipt(world, **overrides):
    return {"center_id": world.center_a.pk, "product_id": world.tea.pk, "quantity": 12, **overrides}


def test_staff_receive_a_dated_lot(api, world):
    expires = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    response = api.as_user(world.staff_a).call(
        "post", "/api/v1/stock/receipts", _receipt(world, lot_code="TS-2511", expires_on=expires)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["on_hand"], body["lot"]["code"], body["lot"]["expires_on"]) == (12, "TS-2511", expires)
    stock = Stock.objects.get(pk=body["id"])
    assert stock.center_id == world.center_a.pk and _ledger_matches(stock)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -3}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": "2"}, "quantity"),
        ({"quantity": 10**9}, "quantity"),
        ({"lot_code": "x" * 41}, "lot_code"),
        ({"expires_on": "1999-12-31"}, "expires_on"),
    ],
)
def test_bad_receipts_are_refused_and_write_nothing(api, world, overrides, field):
    before = Movement.objects.count()
    response = api.as_user(world.staff_a).call("post", "/api/v1/stock/receipts", _receipt(world, **overrides))
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert Movement.objects.count() == before


def test_an_expired_lot_is_refused(api, world):
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = api.as_user(world.staff_a).call(
        "post", "/api/v1/stock/receipts", _receipt(world, lot_code="OLD", expires_on=yesterday)
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "expired" and error["message"]
    assert not Stock.objects.filter(lot__code="OLD").exists()


def test_goods_without_an_agreement_are_refused(api, world):
    producer = catalogue.producer_save(
        actor=None, name="Hộ Mây Tre (thử)", kind="household", commune=places.commune_by_code(583)
    )
    basket = selling.make_product(producer, "Giỏ mây", 60_000, "8930000000033")
    response = api.as_user(world.staff_a).call(
        "post", "/api/v1/stock/receipts", _receipt(world, product_id=basket.pk)
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "no_agreement"
    assert not Stock.objects.filter(product=basket).exists()


def test_staff_of_another_center_cannot_receive_here(api, world):
    response = api.as_user(world.staff_b).call("post", "/api/v1/stock/receipts", _receipt(world))
    assert response.status_code == 404
    assert (
        api.as_user(world.member_b).call("post", "/api/v1/stock/receipts", _receipt(world)).status_code == 404
    )
    assert api.as_user(None).call("post", "/api/v1/stock/receipts", _receipt(world)).status_code == 401
    assert not Stock.objects.filter(product=world.tea).exists()


# --- adjusting, transferring, returning ------------------------------------------------------------


def test_a_manager_adjusts_and_the_ledger_follows(api, world):
    url = f"/api/v1/stock/{world.stock_a.pk}/adjustments"
    response = api.as_user(world.manager_a).call("post", url, {"delta": -3, "reason": "Vỡ khi bốc xếp"})
    assert response.status_code == 200 and response.json()["on_hand"] == 17
    assert _ledger_matches(world.stock_a)


def test_adjustments_are_for_managers_of_the_center(api, world):
    url = f"/api/v1/stock/{world.stock_a.pk}/adjustments"
    body = {"delta": -1, "reason": "Mất"}
    assert api.as_user(world.staff_a).call("post", url, body).status_code == 403
    assert api.as_user(world.manager_b).call("post", url, body).status_code == 404
    assert api.as_user(None).call("post", url, body).status_code == 401
    assert _on_hand(world.stock_a) == 20


@pytest.mark.parametrize(
    "body, status",
    [
        ({"delta": 0, "reason": "Kiểm kê"}, 422),
        ({"delta": -1, "reason": ""}, 422),
        ({"delta": 1.0, "reason": "Kiểm kê"}, 422),
        ({"delta": -21, "reason": "Kiểm kê"}, 409),
    ],
)
def test_bad_adjustments_change_nothing(api, world, body, status):
    response = api.as_user(world.manager_a).call(
        "post", f"/api/v1/stock/{world.stock_a.pk}/adjustments", body
    )
    assert response.status_code == status
    assert response.json()["error"]["message"]
    assert _on_hand(world.stock_a) == 20 and Movement.objects.filter(stock=world.stock_a).count() == 1


def test_a_transfer_moves_goods_to_the_other_center(api, world):
    response = api.as_user(world.manager_a).call(
        "post",
        f"/api/v1/stock/{world.stock_a.pk}/transfers",
        {"to_center_id": world.center_b.pk, "quantity": 5},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["center"]["id"] == world.center_b.pk and body["on_hand"] == 5
    assert _on_hand(world.stock_a) == 15
    assert _ledger_matches(world.stock_a) and _ledger_matches(Stock.objects.get(pk=body["id"]))


@pytest.mark.parametrize(
    "target, quantity, status, code",
    [
        ("a", 2, 422, "invalid"),
        ("b", 21, 409, "sold_out"),
        ("b", 0, 422, "invalid"),
        ("b", -2, 422, "invalid"),
    ],
)
def test_bad_transfers_move_nothing(api, world, target, quantity, status, code):
    center = world.center_a if target == "a" else world.center_b
    response = api.as_user(world.manager_a).call(
        "post",
        f"/api/v1/stock/{world.stock_a.pk}/transfers",
        {"to_center_id": center.pk, "quantity": quantity},
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == code and response.json()["error"]["message"]
    assert _on_hand(world.stock_a) == 20
    assert not Stock.objects.filter(center=world.center_b).exists()


def test_a_transfer_to_an_unknown_center_is_404(api, world):
    response = api.as_user(world.manager_a).call(
        "post", f"/api/v1/stock/{world.stock_a.pk}/transfers", {"to_center_id": 10**9, "quantity": 1}
    )
    assert response.status_code == 404 and "to_center_id" in response.json()["error"]["fields"]


def test_goods_go_back_to_the_producer(api, world):
    url = f"/api/v1/stock/{world.stock_a.pk}/returns"
    response = api.as_user(world.manager_a).call("post", url, {"quantity": 4, "reason": "Hết mùa"})
    assert response.status_code == 200 and response.json()["on_hand"] == 16
    assert Movement.objects.filter(stock=world.stock_a, kind="returned", on_hand_delta=-4).exists()
    too_many = api.as_user(world.manager_a).call("post", url, {"quantity": 17})
    assert too_many.status_code == 409 and "16" in too_many.json()["error"]["message"]
    assert api.as_user(world.manager_b).call("post", url, {"quantity": 1}).status_code == 404
    assert _on_hand(world.stock_a) == 16


def test_held_goods_cannot_leave(api, world):
    selling.checkout(world, 18)
    url = f"/api/v1/stock/{world.stock_a.pk}/returns"
    response = api.as_user(world.manager_a).call("post", url, {"quantity": 3})
    assert response.status_code == 409 and response.json()["error"]["code"] == "sold_out"
    assert _on_hand(world.stock_a) == 20


# --- agreements ------------------------------------------------------------------------------------


@pytest.fixture
def weaver(world):
    return catalogue.producer_save(
        actor=None, name="HTX Dệt Lụa (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )


def _agreement(world, producer, **overrides):
    return {
        "producer_id": producer.pk,
        "center_id": world.center_a.pk,
        "commission_rate": "0.25",
        "starts_on": dt.date.today().isoformat(),
        **overrides,
    }


def test_a_manager_signs_an_agreement(api, world, weaver):
    response = api.as_user(world.manager_a).call("post", "/api/v1/agreements", _agreement(world, weaver))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["commission_rate"], body["in_force"]) == ("active", "0.2500", True)
    assert inventory.active_agreement(weaver.pk, world.center_a.pk) is not None


def test_the_rate_may_be_a_number(api, world, weaver):
    response = api.as_user(world.manager_a).call(
        "post", "/api/v1/agreements", _agreement(world, weaver, commission_rate=0.15)
    )
    assert response.status_code == 201
    assert Agreement.objects.get(producer=weaver).commission_rate == Decimal("0.15")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"commission_rate": "0.6"}, "commission_rate"),
        ({"commission_rate": "-0.1"}, "commission_rate"),
        ({"commission_rate": "0.12345"}, "commission_rate"),
        ({"commission_rate": "abc"}, "commission_rate"),
        ({"ends_on": "2020-01-01"}, "ends_on"),
        ({"notes": "x" * 2001}, "notes"),
    ],
)
def test_bad_agreements_are_refused(api, world, weaver, overrides, field):
    response = api.as_user(world.manager_a).call(
        "post", "/api/v1/agreements", _agreement(world, weaver, **overrides)
    )
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not Agreement.objects.filter(producer=weaver).exists()


def test_overlapping_agreements_are_refused(api, world):
    response = api.as_user(world.manager_a).call(
        "post", "/api/v1/agreements", _agreement(world, world.producer_a, starts_on="2025-06-01")
    )
    assert response.status_code == 409 and "starts_on" in response.json()["error"]["fields"]
    assert Agreement.objects.filter(producer=world.producer_a, center=world.center_a).count() == 1


def test_agreements_are_signed_only_by_the_centers_managers(api, world, weaver):
    body = _agreement(world, weaver)
    assert api.as_user(world.staff_a).call("post", "/api/v1/agreements", body).status_code == 404
    assert api.as_user(world.manager_b).call("post", "/api/v1/agreements", body).status_code == 404
    assert api.as_user(None).call("post", "/api/v1/agreements", body).status_code == 401
    assert not Agreement.objects.filter(producer=weaver).exists()


def test_agreements_list_by_scope(api, world):
    mine = api.as_user(world.manager_a).call("get", "/api/v1/agreements").json()
    assert {item["center"]["id"] for item in mine["items"]} == {world.center_a.pk} and mine["count"] == 2
    producer = api.as_user(world.member_a).call("get", "/api/v1/agreements").json()
    assert {item["producer"]["id"] for item in producer["items"]} == {world.producer_a.pk}
    assert producer["count"] == 2
    assert api.as_user(world.manager_a).call("get", "/api/v1/agreements?state=ended").json()["count"] == 0


def test_the_agreement_list_runs_a_fixed_number_of_queries(api, world, city_admin):
    client = api.as_user(city_admin)

    def grow(n: int) -> None:
        for _index in range(n):
            producer = catalogue.producer_save(
                actor=None, name="Hộ thử", kind="household", commune=places.commune_by_code(583)
            )
            inventory.agreement_create(
                actor=None,
                producer=producer,
                center=world.center_b,
                commission_rate="0.1",
                starts_on=dt.date(2025, 1, 1),
            )

    client.call("get", "/api/v1/agreements?limit=100")  # the first call records the token's use
    assert_fixed_queries(lambda: client.call("get", "/api/v1/agreements?limit=100"), grow)


def test_an_agreement_ends(api, world):
    url = f"/api/v1/agreements/{world.agreement_a.pk}/transitions"
    assert api.as_user(world.manager_b).call("post", url, {"to": "ended"}).status_code == 404
    assert api.as_user(world.member_a).call("post", url, {"to": "ended"}).status_code == 403
    response = api.as_user(world.manager_a).call("post", url, {"to": "ended", "reason": "Thôi hợp tác"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["in_force"]) == ("ended", False)
    again = api.as_user(world.manager_a).call("post", url, {"to": "active"})
    assert again.status_code == 409
    world.agreement_a.refresh_from_db()
    assert world.agreement_a.state == AgreementState.ENDED


def test_perishable_goods_need_their_expiry_date(api, world):
    from ocophub.catalogue.demo import reference_load
    from ocophub.catalogue.models import TaxonomyNode

    reference_load()
    catalogue.product_save(
        actor=None, product=world.tea, taxonomy=TaxonomyNode.objects.get(code="148-che-tra")
    )
    before = Movement.objects.count()
    response = api.as_user(world.staff_a).call(
        "post", "/api/v1/stock/receipts", _receipt(world, lot_code="BC-1")
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "expiry_required"
    assert error["fields"] == {"expires_on": "Bắt buộc với thực phẩm, đồ uống và dược liệu."}
    assert Movement.objects.count() == before
