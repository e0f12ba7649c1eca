"""Orders paid at pick-up: confirmed without prepayment, goods held until the pick-up deadline, paid in
cash or by card when handed over (a payment row), released or cancelled back onto the shelf."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from ocophub.common.errors import Conflict, DomainError
from ocophub.inventory.models import Stock
from ocophub.sales import services
from ocophub.sales.models import (
    ORDER_TRANSITIONS,
    Order,
    OrderStatus,
    Payment,
    PaymentState,
    PaymentTiming,
    Sale,
)

from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build(on_hand=5)


def _stock(world) -> tuple[int, int]:
    stock = Stock.objects.get(pk=world.stock_a.pk)
    return stock.on_hand, stock.reserved


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pickup_order(world, quantity: int = 2, **overrides):
    return w.checkout(world, quantity, payment_timing=PaymentTiming.AT_PICKUP, **overrides)


def _desk(world, order) -> str:
    return f"/cua-hang/quan-ly/{world.center_a.slug}/{order.number}/"


def _checkout_post(client: Client, world, **data: str):
    client.post(
        "/cua-hang/gio-hang/them/", {"product": world.bowl.pk, "center": world.center_a.slug, "quantity": 2}
    )
    form = {
        "name": "Trần Văn Minh",
        "email": "minh@example.vn",
        "phone": "0987 654 321",
        "fulfilment": "pickup",
        "key": uuid.uuid4().hex,
        **data,
    }
    return client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", form)


def test_the_state_map_has_the_pay_at_pickup_path():
    assert ORDER_TRANSITIONS[OrderStatus.CONFIRMED] == (OrderStatus.COMPLETED, OrderStatus.CANCELLED)


def test_checkout_offers_payment_at_pickup_and_confirms_without_prepayment(world):
    client = _client()
    client.post(
        "/cua-hang/gio-hang/them/", {"product": world.bowl.pk, "center": world.center_a.slug, "quantity": 1}
    )
    page = client.get(f"/cua-hang/thanh-toan/{world.center_a.slug}/")
    assert 'value="at_pickup"' in page.content.decode()
    response = _checkout_post(client, world, payment_timing="at_pickup")
    order = Order.objects.get()
    assert order.total == 450_000  # one added above, two more by the checkout helper
    assert response.status_code == 302 and response["Location"] == f"/cua-hang/don-hang/{order.token}/"
    assert (order.status, order.payment_timing) == (OrderStatus.CONFIRMED, PaymentTiming.AT_PICKUP)
    assert order.hold_until > timezone.now() + dt.timedelta(hours=71)
    assert _stock(world) == (5, 3)
    assert list(order.events.order_by("pk").values_list("from_state", "to_state")) == [("", "confirmed")]
    assert not Payment.objects.exists() and not Sale.objects.exists()
    page = client.get(f"/cua-hang/don-hang/{order.token}/")
    assert 'data-testid="pay-at-pickup"' in page.content.decode()
    assert page.context["transfer"] is None and page.context["can_cancel"]
    assert "thanh toán tại đó bằng tiền mặt hoặc thẻ" in page.content.decode()


def test_the_confirmation_of_a_pickup_order_asks_for_no_transfer(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = _pickup_order(world, 1)
    confirmation = next(m for m in mailoutbox if m.to == ["lan@example.vn"])
    assert order.number in confirmation.subject
    assert "thanh toán bằng tiền mặt hoặc thẻ khi nhận hàng" in confirmation.body
    assert "113366668888" not in confirmation.body


def test_transfer_stays_the_default(world):
    _checkout_post(_client(), world)
    order = Order.objects.get()
    assert (order.status, order.payment_timing) == (OrderStatus.AWAITING_PAYMENT, PaymentTiming.ADVANCE)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"payment_timing": "at_pickup", "fulfilment": "delivery", "address": "1 Hàng Bạc"},
            "payment_timing",
        ),
        ({"payment_timing": "tien-ao"}, "payment_timing"),
    ],
)
def test_bad_payment_choices_are_refused_and_nothing_is_held(world, data, field):
    response = _checkout_post(_client(), world, **data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Order.objects.exists() and _stock(world) == (5, 0)


def test_pay_at_pickup_only_for_pickup_in_the_service(world):
    with pytest.raises(DomainError) as error:
        _pickup_order(world, fulfilment="delivery", address="1 Hàng Bạc", commune=None)
    assert "payment_timing" in error.value.fields
    assert not Order.objects.exists() and _stock(world) == (5, 0)


def test_held_goods_are_not_sold_twice(world):
    _pickup_order(world, 4)
    with pytest.raises(DomainError):
        w.checkout(world, 2, email="khac@example.vn", phone="0912000999")
    assert Order.objects.count() == 1 and _stock(world) == (5, 4)
    w.checkout(world, 1, email="khac@example.vn", phone="0912000999")
    assert _stock(world) == (5, 5)


def test_the_desk_hands_over_and_records_a_card_payment(world):
    order = _pickup_order(world, 2)
    client = _client(world.staff_a)
    page = client.get(_desk(world, order))
    assert page.context["actions"] == ["completed", "cancelled"]
    assert 'data-testid="collect-form"' in page.content.decode()
    response = client.post(_desk(world, order) + "xu-ly/", {"action": "completed", "method": "card"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.amount, payment.state) == ("card", 300_000, PaymentState.SUCCEEDED)
    assert payment.recorded_by == world.staff_a
    sale = Sale.objects.get(order=order)
    assert sale.total == 300_000 and payment.sale_id == sale.pk
    assert _stock(world) == (3, 0)
    assert list(order.events.order_by("pk").values_list("from_state", "to_state")) == [
        ("", "confirmed"),
        ("confirmed", "completed"),
    ]


def test_cash_at_pickup_goes_into_the_cashiers_open_shift(world):
    order = _pickup_order(world, 1)
    client = _client(world.staff_a)
    refused = client.post(_desk(world, order) + "xu-ly/", {"action": "completed", "method": "cash"})
    assert refused.status_code == 409
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED and not Payment.objects.exists() and _stock(world) == (5, 1)
    shift = services.shift_open(actor=world.staff_a, center=world.center_a, opening_float=200_000)
    assert (
        client.post(_desk(world, order) + "xu-ly/", {"action": "completed", "method": "cash"}).status_code
        == 302
    )
    assert Sale.objects.get(order=order).shift_id == shift.pk
    assert services.expected_cash(shift) == 200_000 + 150_000


@pytest.mark.parametrize(
    "data",
    [
        {"action": "completed"},
        {"action": "completed", "method": "transfer"},
        {"action": "paid", "method": "cash"},
    ],
)
def test_bad_hand_overs_are_refused_and_nothing_written(world, data):
    order = _pickup_order(world, 1)
    response = _client(world.staff_a).post(_desk(world, order) + "xu-ly/", data)
    assert response.status_code in (400, 409)
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED and not Payment.objects.exists() and _stock(world) == (5, 1)


def test_another_centers_staff_cannot_hand_over(world):
    order = _pickup_order(world, 1)
    response = _client(world.staff_b).post(
        _desk(world, order) + "xu-ly/", {"action": "completed", "method": "card"}
    )
    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED


def test_services_refuse_other_ways_out_of_confirmed(world):
    order = _pickup_order(world, 1)
    with pytest.raises(Conflict):
        services.order_move(actor=world.staff_a, order=order, to_state=OrderStatus.COMPLETED)
    with pytest.raises(Conflict):
        services.order_pay(actor=world.staff_a, order=order, method="transfer")
    transfer = w.checkout(world, 1, email="khac@example.vn", phone="0912000999")
    with pytest.raises(Conflict):
        services.order_collect(actor=world.staff_a, order=transfer, method="card")
    assert not Payment.objects.exists() and _stock(world) == (5, 2)


def test_cancelling_a_pickup_order_returns_the_stock(world):
    order = _pickup_order(world, 3)
    assert _stock(world) == (5, 3)
    response = _client(world.staff_a).post(
        _desk(world, order) + "xu-ly/", {"action": "cancelled", "reason": "Khách báo không đến"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and _stock(world) == (5, 0)


def test_the_customer_can_cancel_a_pickup_order(world):
    order = _pickup_order(world, 2)
    _client().post(f"/cua-hang/don-hang/{order.token}/huy/")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and _stock(world) == (5, 0)


def test_an_uncollected_order_is_released_at_its_deadline_not_before(world):
    order = _pickup_order(world, 2)
    transfer = w.checkout(world, 1, email="khac@example.vn", phone="0912000999")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        assert services.orders_release_expired_now() == 1  # the transfer order's 30 minutes ran out
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED
    assert Order.objects.get(pk=transfer.pk).status == OrderStatus.CANCELLED
    with time_machine.travel(timezone.now() + dt.timedelta(hours=73)):
        assert services.orders_release_expired_now() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and _stock(world) == (5, 0)
    assert order.events.order_by("pk").last().reason == "Không được nhận trước hạn nhận hàng."
