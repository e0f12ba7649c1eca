"""Settlement pages: the list, the preview and issue, the statement, accept, cancel, payout, Excel."""

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ocophub.accounts.models import Role
from ocophub.common.dates import local_today
from ocophub.sales import services
from ocophub.sales.forms_settlements import last_month
from ocophub.sales.models import BankAccount, ReturnLine, SaleLine, Settlement, SettlementState
from ocophub.sales.selectors import local_range

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build(rate="0.1750")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def sell_last_month(world: w.World) -> list:
    """Three sales of bowls in last month (1, 2 and 4 units) and a return of one bowl of the second."""
    start, _end = last_month()
    sales = []
    for offset, quantity in ((0, 1), (5, 2), (12, 4)):
        with time_machine.travel(at(start + dt.timedelta(days=offset)), tick=False):
            sales.append(w.counter_sale(world, quantity))
    with time_machine.travel(at(start + dt.timedelta(days=14)), tick=False):
        line = sales[1].lines.get()
        services.return_create(actor=world.staff_a, sale=sales[1], lines={line.pk: 1}, reason="Vỡ miệng")
    return sales


def expected(producer, center) -> dict[str, int]:
    """The statement computed here from the rows: sums of lines, commission rounded half up per rate."""
    since, until = local_range(*last_month())
    lines = SaleLine.objects.filter(
        producer=producer, sale__center=center, sale__created_at__gte=since, sale__created_at__lt=until
    )
    returns = ReturnLine.objects.filter(
        sale_line__producer=producer,
        sale_line__sale__center=center,
        ret__created_at__gte=since,
        ret__created_at__lt=until,
    )
    by_rate: dict[Decimal, int] = {}
    for line in lines:
        by_rate[line.commission_rate] = by_rate.get(line.commission_rate, 0) + line.amount
    for line in returns:
        rate = line.sale_line.commission_rate
        by_rate[rate] = by_rate.get(rate, 0) - line.amount
    commission = sum(
        int((amount * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for rate, amount in by_rate.items()
    )
    gross = sum(line.amount for line in lines)
    returned = sum(line.amount for line in returns)
    return {
        "units_sold": sum(line.quantity for line in lines),
        "units_returned": sum(line.quantity for line in returns),
        "gross": gross,
        "returns": returned,
        "commission": commission,
        "net": gross - returned - commission,
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(world: w.World, action: str = "preview", **overrides) -> dict[str, str]:
    start, end = last_month()
    data = {
        "center": str(world.center_a.pk),
        "producer": str(world.producer_a.pk),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "action": action,
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data


def issue(world: w.World) -> Settlement:
    start, end = last_month()
    return services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=start,
        period_end=end,
    )


# --- the list ---------------------------------------------------------------------------------


def test_list_shows_each_user_the_statements_in_their_scope(world):
    settlement = issue(world)
    page = client_of(world.manager_a).get("/quyet-toan/")
    assert page.status_code == 200
    assert list(page.context["settlements"]) == [settlement]
    assert client_of(world.member_a).get("/quyet-toan/").context["settlements"][0] == settlement
    assert list(client_of(world.manager_b).get("/quyet-toan/").context["settlements"]) == []
    assert list(client_of(world.member_b).get("/quyet-toan/").context["settlements"]) == []
    assert list(client_of(make_user(Role.CITY_ADMIN)).get("/quyet-toan/").context["settlements"]) == [
        settlement
    ]


def test_list_is_404_for_people_without_a_settlement_scope_and_asks_visitors_to_sign_in(world):
    assert client_of(world.staff_a).get("/quyet-toan/").status_code == 404
    assert client_of(make_user(Role.CUSTOMER)).get("/quyet-toan/").status_code == 404
    response = Client().get("/quyet-toan/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_list_filters_by_state_and_producer(world):
    settlement = issue(world)
    client = client_of(world.manager_a)
    assert list(client.get("/quyet-toan/?state=issued").context["settlements"]) == [settlement]
    assert list(client.get("/quyet-toan/?state=paid").context["settlements"]) == []
    filtered = client.get(f"/quyet-toan/?producer={world.producer_a.pk}&center={world.center_a.pk}")
    assert list(filtered.context["settlements"]) == [settlement]


def test_list_runs_a_fixed_number_of_queries(world):
    client = client_of(make_user(Role.CITY_ADMIN))
    months = iter(range(1, 40))

    def grow(n: int) -> None:
        for _ in range(n):
            end = local_today().replace(day=1) - dt.timedelta(days=1)
            for _back in range(next(months) - 1):
                end = end.replace(day=1) - dt.timedelta(days=1)
            services.settlement_create(
                actor=None,
                producer=world.producer_b,
                center=world.center_b,
                period_start=end.replace(day=1),
                period_end=end,
            )

    assert_fixed_queries(lambda: client.get("/quyet-toan/"), grow)


# --- preview and issue ------------------------------------------------------------------------


def test_preview_shows_the_sums_of_the_sale_lines_less_commission_and_writes_nothing(world):
    sell_last_month(world)
    response = client_of(world.manager_a).post("/quyet-toan/moi/", form_data(world))
    assert response.status_code == 200
    preview = response.context["preview"]
    want = expected(world.producer_a, world.center_a)
    assert want["units_sold"] == 7 and want["units_returned"] == 1
    assert want["gross"] == 7 * 150_000 and want["returns"] == 150_000
    assert want["commission"] == 157_500  # (1.050.000 − 150.000) × 17,5 %
    got = {key: getattr(preview, key) for key in want}
    assert got == want
    assert "157.500 ₫" in response.content.decode()
    assert Settlement.objects.count() == 0


def test_the_create_form_defaults_to_last_calendar_month(world):
    response = client_of(world.manager_a).get("/quyet-toan/moi/")
    start, end = last_month()
    assert response.status_code == 200
    assert response.context["form"]["period_start"].value() == start
    assert response.context["form"]["period_end"].value() == end


def test_issue_writes_the_statement_equal_to_its_lines(world):
    sell_last_month(world)
    w.counter_sale(world, 3)  # today: not in last month's statement
    response = client_of(world.manager_a).post("/quyet-toan/moi/", form_data(world, "issue"))
    settlement = Settlement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/quyet-toan/{settlement.pk}/"
    want = expected(world.producer_a, world.center_a)
    assert {key: getattr(settlement, key) for key in want} == want
    assert settlement.net == 1_050_000 - 150_000 - 157_500
    assert settlement.gross == sum(line.amount for line in settlement.sale_lines.all())
    assert settlement.returns == sum(line.amount for line in settlement.return_lines.all())
    # today's sale is left for a later statement
    assert [line.quantity for line in SaleLine.objects.filter(settlement__isnull=True)] == [3]
    assert settlement.state == SettlementState.ISSUED


def test_an_overlapping_period_is_refused_and_nothing_is_written(world):
    sell_last_month(world)
    first = issue(world)
    start, end = last_month()
    data = form_data(world, "issue", period_start=start + dt.timedelta(days=10), period_end=end)
    response = client_of(world.manager_a).post("/quyet-toan/moi/", data)
    assert response.status_code == 409
    assert set(response.context["error"].fields) == {"period_start"}
    assert response.context["error"].message in response.content.decode()
    assert list(Settlement.objects.all()) == [first]
    assert SaleLine.objects.exclude(settlement=first).count() == 0


def test_a_period_not_over_is_refused_and_nothing_is_written(world):
    w.counter_sale(world, 2)
    today = local_today()
    data = form_data(world, "preview", period_start=today.replace(day=1), period_end=today)
    preview = client_of(world.manager_a).post("/quyet-toan/moi/", data)
    assert preview.context["preview"].gross == 300_000
    assert preview.context["not_over"] and 'value="issue"' not in preview.content.decode()
    data["action"] = "issue"
    response = client_of(world.manager_a).post("/quyet-toan/moi/", data)
    assert response.status_code == 400
    assert set(response.context["error"].fields) == {"period_end"}
    assert Settlement.objects.count() == 0
    assert SaleLine.objects.filter(settlement__isnull=False).count() == 0


def test_a_period_ending_before_it_starts_is_refused(world):
    start, end = last_month()
    data = form_data(world, "issue", period_start=end, period_end=start)
    response = client_of(world.manager_a).post("/quyet-toan/moi/", data)
    assert response.status_code == 400
    assert "period_end" in response.context["form"].errors
    assert Settlement.objects.count() == 0


def test_issuing_is_for_the_center_managers(world):
    # a producer's member is led to its sales to date instead (tests/sales/test_sales_to_date.py)
    assert client_of(world.member_a).post("/quyet-toan/moi/", form_data(world)).status_code == 404
    assert client_of(world.staff_a).get("/quyet-toan/moi/").status_code == 404
    assert Client().get("/quyet-toan/moi/").status_code == 302
    # another center's manager cannot pick center A
    response = client_of(world.manager_b).post("/quyet-toan/moi/", form_data(world, "issue"))
    assert response.status_code == 400
    assert Settlement.objects.count() == 0


# --- the statement ----------------------------------------------------------------------------


def test_statement_page_shows_numbers_lines_rates_and_history(world):
    sell_last_month(world)
    settlement = issue(world)
    response = client_of(world.member_a).get(f"/quyet-toan/{settlement.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    start, end = last_month()
    assert f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" in html
    for amount in ("1.050.000 ₫", "−150.000 ₫", "−157.500 ₫", "742.500 ₫"):
        assert amount in html
    assert "<td>17,5%</td>" in html
    assert len(response.context["sale_lines"]) == 3 and len(response.context["return_lines"]) == 1
    assert [r["commission"] for r in response.context["rates"]] == [157_500]
    assert response.context["can_accept"] and not response.context["can_cancel"]
    assert len(response.context["events"]) == 1


def test_statement_is_404_outside_the_scope(world):
    settlement = issue(world)
    url = f"/quyet-toan/{settlement.pk}/"
    assert client_of(world.manager_a).get(url).status_code == 200
    assert client_of(make_user(Role.CITY_ADMIN)).get(url).status_code == 200
    assert client_of(world.member_b).get(url).status_code == 404
    assert client_of(world.manager_b).get(url).status_code == 404
    assert client_of(world.staff_a).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_producer_member_accepts_and_another_producer_cannot(world):
    settlement = issue(world)
    url = f"/quyet-toan/{settlement.pk}/chap-nhan/"
    assert client_of(world.member_b).post(url).status_code == 404
    assert client_of(world.manager_a).post(url).status_code == 404
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.ISSUED
    assert client_of(world.member_a).post(url).status_code == 302
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.ACCEPTED
    again = client_of(world.member_a).post(url)
    assert again.status_code == 409


def test_payout_after_acceptance_with_the_producers_vietqr(world):
    from ocophub.sales import vietqr

    sell_last_month(world)
    settlement = issue(world)
    manager = client_of(world.manager_a)
    pay_url = f"/quyet-toan/{settlement.pk}/chi-tra/"
    early = manager.post(pay_url, {"paid_on": local_today().isoformat(), "reference": "UNC 1"})
    assert early.status_code == 409
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.ISSUED

    services.settlement_accept(actor=world.member_a, settlement=settlement)
    page = manager.get(f"/quyet-toan/{settlement.pk}/")
    assert page.context["can_pay"]
    text = vietqr.payload(
        bank_bin="970436", account="0011001932418", amount=742_500, message=f"QT {settlement.pk}"
    )
    assert page.context["qr"] == vietqr.svg(text)
    assert 'data-testid="payout-qr"' in page.content.decode()

    response = manager.post(pay_url, {"paid_on": local_today().isoformat(), "reference": "UNC 0001"})
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert (settlement.state, settlement.payout_reference, settlement.paid_on) == (
        SettlementState.PAID,
        "UNC 0001",
        local_today(),
    )
    assert settlement.events.count() == 3


def test_payout_page_says_when_the_producer_has_no_bank_account(world):
    settlement = issue(world)
    BankAccount.objects.filter(producer=world.producer_a).delete()
    services.settlement_accept(actor=world.member_a, settlement=settlement)
    page = client_of(world.manager_a).get(f"/quyet-toan/{settlement.pk}/")
    assert page.status_code == 200
    assert page.context["qr"] is None
    assert 'data-testid="no-bank-account"' in page.content.decode()


def test_payout_needs_a_reference_and_is_for_the_centers_managers(world):
    settlement = issue(world)
    services.settlement_accept(actor=world.member_a, settlement=settlement)
    url = f"/quyet-toan/{settlement.pk}/chi-tra/"
    assert client_of(world.manager_a).post(url, {"paid_on": local_today().isoformat()}).status_code == 400
    assert (
        client_of(world.member_a)
        .post(url, {"paid_on": local_today().isoformat(), "reference": "x"})
        .status_code
        == 404
    )
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.ACCEPTED


def test_cancel_with_a_reason_releases_the_lines(world):
    sell_last_month(world)
    settlement = issue(world)
    url = f"/quyet-toan/{settlement.pk}/huy/"
    assert client_of(world.manager_a).post(url, {"reason": ""}).status_code == 400
    assert client_of(world.manager_b).post(url, {"reason": "x"}).status_code == 404
    response = client_of(world.manager_a).post(url, {"reason": "Sai kỳ"})
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.CANCELLED
    assert SaleLine.objects.filter(settlement__isnull=False).count() == 0
    # the period can be settled again
    assert client_of(world.manager_a).post("/quyet-toan/moi/", form_data(world, "issue")).status_code == 302


# --- Excel ------------------------------------------------------------------------------------


def test_statement_xlsx_opens_and_its_totals_equal_the_page(world):
    sell_last_month(world)
    settlement = issue(world)
    client = client_of(world.member_a)
    page = client.get(f"/quyet-toan/{settlement.pk}/")
    response = client.get(f"/quyet-toan/{settlement.pk}/bang-ke.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Hoa hồng theo tỷ lệ", "Dòng bán", "Hàng trả lại"]
    summary = {row[0]: row for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    shown = page.context["settlement"]
    assert summary["Doanh thu"][2] == shown.gross == 1_050_000
    assert summary["Hàng trả lại"][2] == shown.returns
    assert summary["Hoa hồng trung tâm"][2] == shown.commission
    assert summary["Số tiền phải trả chủ thể"][2] == shown.net
    assert summary["Từ ngày"][1] == shown.period_start.strftime("%d/%m/%Y")
    assert book["Tổng hợp"]["C10"].number_format.startswith("#,##0")
    lines = list(book["Dòng bán"].iter_rows(min_row=2, values_only=True))
    assert sum(row[5] for row in lines) == shown.gross
    assert sum(row[3] for row in lines) == shown.units_sold
    returns = list(book["Hàng trả lại"].iter_rows(min_row=2, values_only=True))
    assert sum(row[5] for row in returns) == shown.returns
    rates = list(book["Hoa hồng theo tỷ lệ"].iter_rows(min_row=2, values_only=True))
    assert sum(row[4] for row in rates) == shown.commission
    assert client_of(world.member_b).get(f"/quyet-toan/{settlement.pk}/bang-ke.xlsx").status_code == 404


def test_statement_xlsx_keeps_formula_like_names_as_text(world):
    from ocophub.catalogue import services as catalogue

    catalogue.product_save(actor=None, product=world.bowl, name='=HYPERLINK("http://x")')
    sell_last_month(world)
    settlement = issue(world)
    response = client_of(world.manager_a).get(f"/quyet-toan/{settlement.pk}/bang-ke.xlsx")
    cell = load_workbook(io.BytesIO(response.content))["Dòng bán"]["C2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")
