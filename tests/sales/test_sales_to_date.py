"""A producer's sales to date: for each center where it consigns, what was sold and returned since its
last settlement there, the commission as the statement will compute it, and the net due."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.common.dates import local_today
from ocophub.inventory import services as inventory

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as w
from .test_settlement_pages import at, client_of, expected, issue, sell_last_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build(rate="0.1750")


def url(producer) -> str:
    return f"/lam-viec/chu-the/{producer.slug}/ban-hang/"


def test_before_any_settlement_it_shows_every_sale_less_returns_and_commission(world):
    sell_last_month(world)
    response = client_of(world.member_a).get(url(world.producer_a))
    assert response.status_code == 200
    by_center = {c.center.pk: c for c in response.context["centers"]}
    assert set(by_center) == {world.center_a.pk, world.center_b.pk}
    here = by_center[world.center_a.pk]
    numbers = expected(world.producer_a, world.center_a)
    assert here.since is None
    assert (here.units_sold, here.units_returned, here.gross, here.returns, here.commission, here.net) == (
        numbers["units_sold"],
        numbers["units_returned"],
        numbers["gross"],
        numbers["returns"],
        numbers["commission"],
        numbers["net"],
    )
    [line] = here.lines
    assert (line.name, line.quantity, line.returned) == (world.bowl.name, 7, 1)
    assert by_center[world.center_b.pk].lines == []
    html = response.content.decode()
    assert "742.500 ₫" in html and '<td class="num">17,5%</td>' in html


def test_after_a_settlement_only_the_sales_since_count(world):
    sell_last_month(world)
    settlement = issue(world)
    today = local_today()
    with time_machine.travel(at(today, 8), tick=False):
        w.counter_sale(world, 2)
    response = client_of(world.member_a).get(url(world.producer_a))
    here = next(c for c in response.context["centers"] if c.center.pk == world.center_a.pk)
    assert here.since == settlement.period_end + dt.timedelta(days=1)
    assert (here.units_sold, here.gross) == (2, 300_000)
    assert here.commission == 52_500 and here.net == 247_500


def test_a_producer_member_asking_for_a_new_statement_is_led_to_the_sales_to_date(world):
    response = client_of(world.member_a).get("/quyet-toan/moi/")
    assert response.status_code == 302 and response["Location"] == url(world.producer_a)
    assert client_of(world.staff_a).get("/quyet-toan/moi/").status_code == 404
    listing = client_of(world.member_a).get("/quyet-toan/").content.decode()
    assert url(world.producer_a) in listing


def test_only_the_producer_and_the_city_see_it(world):
    assert client_of(make_user(Role.CITY_ADMIN)).get(url(world.producer_a)).status_code == 200
    for user in (world.member_b, world.manager_a, world.staff_a, make_user(Role.CUSTOMER)):
        assert client_of(user).get(url(world.producer_a)).status_code == 404
    assert client_of(world.member_a).get("/lam-viec/chu-the/khong-co/ban-hang/").status_code == 404
    assert Client().get(url(world.producer_a)).status_code == 302


def test_it_runs_a_fixed_number_of_queries_whatever_the_sales_and_centers(world):
    client = client_of(world.member_a)
    numbers = itertools.count(1)

    def grow(n: int) -> None:
        for _ in range(n):
            number = next(numbers)
            center = w.make_center(f"Trung tâm thử số {number}", 583)
            inventory.agreement_create(
                actor=None,
                producer=world.producer_a,
                center=center,
                commission_rate=Decimal("0.1500"),
                starts_on=dt.date(2024, 1, 1),
            )
            w.counter_sale(world, 1)

    assert_fixed_queries(lambda: client.get(url(world.producer_a)), grow)


def test_the_api_gives_the_same_numbers_to_the_producer_only(world):
    sell_last_month(world)
    page = client_of(world.member_a).get(url(world.producer_a)).context["centers"]
    api_url = f"/api/v1/producers/{world.producer_a.pk}/sales-to-date"
    response = client_of(world.member_a).get(api_url)
    assert response.status_code == 200
    body = {c["center"]["id"]: c for c in response.json()["centers"]}
    for summary in page:
        row = body[summary.center.pk]
        assert (row["gross"], row["returns"], row["commission"], row["net"]) == (
            summary.gross,
            summary.returns,
            summary.commission,
            summary.net,
        )
    assert body[world.center_a.pk]["lines"][0]["quantity"] == 7
    assert client_of(world.member_b).get(api_url).status_code == 404
    assert client_of(world.manager_a).get(api_url).status_code == 404
    assert client_of(world.member_a).get("/api/v1/producers/999999/sales-to-date").status_code == 404
    assert Client().get(api_url).status_code == 401


def test_the_api_runs_a_fixed_number_of_queries(world):
    client = client_of(world.member_a)
    assert_fixed_queries(
        lambda: client.get(f"/api/v1/producers/{world.producer_a.pk}/sales-to-date"),
        lambda n: [w.counter_sale(world, 1) for _ in range(n)],
    )
