"""The bulkhead: at most WEB_BUSY_LIMIT requests run a view at once in a process; the rest wait their
turn, or get a 503 with Retry-After when the wait runs out; the health check never waits."""

import json
import threading

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from ocophub.web.bulkhead import BulkheadMiddleware

factory = RequestFactory()


def _blocking_view(started: threading.Event, release: threading.Event):
    def view(request):
        started.set()
        assert release.wait(10)
        return HttpResponse("done")

    return view


def _hold_the_only_slot(middleware: BulkheadMiddleware, started: threading.Event) -> threading.Thread:
    holder = threading.Thread(target=middleware, args=(factory.get("/san-pham/"),))
    holder.start()
    assert started.wait(10)
    return holder


@override_settings(WEB_BUSY_LIMIT=1, WEB_BUSY_WAIT_SECONDS=0.05)
def test_a_request_past_the_limit_waits_then_gets_a_503_with_retry_after():
    started, release = threading.Event(), threading.Event()
    middleware = BulkheadMiddleware(_blocking_view(started, release))
    holder = _hold_the_only_slot(middleware, started)
    try:
        page = middleware(factory.get("/san-pham/"))
        api = middleware(factory.get("/api/v1/products"))
    finally:
        release.set()
        holder.join(10)
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "Hệ thống đang rất bận" in page.content.decode()
    assert api.status_code == 503 and json.loads(api.content)["error"]["code"] == "busy"
    # the slot is free again once the slow request is done
    assert middleware(factory.get("/san-pham/")).status_code == 200


@override_settings(WEB_BUSY_LIMIT=1, WEB_BUSY_WAIT_SECONDS=5)
def test_a_waiting_request_runs_as_soon_as_the_slot_frees():
    started, release = threading.Event(), threading.Event()
    middleware = BulkheadMiddleware(_blocking_view(started, release))
    holder = _hold_the_only_slot(middleware, started)
    answers: list[int] = []
    waiter = threading.Thread(target=lambda: answers.append(middleware(factory.get("/")).status_code))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive() and answers == []  # waiting its turn, not running beside the slow one
    release.set()
    holder.join(10)
    waiter.join(10)
    assert answers == [200]


@override_settings(WEB_BUSY_LIMIT=1, WEB_BUSY_WAIT_SECONDS=0.05)
def test_the_health_check_never_waits_for_a_slot():
    started, release = threading.Event(), threading.Event()
    slow = _blocking_view(started, release)
    middleware = BulkheadMiddleware(lambda r: HttpResponse("ok") if r.path == "/api/v1/health" else slow(r))
    holder = _hold_the_only_slot(middleware, started)
    try:
        assert middleware(factory.get("/api/v1/health")).status_code == 200
    finally:
        release.set()
        holder.join(10)


@override_settings(WEB_BUSY_LIMIT=0)
def test_a_limit_of_zero_turns_it_off():
    started, release = threading.Event(), threading.Event()
    middleware = BulkheadMiddleware(_blocking_view(started, release))
    holder = _hold_the_only_slot(middleware, started)
    release.set()
    assert middleware(factory.get("/")).status_code == 200
    holder.join(10)


@pytest.mark.django_db
def test_the_bulkhead_is_the_first_middleware_of_the_site():
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "ocophub.web.bulkhead.BulkheadMiddleware"
    assert Client().get("/api/v1/health").status_code == 200
