import os

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.accounts.services import api_token_create, role_grant
from ocophub.places import selectors as places
from ocophub.places.services import places_load

from .factories import PASSWORD, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def loaded_places(db):
    """Hanoi's units, the conversion maps and craft villages, as `ocophub load_places` leaves them."""
    return places_load()


@pytest.fixture
def password():
    return PASSWORD


def make_user(role: str | None = None, **grant: object):
    user = UserFactory()
    if role:
        role_grant(actor=None, user=user, role=role, **grant)
    return user


@pytest.fixture
def city_admin(db):
    return make_user(Role.CITY_ADMIN)


@pytest.fixture
def customer(db):
    return make_user(Role.CUSTOMER)


@pytest.fixture
def gia_lam_officer(loaded_places):
    return make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18))


@pytest.fixture
def thuong_tin_officer(loaded_places):
    return make_user(Role.UNIT_OFFICER, unit=places.district_by_code(279))


def bearer(user) -> dict[str, str]:
    _token, raw = api_token_create(actor=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def api():
    """A client for JSON calls; `api.as_user(user)` adds that user's bearer token."""

    class ApiClient(Client):
        headers_for: dict[str, str] = {}

        def as_user(self, user):
            self.headers_for = bearer(user) if user else {}
            return self

        def call(self, method: str, path: str, data=None, **extra):
            headers = {**self.headers_for, **extra.pop("headers", {})}
            if data is not None and method.lower() != "get":
                return getattr(self, method.lower())(
                    path, data, content_type="application/json", headers=headers
                )
            return getattr(self, method.lower())(path, data, headers=headers)

    return ApiClient()


@pytest.fixture
def network(loaded_places):
    """The reference plans and criteria, and the demo centers with their illustrative funding."""
    from ocophub.centers.demo import criteria_load, demo_centers_create
    from ocophub.programme.demo import demo_funding_create, plans_load

    criteria_load()
    plans_load()
    demo_centers_create()
    demo_funding_create()
    return loaded_places


def center_named(fragment: str):
    from ocophub.centers.models import Center

    return Center.objects.get(name__contains=fragment)


@pytest.fixture
def catalogue(network):
    """The reference rule sets and taxonomy, and the demo catalogue, over the demo network."""
    from ocophub.catalogue.demo import demo_catalogue_create, reference_load

    reference_load()
    demo_catalogue_create()
    return network


def product_named(fragment: str):
    from ocophub.catalogue.models import Product

    return Product.objects.get(name__contains=fragment)


# The route matrix's module-wide world (imported here so that every test module can ask for it).
from .route_world import ctx, matrix_world  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """Each test starts with no text messages sent (the locmem SMS backend of tests/settings.py)."""
    from ocophub.common import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()
