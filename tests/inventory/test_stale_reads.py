"""A buyer who read the shelf just before another buyer took from it.

The conditional UPDATE (`on_hand >= reserved + n`, its row count checked), not the order in which the
database runs transactions, is what keeps a center from selling goods it no longer has. On SQLite,
IMMEDIATE transactions queue writers, so threads alone never interleave there and the 50-buyer tests
would pass without the guard; here the second buyer acts between the first buyer's read of the shelf
and its write, step by step, on every database. Without the guard the first buyer's write would take
the row below zero (the database refuses it) or below what is held for orders.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from ocophub.inventory import services
from ocophub.inventory.models import Movement, Stock
from ocophub.inventory.services import SoldOut

from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build(on_hand=10)


@contextmanager
def between_read_and_write(other_buyer: Callable[[], Any]) -> Iterator[None]:
    """Run `other_buyer` right after the next read of the shelf (a SELECT of stock rows)."""
    state = {"done": False}

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if not state["done"] and sql.lstrip().upper().startswith("SELECT") and '"inventory_stock"' in sql:
            state["done"] = True
            other_buyer()
        return result

    with connection.execute_wrapper(wrapper):
        yield
    assert state["done"], "the shelf was never read"


def _ledger_sum(stock: Stock) -> tuple[int, int]:
    totals = Movement.objects.filter(stock=stock).aggregate(
        on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta")
    )
    return totals["on_hand"] or 0, totals["reserved"] or 0


def _sell(world: Any, quantity: int, product: Any = None) -> Any:
    return services.stock_sell(
        actor=None, center=world.center_a, product=product or world.bowl, quantity=quantity, reference="t"
    )


def test_a_sale_that_read_a_full_shelf_is_refused_after_another_took_from_it(world):
    # The other buyer runs inside the first one's transaction, so the refusal undoes both; what
    # matters is that the first buyer is told the goods are gone instead of the row going below zero.
    with between_read_and_write(lambda: _sell(world, 4)), pytest.raises(SoldOut):
        _sell(world, 10)
    stock = Stock.objects.get(pk=world.stock_a.pk)
    assert stock.on_hand >= 0 and _ledger_sum(stock) == (stock.on_hand, stock.reserved)


def test_a_hold_that_read_a_full_shelf_is_refused_after_another_took_from_it(world):
    def reserve(quantity: int) -> Any:
        return services.stock_reserve(
            actor=None, center=world.center_a, product=world.bowl, quantity=quantity, reference="t"
        )

    with between_read_and_write(lambda: reserve(7)), pytest.raises(SoldOut):
        reserve(5)
    stock = Stock.objects.get(pk=world.stock_a.pk)
    assert stock.reserved <= stock.on_hand and _ledger_sum(stock) == (stock.on_hand, stock.reserved)


def test_a_sale_moves_on_to_the_next_lot_when_another_buyer_emptied_the_first(world):
    soon, later = dt.date.today() + dt.timedelta(days=20), dt.date.today() + dt.timedelta(days=90)
    first = services.stock_receive(
        actor=None, center=world.center_a, product=world.tea, quantity=5, lot_code="L1", expires_on=soon
    )
    second = services.stock_receive(
        actor=None, center=world.center_a, product=world.tea, quantity=5, lot_code="L2", expires_on=later
    )
    with between_read_and_write(lambda: _sell(world, 5, world.tea)):
        allocations = _sell(world, 5, world.tea)
    assert [(a.stock_id, a.quantity) for a in allocations] == [(second.pk, 5)]
    assert Stock.objects.get(pk=first.pk).on_hand == 0
    assert Stock.objects.get(pk=second.pk).on_hand == 0
    assert _ledger_sum(first) == (0, 0) and _ledger_sum(second) == (0, 0)


def test_an_adjustment_of_a_stale_row_cannot_take_the_shelf_below_zero(world):
    stale = Stock.objects.get(pk=world.stock_a.pk)  # read while 10 were on the shelf
    _sell(world, 8)
    with pytest.raises(SoldOut):
        services.stock_adjust(actor=None, stock=stale, delta=-5, reason="Vỡ khi trưng bày")
    stock = Stock.objects.get(pk=world.stock_a.pk)
    assert stock.on_hand == 2 and _ledger_sum(stock) == (2, 0)
