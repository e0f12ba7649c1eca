import io

import pytest
from django.core.management import call_command

from ocophub.accounts.demo import demo_users_create
from ocophub.inventory.models import Agreement
from ocophub.sales.models import Sale

pytestmark = pytest.mark.django_db


def test_setup_adds_the_selling_demo_once_to_a_demo_database_made_before_it(catalogue):
    demo_users_create()  # a demo database from before selling existed
    out = io.StringIO()
    call_command("setup", stdout=out)
    assert "selling demo" in out.getvalue()
    agreements, sales = Agreement.objects.count(), Sale.objects.count()
    assert agreements > 0 and sales > 0

    call_command("setup", stdout=io.StringIO())
    assert (Agreement.objects.count(), Sale.objects.count()) == (agreements, sales)


def test_setup_leaves_a_database_without_demo_accounts_alone(catalogue, city_admin):
    call_command("setup", stdout=io.StringIO())
    assert not Agreement.objects.exists()
