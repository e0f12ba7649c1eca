"""Acceptance: POST /orders honours Idempotency-Key — one order per key and body, 422 for another body."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from ocophub.common.models import IdempotencyRecord
from ocophub.inventory.models import Stock
from ocophub.sales.models import Order

from . import world as selling


@pytest.fixture
def world(loaded_places):
    return selling.build()


def _body(world, quantity: int = 2) -> dict:
    return {
        "center_id": world.center_a.pk,
        "lines": [{"product_id": world.bowl.pk, "quantity": quantity}],
        "name": "Phạm Quốc Anh",
        "email": "anh@example.vn",
        "phone": "0903123456",
        "fulfilment": "pickup",
    }


def _post(client: Client, body: dict, key: str | None, **headers: str):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/api/v1/orders", body, content_type="application/json", headers=headers)


def test_the_same_key_and_body_twice_make_one_order_and_the_same_answer(world):
    client = Client()
    first = _post(client, _body(world), "3f1c0b7e-order-1")
    second = _post(client, _body(world), "3f1c0b7e-order-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.content == second.content
    assert Order.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).reserved == 2


def test_the_same_key_with_another_body_is_422_and_makes_nothing(world):
    client = Client()
    assert _post(client, _body(world, 2), "key-2").status_code == 201
    other = _post(client, _body(world, 3), "key-2")
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["code"] == "idempotency_key_reused" and error["message"]
    assert "Idempotency-Key" in error["fields"]
    assert Order.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).reserved == 2


def test_without_a_key_each_post_is_a_new_order(world):
    client = Client()
    assert _post(client, _body(world), None).status_code == 201
    assert _post(client, _body(world), None).status_code == 201
    assert Order.objects.count() == 2


def test_a_refused_order_records_nothing_and_the_key_stays_free(world):
    client = Client()
    sold_out = _post(client, _body(world, 21), "key-3")
    assert sold_out.status_code == 409
    assert not IdempotencyRecord.objects.filter(key="key-3").exists()
    assert _post(client, _body(world, 2), "key-3").status_code == 201


def test_keys_belong_to_their_caller(world, customer):
    guest = _post(Client(), _body(world), "shared-key")
    signed_in = Client()
    signed_in.force_login(customer)
    mine = _post(signed_in, _body(world), "shared-key")
    assert guest.status_code == mine.status_code == 201
    assert guest.json()["number"] != mine.json()["number"]
    assert Order.objects.filter(customer=customer).count() == 1 and Order.objects.count() == 2


def test_a_key_longer_than_allowed_is_refused(world):
    response = _post(Client(), _body(world), "k" * 201)
    assert response.status_code == 422 and Order.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_racing_retries_with_one_key_make_one_order(loaded_places):
    """Retries sent at once (each in its own thread and connection) all get the first order's answer:
    the one that placed it with 201, the others with 200."""
    world = selling.build()
    retries = 6
    barrier = threading.Barrier(retries)
    answers: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def retry() -> None:
        try:
            barrier.wait()
            response = _post(Client(), _body(world), "racing-key")
            with lock:
                answers.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(retries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert len(answers) == retries and len({content for _, content in answers}) == 1, answers
    assert sorted(status for status, _ in answers) == [200] * (retries - 1) + [201]
    assert Order.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).reserved == 2
