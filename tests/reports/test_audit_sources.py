"""Each source of the audit trail shows up, with who, when, what and before → after, once a real
service call has written its row."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from ocophub.accounts.models import Role
from ocophub.accounts.services import role_grant, role_grant_revoke
from ocophub.catalogue import services as catalogue
from ocophub.centers.models import Status
from ocophub.centers.services import center_transition
from ocophub.programme.services import disbursement_create
from ocophub.reports.audit_trail import Filters, day_range, entries
from ocophub.sales import services as sales

from ..conftest import make_user
from ..design import world as design_world
from ..sales import world as sales_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return sales_world.build()


@pytest.fixture
def admin_client(city_admin) -> Client:
    client = Client()
    client.force_login(city_admin)
    return client


def rows_of(client: Client, url: str = "/lam-viec/nhat-ky/", **params: str) -> list[str]:
    """The audit table's rows as plain text (cells joined by " | ")."""
    with translation.override("vi"):
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:400]
    html = response.content.decode()
    rows = re.findall(r'<tr data-testid="audit-row".*?</tr>', html, flags=re.S)
    return [
        " | ".join(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S))
        for row in rows
    ]


def having(rows: list[str], *parts: str) -> list[str]:
    return [row for row in rows if all(part in row for part in parts)]


def test_a_price_edit_shows_its_author_and_both_prices(world, admin_client, city_admin):
    catalogue.product_save(actor=city_admin, product=world.bowl, list_price=175_000)
    rows = having(rows_of(admin_client, kind="price"), "Bát gốm men lam")
    assert len(rows) == 1
    assert str(city_admin) in rows[0]
    assert "150.000 ₫ → 175.000 ₫" in rows[0]
    assert timezone.localtime().strftime("%d/%m/%Y") in rows[0]


def test_a_counter_sale_leaves_a_payment_and_a_stock_movement(world, admin_client):
    sale = sales_world.counter_sale(world, 2)
    money = having(rows_of(admin_client, kind="money"), sale.number)
    assert len(money) == 1 and "+300.000 ₫" in money[0] and str(world.staff_a) in money[0]
    stock = having(rows_of(admin_client, kind="stock"), "Bát gốm men lam")
    sold = [row for row in stock if "-2" in row]
    assert len(sold) == 1 and str(world.staff_a) in sold[0]
    # the quantity and what was left on hand after it (20 received, 2 sold)
    assert "tồn thực tế -2 → 18" in sold[0]


def test_a_refund_shows_the_amount_and_the_reason(world, admin_client):
    sale = sales_world.counter_sale(world, 1, method="transfer")
    sales.refund_create(actor=world.manager_a, sale=sale, amount=20_000, reason="Sứt mép")
    rows = having(rows_of(admin_client, kind="money"), "−20.000 ₫")
    assert len(rows) == 1 and "Sứt mép" in rows[0] and str(world.manager_a) in rows[0]


def test_a_role_grant_and_its_revocation(world, admin_client, city_admin):
    person = make_user()
    grant = role_grant(actor=city_admin, user=person, role=Role.CENTER_STAFF, scope_id=world.center_a.pk)
    role_grant_revoke(actor=city_admin, grant=grant, reason="Nghỉ việc")
    rows = having(rows_of(admin_client, kind="role"), str(person))
    assert len(rows) == 2
    revoked, granted = rows  # newest first
    assert "Nghỉ việc" in revoked and world.center_a.name in revoked and revoked.endswith("→ —")
    assert granted.split(" | ")[-1].startswith("— →") and world.center_a.name in granted
    assert str(city_admin) in granted and str(city_admin) in revoked


def test_a_failed_login_is_listed_with_the_login_typed(db, admin_client, customer):
    Client().post("/tai-khoan/dang-nhap/", {"username": customer.email, "password": "sai-mat-khau"})
    rows = rows_of(admin_client, kind="login")
    assert having(rows, customer.email, "Đăng nhập không thành công")


def test_certificate_issue_and_revocation(world, admin_client, city_admin):
    from ocophub.catalogue.demo import reference_load

    reference_load()
    certificate = catalogue.certificate_issue(
        actor=city_admin,
        product=world.bowl,
        decision_number="7/QĐ-UBND",
        decision_date=dt.date(2025, 1, 2),
        issuer="UBND thành phố",
        deciding_level="province",
        stars=4,
    )
    catalogue.certificate_revoke(actor=city_admin, certificate=certificate, reason="Vi phạm chất lượng")
    rows = having(rows_of(admin_client, kind="certificate"), "Bát gốm men lam")
    assert len(rows) == 2
    revoked, issued = rows
    assert "Vi phạm chất lượng" in revoked and "Còn hiệu lực → Đã thu hồi" in revoked
    assert timezone.localdate().strftime("%d/%m/%Y") in revoked.split(" | ")[-1]
    assert "7/QĐ-UBND" in issued and "4★" in issued


def test_center_status_moves_and_funding(world, admin_client, city_admin):
    center = world.center_b
    center_transition(actor=city_admin, center=center, to=Status.SUSPENDED, reason="Sửa chữa mặt bằng")
    rows = having(rows_of(admin_client, kind="center"), center.name, "Sửa chữa mặt bằng")
    assert len(rows) == 1 and str(city_admin) in rows[0]
    assert "Đang hoạt động → Tạm dừng" in rows[0]
    commitment = design_world.build().commitment_a
    disbursement_create(
        actor=city_admin,
        commitment=commitment,
        amount=5_000_000,
        disbursed_on=dt.date(2025, 4, 1),
        document="UNC 4",
    )
    money = having(rows_of(admin_client, kind="money"), "5.000.000 ₫", "UNC 4")
    assert money and str(city_admin) in money[0]


def test_a_design_request_moved_shows_from_and_to(loaded_places, admin_client):
    w = design_world.build()
    request = design_world.advance(w, design_world.submit(w), "in_progress")
    rows = having(rows_of(admin_client, kind="design"), request.number)
    assert len(rows) >= 3
    assert any(str(w.designer_a) in row for row in rows)
    assert any(str(w.manager_a) in row for row in rows)


def test_an_order_and_its_settlement_events(world, admin_client):
    order = sales_world.checkout(world, 1)
    rows = having(rows_of(admin_client, kind="order"), order.number)
    assert rows
    first = dt.date.today().replace(day=1)
    end = first - dt.timedelta(days=1)
    sales_world.counter_sale(world, 1)
    settlement = sales.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=end.replace(day=1),
        period_end=end,
    )
    rows = having(rows_of(admin_client, kind="settlement"), world.producer_a.name)
    assert rows and str(world.manager_a) in rows[0]
    assert settlement.pk


def test_product_status_and_agreement_events_are_listed(world, admin_client):
    rows = rows_of(admin_client, kind="product")
    assert having(rows, "Bát gốm men lam")
    rows = rows_of(admin_client, kind="agreement")
    assert having(rows, world.producer_a.name, world.center_a.name)


def test_every_kind_of_entry_reads_without_error_in_one_merged_list(world, city_admin):
    sales_world.counter_sale(world, 1)
    catalogue.product_save(actor=city_admin, product=world.tea, list_price=90_000)
    start, end = day_range(dt.date.today() - dt.timedelta(days=1), dt.date.today() + dt.timedelta(days=1))
    page, _next = entries(Filters(start=start, end=end), city_admin, limit=500)
    sources = {entry.source for entry in page}
    assert {"movement", "payment", "grant", "product_event", "agreement_event", "change"} <= sources
    keys = [entry.sort_key for entry in page]
    assert keys == sorted(keys, reverse=True)
    # a grant's own ChangeRecord is not listed a second time beside the grant's row
    assert not [e for e in page if e.source == "change" and e.label.startswith("accounts.rolegrant")]


def test_one_page_lists_a_price_change_a_refund_a_revocation_and_a_grant(world, admin_client, city_admin):
    """The issue's acceptance: the four changes made here, each with before and after, on one page."""
    from ocophub.catalogue.demo import reference_load

    reference_load()
    catalogue.product_save(actor=city_admin, product=world.bowl, list_price=165_000)
    sale = sales_world.counter_sale(world, 1, method="transfer")
    sales.refund_create(actor=world.manager_a, sale=sale, amount=15_000, reason="Giảm giá vì sứt")
    certificate = catalogue.certificate_issue(
        actor=city_admin,
        product=world.bowl,
        decision_number="9/QĐ-UBND",
        decision_date=dt.date(2025, 3, 3),
        issuer="UBND thành phố",
        deciding_level="province",
        stars=4,
    )
    catalogue.certificate_revoke(actor=city_admin, certificate=certificate, reason="Hết điều kiện")
    person = make_user()
    role_grant(actor=city_admin, user=person, role=Role.CENTER_MANAGER, scope_id=world.center_b.pk)
    rows = rows_of(admin_client)
    assert having(rows, "150.000 ₫ → 165.000 ₫"), rows
    assert having(rows, "−15.000 ₫", "Giảm giá vì sứt")
    assert having(rows, "Hết điều kiện", "Còn hiệu lực → Đã thu hồi")
    assert having(rows, str(person), "— → ", world.center_b.name)


def test_a_shift_opened_and_closed_shows_the_cash(world, admin_client):
    sales_world.counter_sale(world, 1)  # opens staff A's shift with a 500.000 ₫ float, sells 150.000 ₫ cash
    shift = sales.open_shift_of(world.staff_a, world.center_a)
    sales.shift_close(actor=world.staff_a, shift=shift, counted_cash=640_000, notes="Thiếu 10.000")
    rows = having(rows_of(admin_client, kind="money"), world.center_a.name)
    closed = having(rows, "Thiếu 10.000")
    assert len(closed) == 1 and "650.000 ₫" in closed[0] and "640.000 ₫" in closed[0]
    assert having(rows, "500.000 ₫", str(world.staff_a))


def test_a_managers_refund_approval_and_the_cashiers_refund(world, admin_client):
    sale = sales_world.counter_sale(world, 1, method="transfer")
    _approval, code = sales.refund_approval_issue(actor=world.manager_a, sale=sale, max_amount=30_000)
    sales.refund_create(actor=world.staff_a, sale=sale, amount=25_000, reason="Trả thiếu", approval_code=code)
    rows = having(rows_of(admin_client, kind="money"), sale.number)
    approval = having(rows, "tối đa 30.000 ₫")
    assert len(approval) == 1 and str(world.manager_a) in approval[0]
    refund = having(rows, "−25.000 ₫")
    assert len(refund) == 1 and str(world.staff_a) in refund[0] and str(world.manager_a) in refund[0]
