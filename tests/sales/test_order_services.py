import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from ocophub.common.errors import Conflict, DomainError
from ocophub.common.idempotency import run_once
from ocophub.common.models import IdempotencyRecord
from ocophub.inventory.models import Stock
from ocophub.sales import services
from ocophub.sales.models import Order, OrderEvent, OrderStatus, Payment, Sale
from ocophub.sales.tasks import orders_release_expired

from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def _stock(world) -> tuple[int, int]:
    stock = Stock.objects.get(pk=world.stock_a.pk)
    return stock.on_hand, stock.reserved


def test_checkout_holds_the_goods_and_writes_the_first_event(world, customer):
    order = w.checkout(world, 3, actor=customer)
    assert (order.status, order.total, order.customer_id) == (
        OrderStatus.AWAITING_PAYMENT,
        450_000,
        customer.pk,
    )
    assert _stock(world) == (20, 3)
    assert order.hold_until > timezone.now()
    assert list(order.events.values_list("from_state", "to_state")) == [("", "awaiting_payment")]


def test_checkout_sends_the_confirmation_after_commit(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = w.checkout(world, 1)
    assert len(mailoutbox) == 2  # the customer's confirmation, then the center's notice
    assert order.number in mailoutbox[0].subject and mailoutbox[0].to == ["lan@example.vn"]


def test_bad_contact_details_are_refused_with_fields_and_nothing_held(world):
    with pytest.raises(DomainError) as error:
        w.checkout(world, 1, email="không-phải-email", phone="123", fulfilment="delivery")
    assert {"email", "phone", "address", "commune"} <= set(error.value.fields)
    assert Order.objects.count() == 0 and _stock(world) == (20, 0)


def test_more_than_available_is_sold_out_and_nothing_held(world):
    w.checkout(world, 15)
    with pytest.raises(DomainError) as error:
        w.checkout(world, 6)
    assert error.value.code == "sold_out" and "5" in error.value.message
    assert Order.objects.count() == 1 and _stock(world) == (20, 15)


def test_payment_sells_the_held_goods_as_an_online_sale(world):
    order = w.checkout(world, 2)
    services.order_pay(actor=world.staff_a, order=order, reference="FT2611")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert _stock(world) == (18, 0)
    sale = Sale.objects.get(order=order)
    assert (sale.channel, sale.total) == ("online", 300_000)
    assert sale.lines.get().commission_rate == world.agreement_a.commission_rate
    assert Payment.objects.get(order=order).sale_id == sale.pk
    with pytest.raises(Conflict):
        services.order_pay(actor=world.staff_a, order=order)


def test_the_pipeline_follows_its_map(world, mailoutbox, django_capture_on_commit_callbacks):
    order = w.checkout(world, 1)
    with pytest.raises(Conflict):
        services.order_move(actor=world.staff_a, order=order, to_state="ready")
    services.order_pay(actor=world.staff_a, order=order)
    with pytest.raises(Conflict):
        services.order_move(actor=world.staff_a, order=order, to_state="shipped")  # a pick-up order
    with django_capture_on_commit_callbacks(execute=True):
        services.order_move(actor=world.staff_a, order=order, to_state="ready")
    services.order_move(actor=world.staff_a, order=order, to_state="completed")
    assert [m.subject for m in mailoutbox if "sẵn sàng" in m.subject.lower() or order.number in m.subject]
    assert list(OrderEvent.objects.filter(order=order).order_by("pk").values_list("to_state", flat=True)) == [
        "awaiting_payment",
        "paid",
        "ready",
        "completed",
    ]


def test_refunding_a_paid_order_restocks_and_refunds_everything(world):
    order = w.checkout(world, 2)
    services.order_pay(actor=world.staff_a, order=order)
    services.order_refund(actor=world.manager_a, order=order, reason="hàng vỡ khi đóng gói")
    assert _stock(world) == (20, 0)
    sale = Sale.objects.get(order=order)
    assert services.payments.refunded(sale) == services.payments.paid(sale) == 300_000


def test_an_unpaid_order_past_its_hold_is_released_by_the_job(world):
    unpaid = w.checkout(world, 4)
    paid = w.checkout(world, 1)
    services.order_pay(actor=world.staff_a, order=paid)
    assert _stock(world) == (19, 4)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=services.orders.hold_minutes() - 1)):
        assert orders_release_expired.call() == 0
    assert _stock(world) == (19, 4)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=services.orders.hold_minutes() + 1)):
        assert orders_release_expired.call() == 1
        assert orders_release_expired.call() == 0  # safe to run again

    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert (unpaid.status, paid.status) == (OrderStatus.CANCELLED, OrderStatus.PAID)
    assert _stock(world) == (19, 0)
    with pytest.raises(Conflict):
        services.order_pay(actor=world.staff_a, order=unpaid)


def test_checkout_schedules_the_release_job_for_the_end_of_the_hold(
    world, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        order = w.checkout(world, 1)
    job = DBTaskResult.objects.get(task_path="ocophub.sales.tasks.orders_release_expired")
    assert job.run_after >= order.hold_until


def test_idempotency_replays_the_first_answer_and_refuses_another_body(world):
    calls = []

    def work():
        calls.append(1)
        order = w.checkout(world, 1)
        return 201, {"number": order.number}

    first = run_once("orders:guest", "key-1", {"q": 1}, work)
    second = run_once("orders:guest", "key-1", {"q": 1}, work)
    assert first[0] == 201 and second == (200, first[1]) and len(calls) == 1  # a replay answers 200
    assert Order.objects.count() == 1
    with pytest.raises(DomainError) as error:
        run_once("orders:guest", "key-1", {"q": 2}, work)
    assert error.value.code == "idempotency_key_reused"
    assert IdempotencyRecord.objects.count() == 1


def test_a_refused_request_is_not_remembered_under_its_key(world):
    def work():
        w.checkout(world, 99)
        return 201, {}

    for _attempt in range(2):
        with pytest.raises(DomainError):
            run_once("orders:guest", "key-2", {"q": 99}, work)
    assert IdempotencyRecord.objects.count() == 0


def test_an_order_keeps_its_checkout_rate_when_the_agreement_ends_before_payment(world):
    from ocophub.inventory import services as inventory

    order = w.checkout(world, 1)
    inventory.agreement_move(actor=None, agreement=world.agreement_a, to_state="ended", reason="hết hợp đồng")
    services.order_pay(actor=world.staff_a, order=order)
    sale = Sale.objects.get(order=order)
    assert sale.lines.get().commission_rate == world.agreement_a.commission_rate
    assert sale.client_uuid != order.token


def test_refunding_a_shipped_order_does_not_put_goods_back_on_the_shelf(world):
    order = w.checkout(
        world,
        2,
        fulfilment="delivery",
        address="12 Hàng Bạc",
        commune=world.center_b.commune,
    )
    services.order_pay(actor=world.staff_a, order=order)
    services.order_move(actor=world.staff_a, order=order, to_state="shipped")
    services.order_refund(actor=world.manager_a, order=order, reason="thất lạc khi giao")
    assert _stock(world) == (18, 0)


def test_an_online_order_not_handed_over_is_not_returned_at_the_counter(world):
    order = w.checkout(world, 1)
    services.order_pay(actor=world.staff_a, order=order)
    sale = Sale.objects.get(order=order)
    services.shift_open(actor=world.staff_a, center=world.center_a, opening_float=0)
    with pytest.raises(Conflict) as error:
        services.return_create(actor=world.staff_a, sale=sale, lines={sale.lines.get().pk: 1}, reason="đổi")
    assert error.value.code == "order_not_completed"


def test_goods_of_a_lot_that_expired_while_held_are_not_sold(world):
    from ocophub.inventory import services as inventory

    today = timezone.localdate()
    inventory.stock_receive(
        actor=None, center=world.center_a, product=world.tea, quantity=3, lot_code="T-SOON", expires_on=today
    )
    order = w.checkout(world, 1, lines=[services.LineIn(world.tea.pk, 2)])
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)), pytest.raises(DomainError) as error:
        services.order_pay(actor=world.staff_a, order=order)
    assert error.value.code == "expired"
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
