"""Thirty visitors at once over the API for ten seats, and one Idempotency-Key sent by several retries at
once: each in its own thread, database connection and HTTP client. Runs on whichever database the suite
runs on (file-backed SQLite or PostgreSQL)."""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from ocophub.events.models import Registration
from ocophub.seats import selectors as seats

from . import world as w

URL = "/api/v1/events/registrations"


def _race(work: Callable[[int], int], people: int) -> Counter:
    barrier = threading.Barrier(people)
    statuses: list[int | str] = []
    lock = threading.Lock()

    def person(n: int) -> None:
        try:
            barrier.wait()
            try:
                status: int | str = work(n)
            except Exception as error:  # a crash the test must show
                status = f"crash: {type(error).__name__}: {error}"
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return Counter(statuses)


def _body(session, n: int) -> dict:
    return {"session_id": session.pk, "party_size": 1, "name": f"Khách {n}", "email": f"khach{n}@example.vn"}


@pytest.mark.django_db(transaction=True)
def test_thirty_visitors_over_the_api_for_ten_seats_get_ten_tickets_and_twenty_full():
    session = w.session(seats=10)

    def visitor(n: int) -> int:
        return Client().post(URL, _body(session, n), content_type="application/json").status_code

    statuses = _race(visitor, 30)

    assert statuses == Counter({201: 10, 409: 20}), statuses
    assert Registration.objects.filter(session=session).count() == 10
    assert w.counters(session) == (10, 0, 10, 0)
    ids = [session.capacity_id]
    assert seats.ledger_totals(ids) == seats.seats_of(ids)


@pytest.mark.django_db(transaction=True)
def test_retries_racing_with_one_idempotency_key_make_one_registration():
    session = w.session(seats=10, price=150_000)

    def retry(n: int) -> int:
        response = Client().post(
            URL, _body(session, 0), content_type="application/json", headers={"Idempotency-Key": "mot-lan"}
        )
        return response.status_code

    statuses = _race(retry, 6)

    assert statuses[201] == 1 and statuses[201] + statuses[200] + statuses[409] == 6, statuses
    assert Registration.objects.filter(session=session).count() == 1
    assert w.counters(session) == (10, 1, 0, 0)
