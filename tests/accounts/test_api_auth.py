"""Who may write through the API: a bearer token, or the browser session with its CSRF token.

A caller with neither is told to authenticate (401 `not_authenticated`), not that a CSRF check failed;
the OpenAPI document says which operations also serve anonymous callers.
"""

import re

import pytest
from django.test import Client

from ..conftest import bearer

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def _operations(document: dict, methods: set[str]) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in methods
    ]


def test_anonymous_writes_are_asked_to_authenticate(db, document):
    browser = Client(enforce_csrf_checks=True)  # as a real HTTP client: CSRF is checked
    refused = {}
    writes = [
        (method, path)
        for method, path, operation in _operations(document, WRITES)
        if {} not in operation.get("security", [{}])
    ]
    for method, path in writes:
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = browser.generic(method, url, "{}", content_type="application/json")
        json = response.headers.get("Content-Type", "").startswith("application/json")
        code = response.json()["error"]["code"] if json and response.status_code >= 400 else None
        if (response.status_code, code) != (401, "not_authenticated"):
            refused[f"{method} {path}"] = (response.status_code, response.content[:120])
    assert len(writes) > 30  # every write of the API, not a sample
    assert refused == {}


def test_a_guest_may_still_place_an_order_or_register_for_an_event_without_credentials(document):
    guests = {f"{m} {p}" for m, p, op in _operations(document, WRITES) if {} in op.get("security", [])}
    assert guests == {
        "POST /api/v1/orders",
        # a visitor registers, joins a waiting list, and keeps the ticket's code as its secret
        "POST /api/v1/events/registrations",
        "POST /api/v1/events/sessions/{session_id}/waitlist",
        "POST /api/v1/events/registrations/{code}/cancel",
        "POST /api/v1/events/registrations/{code}/accept",
        # the same for a tour's departure
        "POST /api/v1/tours/bookings",
        "POST /api/v1/tours/departures/{departure_id}/waitlist",
        "POST /api/v1/tours/bookings/{code}/cancel",
        "POST /api/v1/tours/bookings/{code}/accept",
    }


def test_a_session_write_without_the_csrf_token_is_refused(customer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)
    response = browser.post("/api/v1/me/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "csrf_failed"
    assert "tải lại trang" in response.json()["error"]["message"]
    browser.get("/")
    signed = browser.post(
        "/api/v1/me/tokens",
        {"name": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert signed.status_code == 201, signed.content


def test_a_session_with_a_wrong_bearer_token_still_needs_the_csrf_token(customer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)
    response = browser.post(
        "/api/v1/me/tokens",
        {"name": "x"},
        content_type="application/json",
        headers={"Authorization": "Bearer nonsense"},
    )
    assert response.status_code == 403


def test_bearer_token_writes_need_no_csrf_token(customer):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/me/tokens", {"name": "x"}, content_type="application/json", headers=bearer(customer)
    )
    assert response.status_code == 201, response.content


def test_public_reads_declare_that_anonymous_callers_are_served(document):
    product = document["paths"]["/api/v1/products/{product_id}"]
    assert product["get"]["security"] == [{"BearerToken": []}, {}]
    assert {} not in product["patch"]["security"]
    assert {} not in document["paths"]["/api/v1/me"]["get"]["security"]
    assert {} not in document["paths"]["/api/v1/funding/totals"]["get"]["security"]
    # the guest order: the empty requirement once, beside the schemes
    assert document["paths"]["/api/v1/orders"]["post"]["security"].count({}) == 1


def test_the_reads_declared_open_to_anonymous_callers_serve_them(db, client, document):
    reads = [path for _m, path, op in _operations(document, {"get"}) if {} in op.get("security", [])]
    lists = [path for path in reads if "{" not in path]
    assert "/api/v1/products" in lists and "/api/v1/centers" in lists
    assert {path: client.get(path).status_code for path in lists} == dict.fromkeys(lists, 200)
