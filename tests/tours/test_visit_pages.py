"""The visits' pages: the center's scan page (ok, already, refusals, 404 for another center), the
"Khách đoàn tour" report with its chart, table, statement and Excel export, the commission rates
page of the center's manager, the operator's visits; fixed query counts."""

import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from ocophub.accounts.models import Role
from ocophub.tours import services
from ocophub.tours.models import CommissionRate, Visit, VisitTicket

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import visits_world as vw
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return vw.build(minutes=60)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _scan_url(world) -> str:
    return f"/lam-viec/trung-tam/{world.center.slug}/khach-tour/soat-ve/"


def _report_url(world) -> str:
    return f"/lam-viec/trung-tam/{world.center.slug}/khach-tour/"


def test_staff_scan_a_ticket_then_a_second_scan_says_already_checked_in(world):
    client = client_of(world.shop.staff_a)
    with time_machine.travel(vw.today_at(10), tick=False):
        page = client.get(_scan_url(world))
        assert page.status_code == 200 and b"checkin.js" in page.content
        ok = client.post(_scan_url(world), {"code": world.booking.code}, HTTP_HX_REQUEST="true")
        again = client.post(_scan_url(world), {"code": world.booking.code.lower()}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and 'data-kind="ok"' in ok.content.decode()
    assert again.status_code == 409
    body = again.content.decode()
    assert 'data-kind="already"' in body and "Đã check-in tại trung tâm này" in body
    assert Visit.objects.get().heads == 2 and VisitTicket.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [("TKHONGCO", 404, "unknown"), ("", 400, "invalid")],
)
def test_bad_codes_are_refused_with_a_message(world, code, status, kind):
    with time_machine.travel(vw.today_at(10), tick=False):
        answer = client_of(world.shop.staff_a).post(_scan_url(world), {"code": code}, HTTP_HX_REQUEST="true")
    assert answer.status_code == status
    assert not Visit.objects.exists()


def test_a_ticket_of_a_tour_that_does_not_stop_here_is_refused_in_vietnamese(world):
    with time_machine.travel(vw.today_at(10), tick=False):
        answer = client_of(world.shop.staff_b).post(
            f"/lam-viec/trung-tam/{world.shop.center_b.slug}/khach-tour/soat-ve/",
            {"code": world.booking.code},
            HTTP_HX_REQUEST="true",
        )
    assert answer.status_code == 400
    assert "Tour này không ghé trung tâm này" in answer.content.decode()
    assert not Visit.objects.exists()


def test_another_centers_staff_get_404_on_the_scan_page_and_report(world):
    client = client_of(world.shop.staff_b)
    assert client.get(_scan_url(world)).status_code == 404
    assert client.get(_report_url(world)).status_code == 404
    assert client.post(_scan_url(world), {"code": world.booking.code}).status_code == 404
    assert not Visit.objects.exists()


def test_the_report_shows_the_visit_its_attributed_sale_chart_and_commission(world):
    services.commission_rate_set(
        actor=None,
        center=world.center,
        operator=world.operator,
        basis_points=500,
        starts_on=vw.today_at(10).date().replace(day=1),
    )
    vw.scan(world, vw.today_at(10))
    sale = vw.sell_at(world.shop, vw.today_at(10, 30), 2)
    with time_machine.travel(vw.today_at(12), tick=False):
        page = client_of(world.shop.staff_a).get(_report_url(world))
        sheet = client_of(world.shop.manager_a).get(_report_url(world) + "khach-tour.xlsx")
    body = page.content.decode()
    assert page.status_code == 200
    assert world.tour.title in body and world.operator.name in body
    assert 'data-testid="visits-chart"' in body and "<svg" in body
    assert f"{sale.total:,}".replace(",", ".") in body
    book = load_workbook(io.BytesIO(sheet.content))
    visits, statement = book.worksheets
    assert visits.cell(2, 9).value == sale.total
    assert statement.cell(2, 7).value == (sale.total * 500 + 5_000) // 10_000


def test_the_report_runs_fixed_queries_whatever_the_visits(world):
    client = client_of(world.shop.staff_a)
    hour = iter(range(9, 20))

    def grow(n: int) -> None:
        for _ in range(n):
            tour = w.tour(
                world.operator, stops=[{"kind": "center", "center": world.center.pk, "minutes": 30}]
            )
            departure = vw.departure_on(tour, vw.today_at(8))
            booking = vw.paid(departure)
            at = vw.today_at(next(hour, 20))
            vw.scan(world, at, booking.code)
            vw.sell_at(world.shop, at)

    with time_machine.travel(vw.today_at(21), tick=False):
        assert_fixed_queries(lambda: client.get(_report_url(world)), grow, steps=(2, 5))


def test_the_manager_records_a_rate_and_bad_rates_are_refused(world):
    client = client_of(world.shop.manager_a)
    url = f"/lam-viec/trung-tam/{world.center.slug}/khach-tour/hoa-hong/"
    page = client.get(url)
    assert page.status_code == 200 and world.operator.name in page.content.decode()
    for bad in (
        {"operator": world.operator.pk, "percent": "120", "starts_on": "01/12/2026"},
        {"operator": world.operator.pk, "percent": "2,5", "starts_on": "32/12/2026"},
        {"operator": "", "percent": "2", "starts_on": "01/12/2026"},
    ):
        assert client.post(url, bad).status_code == 400
    too_much = client.post(url, {"operator": world.operator.pk, "percent": "120", "starts_on": "01/12/2026"})
    message = too_much.content.decode()
    assert "phần trăm từ 0 đến 100" in message and "điểm cơ bản" not in message  # one message, the form's
    assert not CommissionRate.objects.exists()
    done = client.post(url, {"operator": world.operator.pk, "percent": "2,5", "starts_on": "01/12/2026"})
    assert done.status_code == 302
    assert CommissionRate.objects.get().basis_points == 250
    assert "2,5%" in client.get(url).content.decode()  # the Vietnamese decimal comma
    assert client_of(world.shop.staff_a).get(url).status_code == 404  # staff do not set rates


def test_operator_members_see_their_visits_others_404_the_department_reads_all(world):
    vw.scan(world, vw.today_at(10))
    url = f"/lam-viec/tour/{world.operator.pk}/khach-tai-trung-tam/"
    member = make_user(Role.OPERATOR_MEMBER, scope_id=world.operator.pk)
    stranger = make_user(Role.OPERATOR_MEMBER, scope_id=w.operator().pk)
    department = make_user(Role.TOURISM)
    with time_machine.travel(vw.today_at(12), tick=False):
        mine = client_of(member).get(url)
        assert client_of(stranger).get(url).status_code == 404
        assert client_of(department).get(url).status_code == 200
        assert client_of(department).get(_report_url(world)).status_code == 200
        assert client_of(member).get(url + "hoa-hong.xlsx").status_code == 200
    assert mine.status_code == 200 and world.center.name in mine.content.decode()


def test_the_work_menu_leads_center_staff_to_the_tour_groups_report(world):
    page = client_of(world.shop.staff_a).get(f"/lam-viec/trung-tam/{world.center.slug}/khach-tour/")
    assert f'href="/lam-viec/trung-tam/{world.center.slug}/khach-tour/" data-testid="tour-visits-link"' in (
        page.content.decode()
    )


def test_the_operators_visits_page_runs_fixed_queries(world):
    member = make_user(Role.OPERATOR_MEMBER, scope_id=world.operator.pk)
    client = client_of(member)
    url = f"/lam-viec/tour/{world.operator.pk}/khach-tai-trung-tam/"
    hour = iter(range(9, 20))

    def grow(n: int) -> None:
        for _ in range(n):
            tour = w.tour(
                world.operator, stops=[{"kind": "center", "center": world.center.pk, "minutes": 30}]
            )
            booking = vw.paid(vw.departure_on(tour, vw.today_at(8)))
            at = vw.today_at(next(hour, 20))
            vw.scan(world, at, booking.code)
            vw.sell_at(world.shop, at)

    with time_machine.travel(vw.today_at(21), tick=False):
        assert_fixed_queries(lambda: client.get(url), grow, steps=(2, 5))
