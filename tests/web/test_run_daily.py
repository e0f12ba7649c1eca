import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from ocophub.sales.models import OrderStatus

from ..sales import world as w

pytestmark = pytest.mark.django_db


def test_run_daily_now_releases_unpaid_orders_past_their_hold(loaded_places):
    world = w.build()
    order = w.checkout(world, 2)
    out = io.StringIO()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        call_command("run_daily", "--now", stdout=out)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert "unpaid orders released: 1" in out.getvalue()


def test_run_daily_queues_every_job():
    from django_tasks_db.models import DBTaskResult

    call_command("run_daily", stdout=io.StringIO())
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == {
        "ocophub.catalogue.tasks.certificates_notify_expiring",
        "ocophub.catalogue.tasks.stars_refresh_due",
        "ocophub.sales.tasks.orders_release_expired",
        "ocophub.seats.tasks.holds_expire_due",
        "ocophub.events.tasks.waitlist_offers_expire_due",
        "ocophub.tours.tasks.tour_offers_expire_due",
    }
