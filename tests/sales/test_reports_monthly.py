"""The monthly sales report by unit: local months, the centers' units, scope, Excel, fixed queries."""

import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ocophub.accounts.models import Role
from ocophub.common.dates import local_today
from ocophub.inventory import services as inventory
from ocophub.sales import services

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as w

pytestmark = pytest.mark.django_db
BOWL = 150_000


def sell(world: w.World, seller, center, quantity: int, at: dt.datetime | None = None):
    def ring() -> object:
        if services.open_shift_of(seller, center) is None:
            services.shift_open(actor=seller, center=center, opening_float=0)
        sale, _created = services.sale_create(
            actor=seller,
            center=center,
            client_uuid=uuid.uuid4(),
            lines=[services.LineIn(world.bowl.pk, quantity)],
            method="card",
        )
        return sale

    if at is None:
        return ring()
    with time_machine.travel(at, tick=False):
        return ring()


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def trading(loaded_places):
    """Center A: 2 bowls at 23:30 on last month's last day, 3 at 00:30 on this month's first (17:30 UTC
    the day before), 4 this month with one returned. Center B, in another district: 5 this month."""
    world = w.build(on_hand=200)
    inventory.stock_receive(actor=None, center=world.center_b, product=world.bowl, quantity=50)
    first = local_today().replace(day=1)
    sell(world, world.staff_a, world.center_a, 2, local(first - dt.timedelta(days=1), 23, 30))
    sell(world, world.staff_a, world.center_a, 3, local(first, 0, 30))
    sold = sell(world, world.staff_a, world.center_a, 4)
    services.return_create(actor=world.staff_a, sale=sold, lines={sold.lines.get().pk: 1}, reason="Sứt")
    sell(world, world.staff_b, world.center_b, 5)
    return world


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sales_count_in_their_local_month_under_their_centers_unit(trading):
    world = trading
    first = local_today().replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    city = make_user(Role.CITY_ADMIN)
    response = client_of(city).get("/bao-cao-ban-hang/theo-don-vi/", {"start": f"{last_month:%d/%m/%Y}"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.months == [last_month, first]
    units = {unit.key: unit for unit in report.units}
    unit_a = world.center_a.commune.parent_id
    unit_b = world.center_b.commune.parent_id
    assert unit_a != unit_b and set(units) == {unit_a, unit_b}
    a = units[unit_a].months
    assert (a[f"{last_month:%Y-%m}"].gross, a[f"{last_month:%Y-%m}"].units) == (2 * BOWL, 2)
    assert (a[f"{first:%Y-%m}"].gross, a[f"{first:%Y-%m}"].returns) == (7 * BOWL, BOWL)
    assert a[f"{first:%Y-%m}"].net == 6 * BOWL
    assert units[unit_b].label == world.center_b.commune.parent.name
    assert units[unit_b].total.gross == 5 * BOWL and f"{last_month:%Y-%m}" not in units[unit_b].months
    assert (report.gross, report.returns, report.net) == (14 * BOWL, BOWL, 13 * BOWL)
    assert [row.net for row in report.by_month] == [2 * BOWL, 11 * BOWL]
    assert b'data-testid="by-unit-month"' in response.content


def test_a_manager_sees_the_units_of_their_centers_only(trading):
    response = client_of(trading.manager_a).get("/bao-cao-ban-hang/theo-don-vi/")
    assert response.status_code == 200
    assert [unit.key for unit in response.context["report"].units] == [trading.center_a.commune.parent_id]


def test_the_excel_file_holds_net_by_unit_and_month(trading):
    city = make_user(Role.CITY_ADMIN)
    response = client_of(city).get("/bao-cao-ban-hang/theo-don-vi/xuat.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Đơn vị hành chính" and rows[-1][0] == "Cộng"
    assert rows[-1][-1] == 13 * BOWL  # this month and last: every unit, net
    by_unit = {row[0]: row for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert by_unit[trading.center_b.commune.parent.name][2] == 5 * BOWL


def test_more_than_24_months_is_refused(trading):
    city = make_user(Role.CITY_ADMIN)
    response = client_of(city).get("/bao-cao-ban-hang/theo-don-vi/", {"start": "01/01/2020"})
    assert response.status_code == 400


def test_the_report_runs_a_fixed_number_of_queries(trading):
    city = make_user(Role.CITY_ADMIN)
    client = client_of(city)

    def grow(n: int) -> None:
        for _ in range(n):
            sell(trading, trading.staff_b, trading.center_b, 1)

    assert_fixed_queries(lambda: client.get("/bao-cao-ban-hang/theo-don-vi/"), grow, steps=(2, 6))
