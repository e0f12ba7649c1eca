"""Schemathesis over the whole OpenAPI document, in-process: no 5xx, every response matches its schema.

Each operation is called anonymously and with a city administrator's bearer token, so that both the
public and the authenticated paths of every operation are exercised.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ocophub.accounts.models import Role
from ocophub.accounts.services import api_token_create
from ocophub.wsgi import application

from .conftest import make_user

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_test_connection():
    """The WSGI app closes "old" connections after each request, as Django's test client prevents."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(loaded_places, keep_test_connection):
    user = make_user(Role.CITY_ADMIN)
    _token, raw = api_token_create(actor=user, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_honours_its_openapi_document(case, admin_headers):
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(headers=admin_headers, checks=CHECKS)


def test_nul_characters_are_refused_before_any_view(client, db):
    from ocophub.accounts.models import Role

    user = make_user(Role.CUSTOMER)
    _token, raw = api_token_create(actor=user, name="x")
    response = client.post(
        "/api/v1/me/tokens",
        '{"name": "a\\u0000b"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
    assert client.get("/api/v1/places/communes?q=a%00b").status_code == 422
    assert client.get("/trung-tam/?q=a%00b").status_code == 400
