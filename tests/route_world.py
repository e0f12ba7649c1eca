"""The route matrix's world: one record of each kind and the people around them, built once per module.

Used by tests/test_route_matrix.py and tests/test_list_scopes.py (the fixtures are made known to every
test module through tests/conftest.py).
"""

from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model
from django.test import override_settings

from ocophub.accounts.models import Role
from ocophub.accounts.services import api_token_create
from ocophub.places import selectors as places
from ocophub.places.services import places_load

from .conftest import make_user
from .design import world as design_world
from .sales import world


def _build_ctx() -> Any:
    """Just enough data for every route, and the selling world (centers with stock, their people, a
    sale, an order, a settlement)."""
    import datetime as dt
    from types import SimpleNamespace

    from ocophub.catalogue import services as catalogue_services
    from ocophub.catalogue.demo import reference_load
    from ocophub.centers.demo import criteria_load
    from ocophub.centers.models import Status
    from ocophub.centers.services import center_create
    from ocophub.programme.demo import plans_load
    from ocophub.programme.services import commitment_create

    criteria_load()
    plans_load()
    reference_load()

    c = SimpleNamespace()
    # a center still planned, in Gia Lâm: only the city and Gia Lâm's officer may see it
    c.planned = center_create(
        actor=None,
        name="Trung tâm OCOP Đa Tốn",
        commune=places.commune_by_code(577, era="legacy"),
        status=Status.PLANNED,
        effective_on=dt.date(2024, 9, 1),
    )
    c.commitment = commitment_create(
        actor=None,
        center=c.planned,
        source="state_district",
        amount=10_000_000,
        committed_on=dt.date(2024, 9, 2),
        document="QĐ 9/2024",
    )
    producer = catalogue_services.producer_save(
        actor=None, name="HTX Gốm Bát Tràng", kind="cooperative", commune=places.commune_by_code(583)
    )
    c.published = catalogue_services.product_save(actor=None, producer=producer, name="Bình gốm men lam")
    catalogue_services.product_transition(actor=None, product=c.published, to="published")
    c.certificate = catalogue_services.certificate_issue(
        actor=None,
        product=c.published,
        decision_number="1/QĐ",
        decision_date=dt.date(2025, 1, 2),
        issuer="UBND",
        deciding_level="province",
        stars=4,
    )
    c.draft = catalogue_services.product_save(actor=None, producer=producer, name="Chén gốm mẫu mới")
    c.customer = make_user(Role.CUSTOMER)
    c.customer_b = make_user(Role.CUSTOMER)
    c.staff = make_user(Role.CITY_ADMIN)
    c.staff.is_staff = True
    c.staff.save()
    c.officer_a = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18))  # Gia Lâm: Bát Tràng
    c.officer_b = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(279))  # Thường Tín
    c.customer_token, _raw = api_token_create(actor=c.customer, name="to revoke")
    world.into(c)
    design_world.into(c)
    return c


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module, inside a transaction rolled back at the module's end. Each test runs in a
    savepoint within it (the `db` fixture), so what one test writes is gone for the next."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        places_load()
        yield _build_ctx()
        transaction.set_rollback(True)


@pytest.fixture
def ctx(matrix_world, db):
    """The module's world, its rows re-read: a previous test may have changed them in memory."""
    for value in [*vars(matrix_world).values(), *vars(matrix_world.world).values()]:
        if isinstance(value, Model):
            value.refresh_from_db()
            value.__dict__.pop("_ocophub_grants", None)
    return matrix_world
