"""Sales reports: totals equal sums of the rows, scope by center, charts with tables, Excel, queries."""

import datetime as dt
import io
import uuid
from collections import defaultdict

import pytest
import time_machine
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ocophub.accounts.models import Role
from ocophub.catalogue import services as catalogue
from ocophub.catalogue.demo import reference_load
from ocophub.catalogue.models import TaxonomyNode
from ocophub.common.dates import local_today
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Stock
from ocophub.sales import services
from ocophub.sales.models import Payment, PaymentState, Refund, ReturnLine, SaleLine

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    reference_load()
    world = w.build(on_hand=200)
    group = TaxonomyNode.objects.filter(parent__isnull=True).order_by("position", "pk").first()
    leaf = TaxonomyNode.objects.filter(parent__parent=group).order_by("pk").first() or group
    catalogue.product_save(actor=None, product=world.bowl, taxonomy=leaf)
    world.group = group
    inventory.stock_receive(
        actor=None, center=world.center_a, product=world.tea, quantity=50, expires_on=dt.date(2099, 1, 1)
    )
    inventory.stock_receive(actor=None, center=world.center_b, product=world.bowl, quantity=7)
    return world


def sell(world: w.World, lines: list[tuple[int, int]], method: str = "cash") -> object:
    seller = world.staff_a
    if services.open_shift_of(seller, world.center_a) is None:
        services.shift_open(actor=seller, center=world.center_a, opening_float=0)
    sale, _created = services.sale_create(
        actor=seller,
        center=world.center_a,
        client_uuid=uuid.uuid4(),
        lines=[services.LineIn(product_id, quantity) for product_id, quantity in lines],
        method=method,
        reference="FT123" if method == "transfer" else "",
    )
    return sale


@pytest.fixture
def trading(world):
    """This month at center A: bowls and tea, cash and transfer, one bowl returned; one sale last month."""
    first = local_today().replace(day=1)
    with time_machine.travel(
        dt.datetime.combine(first - dt.timedelta(days=3), dt.time(9), tzinfo=timezone.get_current_timezone()),
        tick=False,
    ):
        sell(world, [(world.bowl.pk, 5)])  # outside the period
    sell(world, [(world.bowl.pk, 2), (world.tea.pk, 1)])
    sold = sell(world, [(world.bowl.pk, 3)], method="transfer")
    sell(world, [(world.tea.pk, 4)], method="card")
    line = sold.lines.get()
    services.return_create(actor=world.staff_a, sale=sold, lines={line.pk: 1}, reason="Sứt")
    return world


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def this_month_lines() -> tuple:
    since = dt.datetime.combine(
        local_today().replace(day=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    return (
        SaleLine.objects.filter(sale__created_at__gte=since),
        ReturnLine.objects.filter(ret__created_at__gte=since),
    )


def test_report_totals_equal_the_sums_of_the_rows(trading):
    world = trading
    response = client_of(world.manager_a).get("/bao-cao-ban-hang/")
    assert response.status_code == 200
    report = response.context["report"]
    lines, returns = this_month_lines()
    gross = sum(line.amount for line in lines)
    returned = sum(line.amount for line in returns)
    assert gross == 5 * 150_000 + 5 * 85_000
    assert (report.gross, report.returns, report.net) == (gross, returned, gross - returned)
    assert report.units == sum(line.quantity for line in lines)

    by_producer = defaultdict(int)
    for line in lines:
        by_producer[line.producer.name] += line.amount
    for line in returns:
        by_producer[line.sale_line.producer.name] -= line.amount
    assert {row.label: row.net for row in report.by_producer} == dict(by_producer)

    by_day = defaultdict(int)
    for line in lines:
        by_day[timezone.localtime(line.sale.created_at).date()] += line.amount
    assert {row.key: row.gross for row in report.by_day if row.gross} == dict(by_day)
    assert report.by_day[0].key == local_today().replace(day=1) and report.by_day[-1].key == local_today()

    groups = {row.key: row for row in report.by_group}
    assert groups[world.group.pk].label == world.group.name
    assert groups[world.group.pk].gross == sum(
        line.amount for line in lines if line.product_id == world.bowl.pk
    )
    assert groups[world.group.pk].returns == returned
    assert groups[None].gross == sum(line.amount for line in lines if line.product_id == world.tea.pk)

    payments = Payment.objects.filter(
        state=PaymentState.SUCCEEDED, created_at__gte=lines.first().sale.created_at
    )
    received = defaultdict(int)
    for payment in payments:
        received[payment.method] += payment.amount
    refunded = defaultdict(int)
    for refund in Refund.objects.all():
        refunded[refund.payment.method] += refund.amount
    assert {row.key: row.received for row in report.by_method if row.received} == dict(received)
    assert {row.key: row.refunded for row in report.by_method if row.refunded} == dict(refunded)
    assert sum(row.net for row in report.by_method) == report.net

    # a tie in quantity is broken by the product's name
    assert [(row.label, row.quantity) for row in report.top_by_quantity] == [
        (world.bowl.name, 5),
        (world.tea.name, 5),
    ]
    assert [row.label for row in report.top_by_amount] == [world.bowl.name, world.tea.name]

    stock = Stock.objects.filter(center=world.center_a)
    value = {
        "producer": world.producer_a.name,
        "units": sum(s.on_hand for s in stock if s.producer_id == world.producer_a.pk),
    }
    row = next(r for r in report.stock_value if r["producer"] == value["producer"])
    assert row["units"] == value["units"]
    assert row["value"] == value["units"] * 150_000

    html = response.content.decode()
    assert html.count('<svg class="chart"') == 8
    assert 'data-testid="by-producer"' in html and "1.175.000 ₫" in html


def test_each_manager_sees_only_their_centers(trading):
    world = trading
    report_b = client_of(world.manager_b).get("/bao-cao-ban-hang/").context["report"]
    assert [center.pk for center in report_b.centers] == [world.center_b.pk]
    assert report_b.gross == 0
    assert [r["units"] for r in report_b.stock_value] == [7]  # only B's shelf
    outside = client_of(world.manager_b).get(f"/bao-cao-ban-hang/?center={world.center_a.pk}")
    assert outside.status_code == 400
    assert outside.context["report"] is None


def test_the_city_sees_every_center_and_can_pick_one(trading):
    world = trading
    client = client_of(make_user(Role.CITY_ADMIN))
    everything = client.get("/bao-cao-ban-hang/").context["report"]
    assert {c.pk for c in everything.centers} >= {world.center_a.pk, world.center_b.pk}
    lines, _returns = this_month_lines()
    assert everything.gross == lines.aggregate(total=Sum("amount"))["total"]
    only_b = client.get(f"/bao-cao-ban-hang/?center={world.center_b.pk}").context["report"]
    assert only_b.gross == 0


def test_reports_are_404_for_others_and_ask_visitors_to_sign_in(world):
    for user in (world.member_a, world.staff_a, make_user(Role.CUSTOMER)):
        assert client_of(user).get("/bao-cao-ban-hang/").status_code == 404
        assert client_of(user).get("/bao-cao-ban-hang/xuat.xlsx").status_code == 404
    response = Client().get("/bao-cao-ban-hang/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_period_filter_counts_sales_by_their_local_date(trading):
    world = trading
    first = local_today().replace(day=1)
    last_month_day = first - dt.timedelta(days=3)
    response = client_of(world.manager_a).get(
        f"/bao-cao-ban-hang/?start={last_month_day.isoformat()}&end={last_month_day.isoformat()}"
    )
    report = response.context["report"]
    assert (report.gross, report.returns, report.units) == (750_000, 0, 5)
    bad = client_of(world.manager_a).get(f"/bao-cao-ban-hang/?start={first.isoformat()}&end={last_month_day}")
    assert bad.status_code == 400


def test_report_xlsx_has_the_same_tables_and_totals(trading):
    world = trading
    client = client_of(world.manager_a)
    report = client.get("/bao-cao-ban-hang/").context["report"]
    response = client.get("/bao-cao-ban-hang/xuat.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng quan",
        "Theo ngày",
        "Theo trung tâm",
        "Theo chủ thể",
        "Theo nhóm sản phẩm",
        "Theo hình thức thanh toán",
        "Bán chạy theo số lượng",
        "Bán chạy theo doanh thu",
        "Giá trị tồn kho",
    ]
    overview = {row[0]: row[1] for row in book["Tổng quan"].iter_rows(min_row=2, values_only=True)}
    assert (overview["Doanh thu"], overview["Hàng trả lại"], overview["Doanh thu thuần"]) == (
        report.gross,
        report.returns,
        report.net,
    )
    for sheet in ("Theo ngày", "Theo trung tâm", "Theo chủ thể", "Theo nhóm sản phẩm"):
        rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
        assert sum(row[2] for row in rows) == report.gross, sheet
        assert sum(row[4] for row in rows) == report.returns, sheet
        assert sum(row[5] for row in rows) == report.net, sheet
    assert book["Theo chủ thể"]["C2"].number_format.startswith("#,##0")
    methods = list(book["Theo hình thức thanh toán"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in methods} == {"Tiền mặt", "Chuyển khoản (VietQR)", "Thẻ"}
    assert sum(row[4] for row in methods) == report.net


def test_report_runs_a_fixed_number_of_queries(world):
    client = client_of(world.manager_a)

    def grow(n: int) -> None:
        for index in range(n):
            sold = sell(world, [(world.bowl.pk, 1), (world.tea.pk, 1)], method=("cash", "card")[index % 2])
            if index % 3 == 0:
                line = sold.lines.first()
                services.return_create(actor=world.staff_a, sale=sold, lines={line.pk: 1}, reason="Lỗi")

    assert_fixed_queries(lambda: client.get("/bao-cao-ban-hang/"), grow)
    assert_fixed_queries(lambda: client.get("/bao-cao-ban-hang/xuat.xlsx"), grow)
