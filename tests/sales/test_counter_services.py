import uuid

import pytest

from ocophub.common.errors import DomainError
from ocophub.inventory.models import Movement, Stock
from ocophub.sales import services
from ocophub.sales.models import Payment, Refund, Return, Sale, SaleLine

from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


@pytest.fixture
def shift(world):
    return services.shift_open(actor=world.staff_a, center=world.center_a, opening_float=1_000_000)


def _sell(world, quantity=1, **kwargs):
    kwargs.setdefault("method", "cash")
    sale, _created = services.sale_create(
        actor=world.staff_a,
        center=world.center_a,
        client_uuid=kwargs.pop("client_uuid", uuid.uuid4()),
        lines=kwargs.pop("lines", [services.LineIn(world.bowl.pk, quantity)]),
        **kwargs,
    )
    return sale


def _written() -> tuple[int, ...]:
    return (Sale.objects.count(), SaleLine.objects.count(), Payment.objects.count(), Movement.objects.count())


def test_cash_sale_records_tendered_and_change(world, shift):
    sale = _sell(world, 2, tendered=500_000)
    payment = sale.payments.get()
    assert (sale.total, payment.amount, payment.tendered, payment.change) == (
        300_000,
        300_000,
        500_000,
        200_000,
    )
    assert sale.number.startswith("HD-")
    line = sale.lines.get()
    assert (line.producer_id, line.commission_rate) == (
        world.producer_a.pk,
        world.agreement_a.commission_rate,
    )


def test_cash_below_the_total_is_refused_and_nothing_is_written(world, shift):
    before = _written()
    with pytest.raises(DomainError) as error:
        _sell(world, 2, tendered=200_000)
    assert "tendered" in error.value.fields
    assert _written() == before
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 20


def test_selling_needs_an_open_shift(world):
    with pytest.raises(DomainError) as error:
        _sell(world)
    assert error.value.code == "no_shift"


def test_a_retried_sale_with_the_same_client_id_is_booked_once(world, shift):
    key = uuid.uuid4()
    first = _sell(world, 2, client_uuid=key, method="card")
    again, created = services.sale_create(
        actor=world.staff_a,
        center=world.center_a,
        client_uuid=key,
        lines=[services.LineIn(world.bowl.pk, 1), services.LineIn(world.bowl.pk, 1)],
        method="card",
    )
    assert (again.pk, created) == (first.pk, False)
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 18
    with pytest.raises(DomainError) as error:
        _sell(world, 3, client_uuid=key, method="card")
    assert error.value.code == "uuid_reused"


@pytest.mark.parametrize("quantity", [0, -1])
def test_zero_and_negative_quantities_are_refused(world, shift, quantity):
    before = _written()
    with pytest.raises(DomainError):
        _sell(world, quantity)
    assert _written() == before


def test_goods_without_an_agreement_cannot_be_sold(world, shift):
    other = w.make_product(world.producer_b, "Miến dong", 40_000, "8930000000033")
    with pytest.raises(DomainError) as error:
        _sell(world, lines=[services.LineIn(other.pk, 1)])
    assert error.value.code == "sold_out"  # agreement exists for B at A, but no stock was received


def test_return_against_a_receipt_refunds_and_restocks(world, shift):
    sale = _sell(world, 3, tendered=450_000)
    line = sale.lines.get()
    ret = services.return_create(actor=world.staff_a, sale=sale, lines={line.pk: 2}, reason="khách đổi ý")
    assert ret.amount == 300_000
    assert sum(r.amount for r in Refund.objects.filter(ret=ret)) == 300_000
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 20 - 3 + 2
    with pytest.raises(DomainError):
        services.return_create(actor=world.staff_a, sale=sale, lines={line.pk: 2}, reason="lần nữa")
    assert Return.objects.count() == 1


def test_a_refund_larger_than_what_was_paid_is_refused(world, shift):
    sale = _sell(world, 1, tendered=150_000)
    services.shift_open(actor=world.manager_a, center=world.center_a, opening_float=200_000)
    services.refund_create(actor=world.manager_a, sale=sale, amount=50_000, reason="giảm giá")
    before = Refund.objects.count()
    with pytest.raises(DomainError) as error:
        services.refund_create(actor=world.manager_a, sale=sale, amount=100_001, reason="quá tay")
    assert error.value.code == "refund_too_large"
    assert Refund.objects.count() == before
    assert services.payments.refunded(sale) == 50_000


def test_closing_a_shift_computes_expected_cash_and_variance(world, shift):
    _sell(world, 2, tendered=500_000)  # cash 300.000
    _sell(world, 1, method="card")  # not cash
    sale = _sell(world, 1, tendered=150_000)
    services.return_create(actor=world.staff_a, sale=sale, lines={sale.lines.get().pk: 1}, reason="lỗi")
    closed = services.shift_close(actor=world.staff_a, shift=shift, counted_cash=1_290_000)
    assert closed.expected_cash == 1_000_000 + 300_000 + 150_000 - 150_000
    assert closed.variance == -10_000
    with pytest.raises(DomainError):
        services.shift_close(actor=world.staff_a, shift=shift, counted_cash=0)


def test_one_open_shift_per_cashier_and_center(world, shift):
    with pytest.raises(DomainError):
        services.shift_open(actor=world.staff_a, center=world.center_a, opening_float=0)
    with pytest.raises(DomainError):
        services.shift_open(actor=world.staff_b, center=world.center_b, opening_float=-1)


def test_cash_paid_back_without_goods_leaves_the_drawer_of_the_shift(world, shift):
    sale = _sell(world, 1, tendered=150_000)
    _approval, code = services.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=50_000)
    services.refund_create(
        actor=world.staff_a, sale=sale, amount=50_000, reason="giảm giá", approval_code=code
    )
    assert services.expected_cash(shift) == 1_000_000 + 150_000 - 50_000


def test_cash_cannot_be_paid_back_by_someone_without_an_open_shift(world, shift):
    sale = _sell(world, 1, tendered=150_000)
    before = (Return.objects.count(), Refund.objects.count(), Stock.objects.get(pk=world.stock_a.pk).on_hand)
    with pytest.raises(DomainError) as error:
        services.return_create(actor=world.manager_a, sale=sale, lines={sale.lines.get().pk: 1}, reason="lỗi")
    assert error.value.code == "no_shift"
    after = (Return.objects.count(), Refund.objects.count(), Stock.objects.get(pk=world.stock_a.pk).on_hand)
    assert after == before


def test_goods_still_come_back_after_part_of_the_money_was_refunded(world, shift):
    sale = _sell(world, 2, method="card")
    services.refund_create(actor=world.manager_a, sale=sale, amount=10_000, reason="trầy xước")
    ret = services.return_create(actor=world.staff_a, sale=sale, lines={sale.lines.get().pk: 2}, reason="trả")
    assert ret.amount == 300_000  # the goods' value, settled against the producer
    assert services.payments.refunded(sale) == services.payments.paid(sale) == 300_000
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 20
