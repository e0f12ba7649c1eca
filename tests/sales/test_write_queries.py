"""A counter sale and an online order run a small, fixed number of queries, whatever their lines.

The tests run in real transactions, as a request does (the confirmation mail and the job that
releases the hold run on commit, and count). Statements that only open or close a transaction (SQLite's
BEGIN and COMMIT; PostgreSQL sends none we see) are counted apart: `statements` is what reads or writes.
"""

import datetime as dt
import uuid

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ocophub.common.dates import local_today
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Movement, MovementKind, Stock
from ocophub.sales import services as sales
from ocophub.sales.models import OrderLine, SaleLine

from . import world as selling

# for an online order, this counts the read after its commit that finds the center's staff to tell
MAX_WRITE_QUERIES = 12


@pytest.fixture
def world(loaded_places):
    world = selling.build(on_hand=20)
    products = [world.bowl, world.tea]
    for n in range(3):
        producer = world.producer_a if n % 2 else world.producer_b
        products.append(selling.make_product(producer, f"Sản phẩm thử {n}", 10_000 * (n + 1), ""))
    soon = local_today() + dt.timedelta(days=10)
    later = local_today() + dt.timedelta(days=40)
    for product in products[1:]:
        # two lots each: the one expiring first holds 2 units, so that 3 units take both
        inventory.stock_receive(
            actor=None, center=world.center_a, product=product, quantity=2, lot_code="A", expires_on=soon
        )
        inventory.stock_receive(
            actor=None, center=world.center_a, product=product, quantity=20, lot_code="B", expires_on=later
        )
    world.products = products
    return world


def _lines(world, count: int) -> list[dict[str, int]]:
    return [{"product_id": product.pk, "quantity": 3} for product in world.products[:count]]


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


class Statements(list):
    """The SQL a call ran, without the statements that only open or close a transaction."""


def _captured(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    statements = Statements(
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    )
    return response, statements


def _sale(api, world, count: int):
    body = {"center_id": world.center_a.pk, "client_uuid": str(uuid.uuid4()), "lines": _lines(world, count)}
    return _captured(lambda: api.call("post", "/api/v1/sales", {**body, "method": "cash"}))


def _order(world, count: int, key: str, *, idempotency: bool = False):
    body = {
        "center_id": world.center_a.pk,
        "lines": _lines(world, count),
        "name": "Lê Thu Hà",
        "email": f"{key}@example.vn",
        "phone": "0912 345 678",
    }
    headers = {"Idempotency-Key": key} if idempotency else {}
    client = Client()
    return _captured(
        lambda: client.post("/api/v1/orders", body, content_type="application/json", headers=headers)
    )


def _sqls(statements) -> str:
    return "\n".join(sql[:120] for sql in statements)


@pytest.mark.django_db(transaction=True)
def test_a_counter_sale_runs_the_same_few_queries_for_one_line_and_five(api, world):
    sales.shift_open(actor=world.staff_a, center=world.center_a, opening_float=500_000)
    # a token's last use is written at most once a minute: the first call writes it, the next ones not
    assert api.as_user(world.staff_a).call("get", "/api/v1/shifts").status_code == 200
    one, one_queries = _sale(api, world, 1)
    five, five_queries = _sale(api, world, 5)
    assert (one.status_code, five.status_code) == (201, 201), five.content
    # the bowl is one undated lot; each of the others takes 2 units from lot A and 1 from lot B
    assert SaleLine.objects.count() == 1 + 1 + 2 * 4
    assert len(five_queries) == len(one_queries) <= MAX_WRITE_QUERIES, _sqls(five_queries)


@pytest.mark.django_db(transaction=True)
def test_an_online_order_runs_the_same_few_queries_for_one_line_and_five(world):
    one, one_queries = _order(world, 1, "mot")
    five, five_queries = _order(world, 5, "nam")
    assert (one.status_code, five.status_code) == (201, 201), five.content
    assert OrderLine.objects.count() == 1 + 1 + 2 * 4
    assert len(five_queries) == len(one_queries) <= MAX_WRITE_QUERIES, _sqls(five_queries)


@pytest.mark.django_db(transaction=True)
def test_an_order_with_an_idempotency_key_adds_only_its_record_whatever_its_lines(world):
    one, one_queries = _order(world, 1, "mot", idempotency=True)
    five, five_queries = _order(world, 5, "nam", idempotency=True)
    assert (one.status_code, five.status_code) == (201, 201), five.content
    # the record is looked for, then written with the order
    assert len(five_queries) == len(one_queries) <= MAX_WRITE_QUERIES + 2, _sqls(five_queries)


def test_a_short_lot_in_a_many_line_sale_writes_nothing(api, world):
    sales.shift_open(actor=world.staff_a, center=world.center_a, opening_float=500_000)
    lines = _lines(world, 5)
    lines[-1]["quantity"] = 23
    body = {
        "center_id": world.center_a.pk,
        "client_uuid": str(uuid.uuid4()),
        "lines": lines,
        "method": "cash",
    }
    before = list(Stock.objects.order_by("pk").values_list("on_hand", "reserved"))
    movements = Movement.objects.count()
    response = api.as_user(world.staff_a).call("post", "/api/v1/sales", body)
    assert response.status_code == 409 and response.json()["error"]["code"] == "sold_out"
    assert "22" in response.json()["error"]["message"]
    assert list(Stock.objects.order_by("pk").values_list("on_hand", "reserved")) == before
    assert Movement.objects.count() == movements and SaleLine.objects.count() == 0


def test_a_lot_taken_between_the_read_and_the_update_changes_nothing_and_the_sale_reads_again(world):
    tea = world.products[1]
    stale = inventory.sellable_lots(world.center_a.pk, [tea.pk])
    # another buyer empties the first lot (2 units) after our read
    inventory.stock_sell(actor=None, center=world.center_a, product=tea, quantity=2, reference="meanwhile")
    before = list(Stock.objects.filter(product=tea).order_by("pk").values_list("on_hand", "reserved"))
    movements = Movement.objects.count()
    with pytest.raises(inventory.Contended), transaction.atomic():
        inventory.stock_take_lots(
            actor=None,
            center_id=world.center_a.pk,
            wanted={tea.pk: 3},
            lots=stale,
            kind=MovementKind.SOLD,
            reference="stale",
        )
    assert list(Stock.objects.filter(product=tea).order_by("pk").values_list("on_hand", "reserved")) == before
    assert Movement.objects.count() == movements
    sales.shift_open(actor=world.staff_a, center=world.center_a, opening_float=0)
    sale, created = sales.sale_create(
        actor=world.staff_a,
        center=world.center_a,
        client_uuid=uuid.uuid4(),
        lines=[sales.LineIn(tea.pk, 3)],
        method="card",
    )
    assert created and [(line.stock.lot.code, line.quantity) for line in sale.lines.all()] == [("B", 3)]
