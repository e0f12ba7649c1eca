import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from ocophub.accounts.demo import demo_users_create
from ocophub.accounts.models import User
from ocophub.inventory.models import Agreement
from ocophub.sales.models import Sale

pytestmark = pytest.mark.django_db

PRODUCTION = {"DEBUG": False, "HTTPS": True, "ALLOWED_HOSTS": ["ocophub.hanoi.gov.vn"]}


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_setup_without_demo_adds_no_accounts(loaded_places):
    out = _run("setup")
    assert "no demo data" in out
    assert not User.objects.exists()
    assert "mode       production" in _run("welcome")


def test_setup_demo_adds_the_demo_once_and_welcome_says_so(catalogue):
    _run("setup", "--demo")
    admin = User.objects.get(email="admin@ocophub.vn")
    assert admin.is_superuser
    counts = (User.objects.count(), Agreement.objects.count(), Sale.objects.count())
    assert all(counts)
    assert "already there" in _run("setup", "--demo")
    assert (User.objects.count(), Agreement.objects.count(), Sale.objects.count()) == counts
    welcome = _run("welcome")
    assert "mode       DEMO" in welcome and "admin@ocophub.vn" in welcome


@override_settings(**PRODUCTION)
def test_setup_demo_is_refused_on_production_settings(db):
    with pytest.raises(CommandError, match="ocophub.hanoi.gov.vn"):
        _run("setup", "--demo")
    assert not User.objects.exists()


def test_setup_adds_the_selling_demo_once_to_a_demo_database_made_before_it(catalogue):
    demo_users_create()  # a demo database from before selling existed
    assert "selling demo" in _run("setup", "--demo")
    agreements, sales = Agreement.objects.count(), Sale.objects.count()
    assert agreements > 0 and sales > 0

    _run("setup", "--demo")
    assert (Agreement.objects.count(), Sale.objects.count()) == (agreements, sales)


def test_setup_demo_leaves_a_database_with_its_own_accounts_alone(catalogue, city_admin):
    assert "its own accounts" in _run("setup", "--demo")
    assert not Agreement.objects.exists()
    assert not User.objects.filter(email="admin@ocophub.vn").exists()
    assert "mode       production" in _run("welcome")


def test_setup_adds_the_demo_tours_once_to_a_demo_database_made_before_them(catalogue):
    from ocophub.sales.demo import demo_selling_create
    from ocophub.tours.models import Departure, Tour

    demo_users_create()  # a demo database from before tours existed
    demo_selling_create()
    assert not Tour.objects.exists()
    assert "4 tours with departures" in _run("setup", "--demo")
    counts = (Tour.objects.count(), Departure.objects.count())
    assert counts[0] == 4 and counts[1] > 0
    assert "tours with departures" not in _run("setup", "--demo")
    assert (Tour.objects.count(), Departure.objects.count()) == counts
