"""The sales API: shifts, counter sales (and their replays), returns, refunds, orders and settlements."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Lot, Stock
from ocophub.sales import services as sales
from ocophub.sales import vietqr
from ocophub.sales.models import (
    BankAccount,
    Order,
    OrderStatus,
    Payment,
    Refund,
    Return,
    Sale,
    Settlement,
    SettlementState,
    Shift,
)

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as selling


@pytest.fixture
def world(loaded_places):
    return selling.build()


def _on_hand(world) -> int:
    return sum(
        Stock.objects.filter(center=world.center_a, product=world.bowl).values_list("on_hand", flat=True)
    )


def _open(world, user=None) -> Shift:
    return sales.shift_open(actor=user or world.staff_a, center=world.center_a, opening_float=500_000)


def _sale_body(world, quantity: int = 2, **overrides):
    return {
        "center_id": world.center_a.pk,
        "client_uuid": str(uuid.uuid4()),
        "lines": [{"product_id": world.bowl.pk, "quantity": quantity}],
        "method": "cash",
        **overrides,
    }


# --- shifts ----------------------------------------------------------------------------------------


def test_a_cashier_opens_sells_and_closes_a_shift_with_the_expected_cash(api, world):
    client = api.as_user(world.staff_a)
    opened = client.call("post", "/api/v1/shifts", {"center_id": world.center_a.pk, "opening_float": 300_000})
    assert opened.status_code == 201, opened.content
    shift = opened.json()
    assert (shift["is_open"], shift["expected_cash"]) == (True, 300_000)
    assert client.call("post", "/api/v1/sales", _sale_body(world, 2)).status_code == 201
    now = client.call("get", f"/api/v1/shifts/{shift['id']}").json()
    assert now["expected_cash"] == 600_000
    closed = client.call(
        "post", f"/api/v1/shifts/{shift['id']}/close", {"counted_cash": 590_000, "notes": "Thiếu"}
    )
    assert closed.status_code == 200
    assert (closed.json()["is_open"], closed.json()["variance"]) == (False, -10_000)
    again = client.call("post", f"/api/v1/shifts/{shift['id']}/close", {"counted_cash": 1})
    assert again.status_code == 409


def test_shift_rules(api, world):
    shift = _open(world)
    assert api.as_user(world.staff_b).call("get", f"/api/v1/shifts/{shift.pk}").status_code == 404
    assert api.as_user(None).call("get", f"/api/v1/shifts/{shift.pk}").status_code == 401
    colleague = make_user(Role.CENTER_STAFF, scope_id=world.center_a.pk)
    url = f"/api/v1/shifts/{shift.pk}/close"
    assert (
        api.as_user(colleague).call("post", url, {"counted_cash": 500_000}).status_code == 404
    )  # another cashier's shift is not theirs to see
    assert api.as_user(world.staff_b).call("post", url, {"counted_cash": 500_000}).status_code == 404
    assert api.as_user(world.manager_a).call("post", url, {"counted_cash": 500_000}).status_code == 200
    body = {"center_id": world.center_a.pk, "opening_float": 1.5}
    assert api.as_user(world.staff_a).call("post", "/api/v1/shifts", body).status_code == 422
    body = {"center_id": world.center_a.pk, "opening_float": 100}
    assert api.as_user(world.staff_b).call("post", "/api/v1/shifts", body).status_code == 404
    assert Shift.objects.filter(closed_at__isnull=True).count() == 0
    listed = api.as_user(world.staff_a).call("get", "/api/v1/shifts").json()
    assert (
        listed["count"] == 1 and api.as_user(world.staff_b).call("get", "/api/v1/shifts").json()["count"] == 0
    )


# --- counter sales ---------------------------------------------------------------------------------


def test_a_counter_sale_answers_the_receipt(api, world):
    _open(world)
    response = api.as_user(world.staff_a).call(
        "post", "/api/v1/sales", _sale_body(world, 3, tendered=500_000)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["paid"], body["refunded"], body["channel"]) == (
        450_000,
        450_000,
        0,
        "counter",
    )
    assert body["payments"][0]["change"] == 50_000 and body["number"].startswith("HD-")
    assert [(line["quantity"], line["unit_price"]) for line in body["lines"]] == [(3, 150_000)]
    assert _on_hand(world) == 17


def test_a_retry_with_the_same_client_uuid_books_nothing_twice(api, world):
    _open(world)
    client = api.as_user(world.staff_a)
    body = _sale_body(world, 2)
    first = client.call("post", "/api/v1/sales", body)
    second = client.call("post", "/api/v1/sales", body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Sale.objects.count() == 1 and _on_hand(world) == 18
    other = client.call(
        "post", "/api/v1/sales", {**body, "lines": [{"product_id": world.bowl.pk, "quantity": 5}]}
    )
    assert other.status_code == 422 and "client_uuid" in other.json()["error"]["fields"]
    assert Sale.objects.count() == 1 and _on_hand(world) == 18


def test_a_sale_honours_the_idempotency_key(api, world):
    _open(world)
    client = api.as_user(world.staff_a)
    body = _sale_body(world, 1)
    headers = {"Idempotency-Key": "till-1-0001"}
    first = client.call("post", "/api/v1/sales", body, headers=headers)
    second = client.call("post", "/api/v1/sales", body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    other = client.call("post", "/api/v1/sales", _sale_body(world, 1), headers=headers)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert Sale.objects.count() == 1


def test_selling_more_than_is_on_the_shelf_is_a_clear_409(api, world):
    _open(world)
    response = api.as_user(world.staff_a).call("post", "/api/v1/sales", _sale_body(world, 21))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "sold_out" and "20" in error["message"] and "21" in error["message"]
    assert Sale.objects.count() == 0 and Payment.objects.count() == 0 and _on_hand(world) == 20


def test_goods_left_only_in_expired_lots_cannot_be_sold(api, world):
    _open(world)
    inventory.stock_receive(
        actor=None,
        center=world.center_a,
        product=world.tea,
        quantity=5,
        lot_code="T-OLD",
        expires_on=dt.date.today() + dt.timedelta(days=1),
    )
    Lot.objects.filter(code="T-OLD").update(expires_on=dt.date.today() - dt.timedelta(days=1))
    body = _sale_body(world, lines=[{"product_id": world.tea.pk, "quantity": 1}])
    response = api.as_user(world.staff_a).call("post", "/api/v1/sales", body)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "expired" and response.json()["error"]["message"]
    assert Sale.objects.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"lines": [{"product_id": 1, "quantity": 0}]},
        {"lines": [{"product_id": 1, "quantity": -1}]},
        {"lines": [{"product_id": 1, "quantity": 2.5}]},
        {"lines": []},
        {"client_uuid": "not-a-uuid"},
        {"method": "cheque"},
        {"tendered": 300000.0},
        {"tendered": "300000"},
        {"reference": "x" * 101},
    ],
)
def test_bad_sales_are_refused_and_write_nothing(api, world, overrides):
    _open(world)
    response = api.as_user(world.staff_a).call("post", "/api/v1/sales", _sale_body(world, 1, **overrides))
    assert response.status_code == 422
    assert response.json()["error"]["fields"]
    assert Sale.objects.count() == 0 and _on_hand(world) == 20


def test_selling_needs_an_open_shift_and_a_center_of_ones_own(api, world):
    response = api.as_user(world.staff_a).call("post", "/api/v1/sales", _sale_body(world))
    assert response.status_code == 409 and response.json()["error"]["code"] == "no_shift"
    assert api.as_user(world.staff_b).call("post", "/api/v1/sales", _sale_body(world)).status_code == 404
    assert api.as_user(None).call("post", "/api/v1/sales", _sale_body(world)).status_code == 401
    assert Sale.objects.count() == 0


def test_sales_are_read_by_their_center_their_producers_and_the_city(api, world, city_admin):
    sale = selling.counter_sale(world, 2)
    for user, paid in ((world.staff_a, 300_000), (world.member_a, 0), (city_admin, 300_000)):
        response = api.as_user(user).call("get", f"/api/v1/sales/{sale.pk}")
        assert response.status_code == 200
        # a producer sees its lines, not the center's payments
        assert (response.json()["paid"], len(response.json()["lines"])) == (paid, 1)
    for user in (world.staff_b, world.member_b):
        assert api.as_user(user).call("get", f"/api/v1/sales/{sale.pk}").status_code == 404
    assert api.as_user(None).call("get", f"/api/v1/sales/{sale.pk}").status_code == 401
    assert api.as_user(world.staff_a).call("get", "/api/v1/sales").json()["count"] == 1
    assert api.as_user(world.staff_b).call("get", "/api/v1/sales").json()["count"] == 0


def test_sales_filter_by_local_day(api, world):
    selling.counter_sale(world, 1)
    today = dt.date.today()
    client = api.as_user(world.manager_a)
    assert client.call("get", f"/api/v1/sales?since={today}&until={today}").json()["count"] == 1
    assert client.call("get", f"/api/v1/sales?until={today - dt.timedelta(days=1)}").json()["count"] == 0
    assert client.call("get", f"/api/v1/sales?since={today + dt.timedelta(days=1)}").json()["count"] == 0
    assert client.call("get", "/api/v1/sales?since=9999-12-31").status_code == 422


def test_the_sales_list_runs_a_fixed_number_of_queries(api, world):
    client = api.as_user(world.manager_a)
    client.call("get", "/api/v1/sales?limit=100")  # the first call records the token's use
    assert_fixed_queries(
        lambda: client.call("get", "/api/v1/sales?limit=100"),
        lambda n: [selling.counter_sale(world, 1) for _ in range(n)],
        steps=(2, 6),
    )


# --- returns and refunds ---------------------------------------------------------------------------


def test_goods_come_back_and_the_money_is_refunded(api, world):
    sale = selling.counter_sale(world, 3)
    line = sale.lines.get()
    response = api.as_user(world.staff_a).call(
        "post",
        f"/api/v1/sales/{sale.pk}/returns",
        {"lines": [{"sale_line_id": line.pk, "quantity": 2}], "reason": "Men bị rạn"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["refunded"], body["lines"][0]["returned"]) == (300_000, 2)
    assert body["returns"][0]["amount"] == 300_000 and body["returns"][0]["number"].startswith("TH-")
    assert _on_hand(world) == 19


def test_returning_more_than_was_sold_changes_nothing(api, world):
    sale = selling.counter_sale(world, 1)
    line = sale.lines.get()
    url = f"/api/v1/sales/{sale.pk}/returns"
    body = {"lines": [{"sale_line_id": line.pk, "quantity": 2}], "reason": "Lỗi"}
    response = api.as_user(world.staff_a).call("post", url, body)
    assert response.status_code == 422 and response.json()["error"]["message"]
    zero = {"lines": [{"sale_line_id": line.pk, "quantity": 0}], "reason": "Lỗi"}
    assert api.as_user(world.staff_a).call("post", url, zero).status_code == 422
    assert (
        api.as_user(world.staff_b).call("post", url, {**body, "lines": body["lines"][:1]}).status_code == 404
    )
    assert api.as_user(world.member_a).call("post", url, body).status_code == 403
    assert Return.objects.count() == 0 and Refund.objects.count() == 0 and _on_hand(world) == 19


def test_a_refund_within_what_was_paid(api, world):
    sale = selling.counter_sale(world, 1)
    url = f"/api/v1/sales/{sale.pk}/refunds"
    sales.shift_open(actor=world.manager_a, center=world.center_a, opening_float=100_000)
    client = api.as_user(world.manager_a)  # a manager refunds without an approval code
    response = client.call("post", url, {"amount": 20_000, "reason": "Giảm giá"})
    assert response.status_code == 201 and response.json()["refunded"] == 20_000
    too_much = client.call("post", url, {"amount": 130_001, "reason": "Nhầm"})
    assert too_much.status_code == 422
    error = too_much.json()["error"]
    assert (
        error["code"] == "refund_too_large" and "130.000" in error["message"] and "amount" in error["fields"]
    )
    for bad in (
        {"amount": 0, "reason": "x"},
        {"amount": 1000.0, "reason": "x"},
        {"amount": 1000, "reason": ""},
    ):
        assert client.call("post", url, bad).status_code == 422
    assert api.as_user(world.staff_b).call("post", url, {"amount": 1, "reason": "x"}).status_code == 404
    assert Refund.objects.count() == 1


# --- orders ----------------------------------------------------------------------------------------


def _order_body(world, quantity: int = 2, **overrides):
    return {
        "center_id": world.center_a.pk,
        "lines": [{"product_id": world.bowl.pk, "quantity": quantity}],
        "name": "Lê Thu Hà",
        "email": "ha@example.vn",
        "phone": "0912 345 678",
        **overrides,
    }


def test_a_guest_orders_and_gets_the_vietqr_payload(api, world):
    response = Client().post("/api/v1/orders", _order_body(world), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["total"], body["paid"]) == ("awaiting_payment", 300_000, 0)
    assert body["number"].startswith("DH-") and body["hold_until"]
    assert body["lines"] == [
        {
            "product": {"id": world.bowl.pk, "slug": world.bowl.slug, "name": world.bowl.name},
            "quantity": 2,
            "unit_price": 150_000,
            "amount": 300_000,
        }
    ]
    qr = vietqr.parse(body["payment_qr"])
    assert qr["54"] == "300000" and vietqr.fields(qr["62"])["08"] == vietqr.fold_message(body["number"])
    assert "113366668888" in qr["38"] and "970415" in qr["38"]
    order = Order.objects.get(number=body["number"])
    assert order.customer is None and str(order.token) == body["token"]
    assert _on_hand(world) == 20 and Stock.objects.get(pk=world.stock_a.pk).reserved == 2


def test_a_center_without_a_bank_account_gives_no_qr(api, world):
    BankAccount.objects.filter(center=world.center_a).delete()
    response = Client().post("/api/v1/orders", _order_body(world), content_type="application/json")
    assert response.status_code == 201 and response.json()["payment_qr"] is None


def test_a_guest_reads_the_order_with_its_token_only(api, world):
    order = selling.checkout(world, 1)
    client = Client()
    assert client.get(f"/api/v1/orders/{order.number}").status_code == 404
    assert client.get(f"/api/v1/orders/{order.number}?token={uuid.uuid4()}").status_code == 404
    response = client.get(f"/api/v1/orders/{order.number}?token={order.token}")
    assert response.status_code == 200 and response.json()["number"] == order.number
    assert client.get(f"/api/v1/orders/{order.number}?token=abc").status_code == 422


@pytest.mark.parametrize(
    "overrides, status, field",
    [
        ({"lines": [{"product_id": 1, "quantity": 0}]}, 422, "lines.quantity"),
        ({"email": "not-an-email"}, 422, "email"),
        ({"phone": "12"}, 422, "phone"),
        ({"fulfilment": "delivery"}, 422, "address"),
        ({"fulfilment": "drone"}, 422, "fulfilment"),
        ({"name": "x" * 121}, 422, "name"),
        ({"center_id": 10**9}, 404, "center_id"),
    ],
)
def test_bad_orders_are_refused_and_hold_nothing(api, world, overrides, status, field):
    response = Client().post(
        "/api/v1/orders", _order_body(world, **overrides), content_type="application/json"
    )
    assert response.status_code == status
    assert field in response.json()["error"]["fields"]
    assert Order.objects.count() == 0 and Stock.objects.get(pk=world.stock_a.pk).reserved == 0


def test_ordering_more_than_the_center_has_is_sold_out(api, world):
    response = Client().post("/api/v1/orders", _order_body(world, 21), content_type="application/json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "sold_out"
    assert Order.objects.count() == 0 and Stock.objects.get(pk=world.stock_a.pk).reserved == 0


def test_a_delivery_order_names_its_commune(api, world):
    body = _order_body(world, fulfilment="delivery", address="12 Hàng Bạc", commune_code=70)
    response = Client().post("/api/v1/orders", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Order.objects.get(number=response.json()["number"]).commune.code == 70


def test_a_logged_in_customer_orders_in_their_name(api, world, customer):
    response = api.as_user(customer).call("post", "/api/v1/orders", _order_body(world))
    assert response.status_code == 201
    assert Order.objects.get(number=response.json()["number"]).customer == customer
    mine = api.as_user(customer).call("get", "/api/v1/orders").json()
    assert [item["number"] for item in mine["items"]] == [response.json()["number"]]
    assert api.as_user(customer).call("get", f"/api/v1/orders/{response.json()['number']}").status_code == 200


def test_a_session_without_the_csrf_token_orders_only_as_a_guest(world, customer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)
    response = browser.post("/api/v1/orders", _order_body(world), content_type="application/json")
    assert response.status_code == 201
    assert Order.objects.get(number=response.json()["number"]).customer is None
    # with the token, the session's user is the customer
    browser.get("/")
    token = browser.cookies["csrftoken"].value
    signed = browser.post(
        "/api/v1/orders", _order_body(world), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert signed.status_code == 201
    assert Order.objects.get(number=signed.json()["number"]).customer == customer


def test_anonymous_clients_without_cookies_may_order(world):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/orders", _order_body(world), content_type="application/json"
    )
    assert response.status_code == 201


def test_a_wrong_bearer_token_is_refused_rather_than_taken_for_a_guest(world):
    response = Client().post(
        "/api/v1/orders",
        _order_body(world),
        content_type="application/json",
        headers={"Authorization": "Bearer nonsense"},
    )
    assert response.status_code == 401 and Order.objects.count() == 0


def test_center_staff_list_pay_and_hand_over_their_centers_orders(api, world, customer):
    order = selling.checkout(world, 2, actor=customer)
    staff = api.as_user(world.staff_a)
    listed = staff.call("get", f"/api/v1/orders?center_id={world.center_a.pk}").json()
    assert [item["number"] for item in listed["items"]] == [order.number]
    assert (
        api.as_user(world.staff_b)
        .call("get", f"/api/v1/orders?center_id={world.center_a.pk}")
        .json()["count"]
        == 0
    )
    staff = api.as_user(world.staff_a)
    assert staff.call("get", "/api/v1/orders").json()["count"] == 0  # none placed by the cashier
    paid = staff.call(
        "post", f"/api/v1/orders/{order.number}/payments", {"method": "transfer", "reference": "FT1"}
    )
    assert paid.status_code == 200, paid.content
    assert (paid.json()["status"], paid.json()["paid"]) == ("paid", 300_000)
    assert _on_hand(world) == 18 and Sale.objects.filter(order=order).exists()
    ready = staff.call("post", f"/api/v1/orders/{order.number}/transitions", {"to": "ready"})
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    shipped = staff.call("post", f"/api/v1/orders/{order.number}/transitions", {"to": "shipped"})
    assert shipped.status_code == 409
    done = staff.call("post", f"/api/v1/orders/{order.number}/transitions", {"to": "completed"})
    assert done.json()["status"] == "completed"


def test_who_may_move_an_order(api, world, customer):
    order = selling.checkout(world, 1, actor=customer)
    url = f"/api/v1/orders/{order.number}"
    assert api.as_user(customer).call("post", f"{url}/payments", {"method": "transfer"}).status_code == 403
    assert (
        api.as_user(world.staff_b).call("post", f"{url}/payments", {"method": "transfer"}).status_code == 404
    )
    assert api.as_user(customer).call("post", f"{url}/transitions", {"to": "ready"}).status_code == 403
    other = make_user(Role.CUSTOMER)
    assert api.as_user(other).call("post", f"{url}/transitions", {"to": "cancelled"}).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    cancelled = api.as_user(customer).call(
        "post", f"{url}/transitions", {"to": "cancelled", "reason": "Nhầm"}
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert Stock.objects.get(pk=world.stock_a.pk).reserved == 0


def test_a_customer_cannot_cancel_a_paid_order_and_a_refund_needs_a_reason(api, world, customer):
    order = selling.checkout(world, 1, actor=customer)
    sales.order_pay(actor=world.staff_a, order=order)
    url = f"/api/v1/orders/{order.number}/transitions"
    assert api.as_user(customer).call("post", url, {"to": "cancelled"}).status_code == 409
    assert api.as_user(world.staff_a).call("post", url, {"to": "refunded"}).status_code == 422
    refunded = api.as_user(world.staff_a).call("post", url, {"to": "refunded", "reason": "Khách đổi ý"})
    assert refunded.status_code == 200 and refunded.json()["status"] == "refunded"
    assert _on_hand(world) == 20


def test_the_order_list_runs_a_fixed_number_of_queries(api, world, customer):
    client = api.as_user(customer)
    client.call("get", "/api/v1/orders?limit=100")  # the first call records the token's use
    assert_fixed_queries(
        lambda: client.call("get", "/api/v1/orders?limit=100"),
        lambda n: [selling.checkout(world, 1, actor=customer) for _ in range(n)],
        steps=(2, 5),
    )


# --- settlements -----------------------------------------------------------------------------------


def _last_month() -> tuple[dt.date, dt.date]:
    end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _settlement_body(world, producer=None):
    start, end = _last_month()
    return {
        "producer_id": (producer or world.producer_a).pk,
        "center_id": world.center_a.pk,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
    }


def test_a_settlement_is_issued_accepted_and_paid_out(api, world):
    sale = selling.counter_sale(world, 4)
    start, _end = _last_month()
    Sale.objects.filter(pk=sale.pk).update(
        created_at=sale.created_at.replace(year=start.year, month=start.month, day=5)
    )
    issued = api.as_user(world.manager_a).call("post", "/api/v1/settlements", _settlement_body(world))
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert (body["gross"], body["commission"], body["net"], body["units_sold"]) == (
        600_000,
        120_000,
        480_000,
        4,
    )
    url = f"/api/v1/settlements/{body['id']}"
    assert api.as_user(world.manager_a).call("post", f"{url}/accept").status_code == 403
    assert api.as_user(world.member_b).call("post", f"{url}/accept").status_code == 404
    accepted = api.as_user(world.member_a).call("post", f"{url}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    payout = {"paid_on": dt.date.today().isoformat(), "reference": "UNC-0042"}
    assert api.as_user(world.member_a).call("post", f"{url}/payout", payout).status_code == 403
    paid = api.as_user(world.manager_a).call("post", f"{url}/payout", payout)
    assert paid.status_code == 200
    assert (paid.json()["state"], paid.json()["payout_reference"]) == ("paid", "UNC-0042")
    assert [e["to_state"] for e in paid.json()["events"]] == ["issued", "accepted", "paid"]


def test_an_overlapping_settlement_is_refused(api, world):
    client = api.as_user(world.manager_a)
    assert client.call("post", "/api/v1/settlements", _settlement_body(world)).status_code == 201
    again = client.call("post", "/api/v1/settlements", _settlement_body(world))
    assert again.status_code == 409 and again.json()["error"]["message"]
    assert Settlement.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"period_end": dt.date.today().isoformat()},
        {"period_start": "2025-05-02", "period_end": "2025-05-01"},
        {"period_start": "0001-01-01"},
        {"period_end": "not a date"},
    ],
)
def test_bad_settlement_periods_are_refused(api, world, overrides):
    response = api.as_user(world.manager_a).call(
        "post", "/api/v1/settlements", {**_settlement_body(world), **overrides}
    )
    assert response.status_code == 422 and response.json()["error"]["fields"]
    assert Settlement.objects.count() == 0


def test_settlements_by_scope(api, world):
    settlement = sales.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=_last_month()[0],
        period_end=_last_month()[1],
    )
    url = f"/api/v1/settlements/{settlement.pk}"
    for user in (world.manager_a, world.member_a):
        assert api.as_user(user).call("get", url).status_code == 200
    for user in (world.manager_b, world.member_b, world.staff_a):
        assert api.as_user(user).call("get", url).status_code == 404
    assert (
        api.as_user(world.manager_b).call("post", "/api/v1/settlements", _settlement_body(world)).status_code
        == 404
    )
    assert api.as_user(world.member_a).call("get", "/api/v1/settlements").json()["count"] == 1
    assert api.as_user(world.member_b).call("get", "/api/v1/settlements").json()["count"] == 0
    cancelled = api.as_user(world.manager_a).call("post", f"{url}/cancel", {"reason": "Sai kỳ"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == SettlementState.CANCELLED
    assert (
        api.as_user(world.manager_a).call("post", f"{url}/cancel", {"reason": "Lần nữa"}).status_code == 409
    )


def test_the_settlement_list_runs_a_fixed_number_of_queries(api, world, city_admin):
    client = api.as_user(city_admin)
    start = [dt.date(2024, 1, 1)]

    def grow(n: int) -> None:
        for _ in range(n):
            sales.settlement_create(
                actor=None,
                producer=world.producer_a,
                center=world.center_a,
                period_start=start[0],
                period_end=start[0],
            )
            start[0] += dt.timedelta(days=1)

    client.call("get", "/api/v1/settlements?limit=100")  # the first call records the token's use
    assert_fixed_queries(lambda: client.call("get", "/api/v1/settlements?limit=100"), grow)
