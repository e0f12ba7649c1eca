"""Schemathesis over the whole OpenAPI document, in-process: no 5xx, every response matches its schema.

Each operation is called anonymously and with a city administrator's bearer token, so that both the
public and the authenticated paths of every operation are exercised, over the demo data that
`ocophub setup --demo` loads (centers, products, stock, sales, orders): ids that exist are found, so
success paths are checked too, not only refusals.
"""

import typing
from collections import defaultdict
from collections.abc import Iterator

import pydantic
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ocophub.accounts.models import User
from ocophub.accounts.services import api_token_create
from ocophub.api import api
from ocophub.places.services import places_load
from ocophub.web.demo import DEMO_ADMIN_LOGIN
from ocophub.web.management.commands.setup import demo_data_create, reference_data_load
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


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo site, built once for the module inside a transaction rolled back at its end; each
    operation's examples run in a savepoint within it (the `db` fixture)."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        places_load()
        reference_data_load()
        demo_data_create(lambda _line: None)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin_headers(demo_site, db, keep_test_connection):
    """The demo city administrator's bearer token."""
    _token, raw = api_token_create(actor=User.objects.get(email=DEMO_ADMIN_LOGIN), name="schemathesis")
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


def _models(annotation: object) -> Iterator[type[pydantic.BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation)
    else:
        for argument in typing.get_args(annotation):
            yield from _models(argument)


def test_no_two_schemas_share_a_name_in_the_document():
    """The document names each schema by its class name alone: two classes of one name would leave one
    of them described by the other's fields."""
    classes: dict[str, set[str]] = defaultdict(set)
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *(operation.response_models or {}).values()]:
                    for found in _models(model):
                        classes[found.__name__].add(f"{found.__module__}.{found.__qualname__}")
    assert {name: where for name, where in classes.items() if len(where) > 1} == {}
