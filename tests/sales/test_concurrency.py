"""Fifty buyers for the last ten units, each in its own thread with its own database connection.

Runs on whichever database the suite runs on (file-backed SQLite or PostgreSQL): exactly ten succeed,
the other forty are told it is sold out, stock ends at zero and the ledger sums to the stock.
"""

import threading
import uuid
from collections import Counter

import pytest
from django.db import close_old_connections, connection

from ocophub.common.errors import DomainError
from ocophub.inventory import selectors as inventory_selectors
from ocophub.inventory.models import Stock
from ocophub.sales import services
from ocophub.sales.models import Order, Sale, SaleLine

from . import world as w

BUYERS = 50
LAST_UNITS = 10


def _race(work) -> Counter:
    """Start every buyer at once; each returns "ok" or the error code it got."""
    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buyer(n: int) -> None:
        try:
            barrier.wait()
            try:
                work(n)
                outcome = "ok"
            except DomainError as error:
                outcome = error.code
            except Exception as error:  # anything else is a server error: the test must show it
                outcome = f"crash: {type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return Counter(outcomes)


def _assert_ledger_matches(stock_id: int) -> None:
    stock = Stock.objects.get(pk=stock_id)
    assert inventory_selectors.ledger_totals([stock_id])[stock_id] == (stock.on_hand, stock.reserved)


@pytest.mark.django_db(transaction=True)
def test_fifty_online_buyers_for_the_last_ten_units(loaded_places):
    world = w.build(on_hand=LAST_UNITS)

    def order(n: int) -> None:
        services.order_place(
            actor=None,
            data=services.Checkout(
                center_id=world.center_a.pk,
                lines=[services.LineIn(world.bowl.pk, 1)],
                name=f"Khách {n}",
                email=f"khach{n}@example.vn",
                phone="0912345678",
            ),
        )

    outcomes = _race(order)

    assert outcomes == Counter({"ok": LAST_UNITS, "sold_out": BUYERS - LAST_UNITS}), outcomes
    assert Order.objects.count() == LAST_UNITS
    stock = Stock.objects.get(pk=world.stock_a.pk)
    assert (stock.on_hand, stock.reserved, stock.available) == (LAST_UNITS, LAST_UNITS, 0)
    _assert_ledger_matches(stock.pk)


@pytest.mark.django_db(transaction=True)
def test_fifty_checkouts_of_one_contact_at_once_keep_to_its_open_orders(loaded_places, settings):
    """Each checkout counts the contact's unpaid orders once the one before it at the center wrote its own."""
    settings.ORDER_MAX_OPEN_PER_CONTACT = 3
    world = w.build(on_hand=BUYERS)

    def order(n: int) -> None:
        services.order_place(
            actor=None,
            data=services.Checkout(
                center_id=world.center_a.pk,
                lines=[services.LineIn(world.bowl.pk, 1)],
                name=f"Khách {n}",
                email=f"khach{n}@example.vn",
                phone="0912345678",  # one contact, by phone
            ),
        )

    outcomes = _race(order)

    assert outcomes == Counter({"ok": 3, "too_many_open_orders": BUYERS - 3}), outcomes
    assert Order.objects.count() == 3
    assert Stock.objects.get(pk=world.stock_a.pk).reserved == 3


@pytest.mark.django_db(transaction=True)
def test_fifty_counter_sales_for_the_last_ten_units(loaded_places):
    world = w.build(on_hand=LAST_UNITS)
    services.shift_open(actor=world.staff_a, center=world.center_a, opening_float=0)

    def sell(n: int) -> None:
        services.sale_create(
            actor=world.staff_a,
            center=world.center_a,
            client_uuid=uuid.uuid4(),
            lines=[services.LineIn(world.bowl.pk, 1)],
            method="card",
        )

    outcomes = _race(sell)

    assert outcomes == Counter({"ok": LAST_UNITS, "sold_out": BUYERS - LAST_UNITS}), outcomes
    assert Sale.objects.count() == LAST_UNITS
    assert sum(SaleLine.objects.values_list("quantity", flat=True)) == LAST_UNITS
    stock = Stock.objects.get(pk=world.stock_a.pk)
    assert (stock.on_hand, stock.reserved) == (0, 0)
    _assert_ledger_matches(stock.pk)


@pytest.mark.django_db(transaction=True)
def test_one_till_retrying_one_sale_from_many_threads_books_it_once(loaded_places):
    world = w.build(on_hand=LAST_UNITS)
    services.shift_open(actor=world.staff_a, center=world.center_a, opening_float=0)
    same = uuid.uuid4()

    def retry(n: int) -> None:
        services.sale_create(
            actor=world.staff_a,
            center=world.center_a,
            client_uuid=same,
            lines=[services.LineIn(world.bowl.pk, 2)],
            method="cash",
            tendered=300_000,
        )

    outcomes = _race(retry)

    assert outcomes == Counter({"ok": BUYERS}), outcomes
    assert Sale.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == LAST_UNITS - 2
