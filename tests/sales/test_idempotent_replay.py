"""A replayed Idempotency-Key answers 200 with the first answer, however the replays interleave.

Each request runs in its own thread with its own database connection, on whichever database the suite
runs on. The interleaving that matters is forced, not hoped for: the first request is held inside its
transaction, after its work and before it records its answer, until a replay has looked for that
record and found none; the replay then does the work again, loses to the first on commit and answers
with what the first recorded.
"""

import threading
import uuid
from collections import Counter

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from ocophub.common.models import IdempotencyRecord
from ocophub.inventory.models import Stock
from ocophub.sales import services as sales
from ocophub.sales.models import Order, Sale

from ..conftest import bearer
from . import world as selling

RECORDS = IdempotencyRecord._meta.db_table
WAIT = 30  # seconds; only reached when a request is stuck, which fails the test


def _sale_body(world) -> dict:
    return {
        "center_id": world.center_a.pk,
        "client_uuid": str(uuid.uuid4()),
        "lines": [{"product_id": world.bowl.pk, "quantity": 2}],
        "method": "cash",
    }


def _order_body(world) -> dict:
    return {
        "center_id": world.center_a.pk,
        "lines": [{"product_id": world.bowl.pk, "quantity": 2}],
        "name": "Phạm Quốc Anh",
        "email": "anh@example.vn",
        "phone": "0903123456",
        "fulfilment": "pickup",
    }


def _post(path: str, body: dict, headers: dict[str, str]):
    return Client().post(path, body, content_type="application/json", headers=headers)


def _first_held_until_a_replay_looked(path: str, body: dict, headers: dict[str, str]) -> list:
    """The first request and one replay, interleaved as the module docstring says; their responses."""
    first_did_its_work = threading.Event()
    replay_found_no_record = threading.Event()
    responses: dict[str, object] = {}
    errors: list[BaseException] = []

    def hold_before_recording(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("INSERT") and RECORDS in sql:
            first_did_its_work.set()
            assert replay_found_no_record.wait(WAIT), "the replay never looked for the record"
        return execute(sql, params, many, context)

    def note_the_lookup(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("SELECT") and RECORDS in sql:
            replay_found_no_record.set()
        return result

    def run(name: str, wrapper) -> None:  # type: ignore[no-untyped-def]
        try:
            if name == "replay":
                assert first_did_its_work.wait(WAIT), "the first request never reached its record"
            with connection.execute_wrapper(wrapper):
                responses[name] = _post(path, body, headers)
        except BaseException as error:  # shown by the test below, never swallowed
            errors.append(error)
            first_did_its_work.set()
            replay_found_no_record.set()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", hold_before_recording)),
        threading.Thread(target=run, args=("replay", note_the_lookup)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert not errors, errors
    return [responses["first"], responses["replay"]]


@pytest.mark.django_db(transaction=True)
def test_a_sale_replayed_while_the_first_is_still_recording_answers_200_with_the_first_receipt(
    loaded_places,
):
    world = selling.build()
    sales.shift_open(actor=world.staff_a, center=world.center_a, opening_float=500_000)
    headers = {**bearer(world.staff_a), "Idempotency-Key": "till-1-race"}
    first, replay = _first_held_until_a_replay_looked("/api/v1/sales", _sale_body(world), headers)
    assert (first.status_code, replay.status_code) == (201, 200), (first.content, replay.content)
    assert replay.content == first.content
    assert Sale.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 18


@pytest.mark.django_db(transaction=True)
def test_an_order_replayed_while_the_first_is_still_recording_answers_200_with_the_first_order(
    loaded_places,
):
    world = selling.build()
    headers = {"Idempotency-Key": "order-race"}
    first, replay = _first_held_until_a_replay_looked("/api/v1/orders", _order_body(world), headers)
    assert (first.status_code, replay.status_code) == (201, 200), (first.content, replay.content)
    assert replay.content == first.content
    assert Order.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).reserved == 2


REPLAYS = 50


def _replays_at_once(path: str, body: dict, headers: dict[str, str]) -> list[tuple[int, bytes]]:
    barrier = threading.Barrier(REPLAYS)
    answers: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def replay() -> None:
        try:
            barrier.wait()
            response = _post(path, body, headers)
            with lock:
                answers.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=replay) for _ in range(REPLAYS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return answers


@pytest.mark.django_db(transaction=True)
def test_fifty_replays_of_one_sale_at_once_make_one_sale_one_201_and_the_rest_200(loaded_places):
    world = selling.build()
    sales.shift_open(actor=world.staff_a, center=world.center_a, opening_float=500_000)
    headers = {**bearer(world.staff_a), "Idempotency-Key": "till-1-burst"}
    answers = _replays_at_once("/api/v1/sales", _sale_body(world), headers)
    assert Counter(status for status, _ in answers) == Counter({201: 1, 200: REPLAYS - 1}), answers
    assert len({content for _, content in answers}) == 1
    assert Sale.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 18


@pytest.mark.django_db(transaction=True)
def test_fifty_replays_of_one_order_at_once_make_one_order_one_201_and_the_rest_200(loaded_places):
    world = selling.build()
    answers = _replays_at_once("/api/v1/orders", _order_body(world), {"Idempotency-Key": "order-burst"})
    assert Counter(status for status, _ in answers) == Counter({201: 1, 200: REPLAYS - 1}), answers
    assert len({content for _, content in answers}) == 1
    assert Order.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).reserved == 2
