"""The database-backed rate counter: a sliding window over two fixed ones, shared by every server."""

import datetime as dt
import threading

import pytest
from django.db import connection

from ocophub.common import ratelimit
from ocophub.common.models import RateCounter

LIMIT = ratelimit.Limit(scope="test:address", count=5, seconds=600)
START = dt.datetime(2026, 12, 2, 3, 0, 0, tzinfo=dt.UTC)  # a window's start


@pytest.mark.django_db
def test_the_limit_refuses_the_hit_past_the_count():
    for _ in range(5):
        ratelimit.take(LIMIT, "a", now=START)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.take(LIMIT, "a", now=START + dt.timedelta(seconds=30))
    assert refused.value.status == 429 and refused.value.retry_after == 571
    assert RateCounter.objects.get(key="a").hits == 5  # a refused hit is not counted
    ratelimit.take(LIMIT, "b", now=START)  # another key has its own count


@pytest.mark.django_db
def test_the_previous_window_weighs_as_much_as_it_is_still_covered():
    for _ in range(5):
        ratelimit.hit(LIMIT, "a", now=START + dt.timedelta(seconds=590))
    # 60 s into the next window, 90 % of the previous still counts: 4.5 + 0 < 5, one more fits
    ratelimit.take(LIMIT, "a", now=START + dt.timedelta(seconds=660))
    with pytest.raises(ratelimit.RateLimited):  # 4.5 + 1 ≥ 5
        ratelimit.take(LIMIT, "a", now=START + dt.timedelta(seconds=660))
    # near the end of the next window the old hits have faded
    ratelimit.take(LIMIT, "a", now=START + dt.timedelta(seconds=1190))


@pytest.mark.django_db
def test_old_windows_are_purged():
    ratelimit.hit(LIMIT, "a", now=START - dt.timedelta(days=3))
    ratelimit.hit(LIMIT, "a")
    assert ratelimit.purge() == 1 and RateCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_from_many_servers_are_all_counted():
    """Threads stand for app servers, each with its own database connection."""
    workers, each = 8, 5
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def server() -> None:
        try:
            barrier.wait()
            for _ in range(each):
                ratelimit.hit(LIMIT, "shared", now=START)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=server) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert RateCounter.objects.get(key="shared").hits == workers * each


def test_the_client_address_is_an_ip_address(rf, settings):
    assert ratelimit.client_address(rf.get("/", REMOTE_ADDR="203.0.113.1")) == "203.0.113.1"
    assert ratelimit.client_address(rf.get("/", REMOTE_ADDR="không phải")) is None
    settings.TRUSTED_PROXIES = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.1")
    assert ratelimit.client_address(request) == "203.0.113.5"
    forged = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>, 10.0.0.1")
    assert ratelimit.client_address(forged) is None
