"""Settlements add up to the đồng: net = gross − returns − Σ round-half-up((sales − returns) × rate)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.utils import timezone

from ocophub.catalogue import services as catalogue
from ocophub.common.errors import DomainError
from ocophub.inventory import services as inventory
from ocophub.sales import services
from ocophub.sales.models import ReturnLine, SaleLine, Settlement
from ocophub.sales.services.settlements import commission_for

from . import world as w

pytestmark = pytest.mark.django_db

ZONE = timezone.get_fixed_timezone(7 * 60)


def _at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE), tick=False)


def _month(months_back: int) -> tuple[dt.date, dt.date]:
    first = timezone.localdate().replace(day=1)
    for _step in range(months_back):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


@pytest.fixture
def world(loaded_places):
    return w.build(on_hand=200, rate="0.1500")


def test_commission_rounds_half_up_per_rate():
    # 12.345 × 15% = 1.851,75 → 1.852; 10.010 × 12,5% = 1.251,25 → 1.251; 5 × 10% = 0,5 → 1
    assert commission_for({Decimal("0.15"): {"gross": 12_345, "returns": 0}}) == 1_852
    assert commission_for({Decimal("0.125"): {"gross": 10_010, "returns": 0}}) == 1_251
    assert commission_for({Decimal("0.1"): {"gross": 5, "returns": 0}}) == 1
    assert commission_for({Decimal("0.1"): {"gross": 15, "returns": 10}}) == 1


def test_a_settlement_equals_its_sales_less_returns_less_commission(world):
    odd = catalogue.product_save(actor=None, product=world.bowl, list_price=123_457)
    start, end = _month(1)
    with _at(start + dt.timedelta(days=2)):
        first = w.counter_sale(world, 3, seller=world.staff_a)
        inventory.stock_receive(actor=None, center=world.center_a, product=odd, quantity=1)
    with _at(start + dt.timedelta(days=10)):
        second = w.counter_sale(world, 2, method="card")
        services.return_create(
            actor=world.staff_a, sale=first, lines={first.lines.get().pk: 1}, reason="khách trả lại"
        )
    with _at(end, hour=23):  # late evening of the last day, local time, still in the period
        w.counter_sale(world, 1, method="transfer")
    with _at(end + dt.timedelta(days=1), hour=0):  # just after: the next period
        w.counter_sale(world, 4, method="card")

    settlement = services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=start,
        period_end=end,
    )

    lines = list(SaleLine.objects.filter(settlement=settlement))
    returns = list(ReturnLine.objects.filter(settlement=settlement))
    gross = sum(line.amount for line in lines)
    back = sum(line.amount for line in returns)
    expected_commission = int(((gross - back) * Decimal("0.15")).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert sum(line.quantity for line in lines) == settlement.units_sold == 6
    assert (settlement.gross, settlement.returns, settlement.units_returned) == (gross, back, 1)
    assert gross == 6 * 123_457 and back == 123_457
    assert settlement.commission == expected_commission == 92_593  # 617.285 × 15% = 92.592,75
    assert settlement.net == gross - back - expected_commission == 524_692
    assert {line.sale_id for line in lines} >= {first.pk, second.pk}


def test_a_late_return_goes_into_the_next_period(world):
    previous, current = _month(2), _month(1)
    with _at(previous[0] + dt.timedelta(days=5)):
        sale = w.counter_sale(world, 2)
    first = services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=previous[0],
        period_end=previous[1],
    )
    services.settlement_accept(actor=world.member_a, settlement=first)
    with _at(current[0] + dt.timedelta(days=3)):
        services.return_create(
            actor=world.staff_a, sale=sale, lines={sale.lines.get().pk: 1}, reason="lỗi men"
        )

    first.refresh_from_db()
    assert (first.units_sold, first.returns) == (2, 0)  # the accepted statement does not change
    second = services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=current[0],
        period_end=current[1],
    )
    assert (second.units_sold, second.units_returned, second.returns) == (0, 1, 150_000)
    assert second.net == -150_000 + 22_500  # the commission on a returned sale is given back


def test_overlapping_and_unfinished_periods_are_refused(world):
    start, end = _month(1)
    services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=start,
        period_end=end,
    )
    for period in ((start + dt.timedelta(days=5), end + dt.timedelta(days=3)), (start, timezone.localdate())):
        with pytest.raises(DomainError):
            services.settlement_create(
                actor=world.manager_a,
                producer=world.producer_a,
                center=world.center_a,
                period_start=period[0],
                period_end=period[1],
            )
    with pytest.raises(DomainError):
        services.settlement_create(
            actor=world.manager_a,
            producer=world.producer_a,
            center=world.center_a,
            period_start=end,
            period_end=start,
        )
    assert Settlement.objects.count() == 1


def test_cancelling_an_issued_settlement_frees_its_sales(world):
    start, end = _month(1)
    with _at(start + dt.timedelta(days=1)):
        w.counter_sale(world, 1)
    settlement = services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=start,
        period_end=end,
    )
    services.settlement_cancel(actor=world.manager_a, settlement=settlement, reason="sai kỳ")
    assert not SaleLine.objects.filter(settlement__isnull=False).exists()
    again = services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=start,
        period_end=end,
    )
    assert again.units_sold == 1


def test_payout_follows_acceptance(world):
    start, end = _month(1)
    settlement = services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=start,
        period_end=end,
    )
    with pytest.raises(DomainError):
        services.settlement_pay(
            actor=world.manager_a, settlement=settlement, paid_on=timezone.localdate(), reference="FT1"
        )
    services.settlement_accept(actor=world.member_a, settlement=settlement)
    with pytest.raises(DomainError):
        services.settlement_cancel(actor=world.manager_a, settlement=settlement, reason="muộn")
    paid = services.settlement_pay(
        actor=world.manager_a, settlement=settlement, paid_on=timezone.localdate(), reference="FT26110001"
    )
    assert (paid.state, paid.payout_reference) == ("paid", "FT26110001")
    assert list(paid.events.order_by("pk").values_list("to_state", flat=True)) == [
        "issued",
        "accepted",
        "paid",
    ]
