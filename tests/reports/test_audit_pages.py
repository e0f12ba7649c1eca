"""The audit trail's pages: filters, keyset paging, scopes, fixed queries and the Excel export."""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from ocophub.accounts.models import LoginAttempt, Role
from ocophub.accounts.services import role_grant
from ocophub.catalogue import services as catalogue
from ocophub.common.models import ChangeRecord
from ocophub.inventory import services as inventory
from ocophub.reports import audit_trail
from ocophub.reports.audit_trail import Cursor, Filters, day_range, entries, export_entries

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from ..sales import world as sales_world

pytestmark = pytest.mark.django_db

AUDIT = "/lam-viec/nhat-ky/"


@pytest.fixture
def world(loaded_places):
    return sales_world.build(on_hand=500)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client: Client, url: str = AUDIT, **params: str):
    with translation.override("vi"):
        return client.get(url, params)


def listed(response) -> list[tuple[str, int]]:
    """(source, id) of each row of the audit table."""
    html = response.content.decode()
    return [
        (s, int(i))
        for s, i in re.findall(r'data-testid="audit-row" data-source="(\w+)" data-id="(\d+)"', html)
    ]


def next_link(response) -> str | None:
    found = re.search(r'data-testid="audit-next" href="([^"]+)"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


def today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def test_the_city_admin_sees_the_menu_link_others_do_not(world, city_admin):
    assert 'data-testid="audit-link"' in get(client_of(city_admin), "/").content.decode()
    assert 'data-testid="audit-link"' not in get(client_of(world.manager_a), "/").content.decode()


def test_filter_by_person_kind_object_and_dates(world, city_admin):
    client = client_of(city_admin)
    sale = sales_world.counter_sale(world, 1)
    catalogue.product_save(actor=city_admin, product=world.tea, list_price=95_000)
    catalogue.product_save(actor=city_admin, product=world.bowl, list_price=160_000)

    by_person = listed(get(client, person=world.staff_a.email))
    assert by_person and {source for source, _pk in by_person} <= {
        "payment",
        "movement",
        "grant",
        "login",
        "shift",
    }
    assert ("payment", sale.payments.get().pk) in by_person

    prices = listed(get(client, kind="price"))
    assert len(prices) == 2
    tea_only = listed(get(client, kind="price", object_type="product", object_id=str(world.tea.pk)))
    assert len(tea_only) == 1

    stock_of_bowl = listed(get(client, kind="stock", object_type="product", object_id=str(world.bowl.pk)))
    assert stock_of_bowl and all(source == "movement" for source, _pk in stock_of_bowl)

    long_ago = listed(get(client, start="01/01/2024", end="31/01/2024"))
    assert long_ago == []
    assert len(listed(get(client, start=today(), end=today()))) >= 5


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "32/13/2025"}, "start", "dd/mm/yyyy"),
        ({"start": "01/01/2024", "end": "01/06/2025"}, "start", "một năm"),
        ({"start": "10/02/2025", "end": "01/02/2025"}, "end", "trước ngày bắt đầu"),
        ({"person": "khong-ai@example.vn"}, "person", "Không có ai"),
        ({"object_type": "product"}, "object_id", "mã"),
        ({"object_id": "abc"}, "object_id", "số nguyên"),
    ],
)
def test_bad_filters_get_a_message_per_field_and_a_400(world, city_admin, params, field, message):
    response = get(client_of(city_admin), **params)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert listed(response) == []


def test_keyset_paging_has_no_duplicates_or_gaps_with_equal_times(world, city_admin):
    moment = timezone.now() - dt.timedelta(hours=1)
    for n in range(40):
        ChangeRecord.objects.create(
            object_type="catalogue.product",
            object_id=world.bowl.pk,
            at=moment,
            changes={"name": [str(n), "x"]},
        )
        LoginAttempt.objects.create(login=f"nguoi{n}@example.vn", succeeded=bool(n % 2), at=moment)
    start, end = day_range(timezone.localdate() - dt.timedelta(days=1), timezone.localdate())
    everything, none_after = entries(Filters(start=start, end=end), city_admin, limit=10_000)
    assert none_after is None and len(everything) > 100

    seen: list[tuple[str, int]] = []
    cursor = None
    while True:
        page, cursor = entries(Filters(start=start, end=end), city_admin, cursor=cursor, limit=7)
        seen += [(e.source, e.pk) for e in page]
        if cursor is None:
            break
    assert seen == [(e.source, e.pk) for e in everything]
    assert len(set(seen)) == len(seen)


def test_pages_of_fifty_through_the_links(world, city_admin):
    for _n in range(30):
        sales_world.counter_sale(world, 1)
    client = client_of(city_admin)
    response = get(client)
    first = listed(response)
    assert len(first) == 50
    link = next_link(response)
    assert link and "sau=" in link
    second = listed(client.get(link))
    assert second and not set(first) & set(second)
    start, end = day_range(timezone.localdate() - dt.timedelta(days=30), timezone.localdate())
    whole, _next = entries(Filters(start=start, end=end), city_admin, limit=100)
    assert first + second == [(e.source, e.pk) for e in whole[: len(first) + len(second)]]


def test_a_made_up_cursor_starts_from_the_newest(world, city_admin):
    assert Cursor.decode("nonsense") is None
    assert Cursor.decode("20250101T000000000000.nowhere.3") is None
    assert get(client_of(city_admin), sau="x.y.z").status_code == 200


def test_a_center_manager_sees_their_center_only(world, city_admin):
    sales_world.counter_sale(world, 1)
    stock_b = inventory.stock_receive(
        actor=world.manager_b, center=world.center_b, product=world.tea, quantity=5
    )
    role_grant(actor=world.manager_b, user=make_user(), role=Role.CENTER_STAFF, scope_id=world.center_b.pk)
    manager = client_of(world.manager_a)
    mine = get(manager, f"{AUDIT}trung-tam/{world.center_a.slug}/")
    assert mine.status_code == 200
    rows = listed(mine)
    sources = {source for source, _pk in rows}
    assert {"payment", "movement", "grant", "agreement_event"} <= sources
    b_movements = set(stock_b.movements.values_list("pk", flat=True))
    assert not {pk for source, pk in rows if source == "movement"} & b_movements
    assert str(world.manager_b) not in mine.content.decode()
    assert get(manager, f"{AUDIT}trung-tam/{world.center_b.slug}/").status_code == 404
    assert get(manager, AUDIT).status_code == 404
    assert get(client_of(world.staff_a), f"{AUDIT}trung-tam/{world.center_a.slug}/").status_code == 404


def test_a_producer_member_sees_their_producer_only(world):
    catalogue.product_save(actor=world.member_a, product=world.bowl, list_price=155_000)
    catalogue.product_save(actor=world.member_b, product=world.tea, list_price=88_000)
    member = client_of(world.member_a)
    response = get(member, f"{AUDIT}chu-the/{world.producer_a.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bát gốm men lam" in html and "Trà sen" not in html
    assert get(member, f"{AUDIT}chu-the/{world.producer_b.slug}/").status_code == 404
    anonymous = Client().get(f"{AUDIT}chu-the/{world.producer_a.slug}/")
    assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"]


def test_the_city_list_runs_a_fixed_number_of_queries(world, city_admin):
    client = client_of(city_admin)
    counter = iter(range(1000))

    def grow(n: int) -> None:
        for _i in range(n):
            k = next(counter)
            sales_world.counter_sale(world, 1)
            catalogue.product_save(actor=city_admin, product=world.bowl, list_price=150_000 + k + 1)
            role_grant(actor=city_admin, user=make_user(), role=Role.CENTER_STAFF, scope_id=world.center_a.pk)
            LoginAttempt.objects.create(login=f"x{k}@example.vn", succeeded=False)

    assert_fixed_queries(lambda: client.get(AUDIT), grow)


def test_a_center_list_runs_a_fixed_number_of_queries(world):
    client = client_of(world.manager_a)
    assert_fixed_queries(
        lambda: client.get(f"{AUDIT}trung-tam/{world.center_a.slug}/"),
        lambda n: [sales_world.counter_sale(world, 1) for _i in range(n)],
    )


def test_the_excel_holds_the_filtered_rows(world, city_admin):
    sale = sales_world.counter_sale(world, 2)
    response = get(client_of(city_admin), f"{AUDIT}excel/", kind="money")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Thời điểm" and "Số tiền (đồng)" in header
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 2  # the shift the sale opened, and the payment
    (row,) = [row for row in rows if sale.number in row[3]]
    assert row[6] == 300_000 and isinstance(row[6], int)
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[0])
    assert sale.number in row[3]
    assert row[0] == timezone.localtime(sale.payments.get().created_at).strftime("%d/%m/%Y %H:%M")


def test_the_excel_says_when_the_cap_cut_the_list(world, city_admin, monkeypatch):
    for _n in range(3):
        sales_world.counter_sale(world, 1)
    monkeypatch.setattr(audit_trail, "EXPORT_CAP", 4)
    response = get(client_of(city_admin), f"{AUDIT}excel/")
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0].max_row == 5
    notes = " ".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row)
    assert "Chỉ có 4 mục mới nhất" in notes
    start, end = day_range(timezone.localdate(), timezone.localdate())
    rows, cut = export_entries(Filters(start=start, end=end), city_admin, cap=1_000)
    assert not cut and len(rows) > 4


def test_the_center_excel_is_scoped(world):
    sales_world.counter_sale(world, 1)
    inventory.stock_receive(actor=world.manager_b, center=world.center_b, product=world.tea, quantity=5)
    response = get(client_of(world.manager_a), f"{AUDIT}trung-tam/{world.center_a.slug}/excel/", kind="stock")
    book = load_workbook(io.BytesIO(response.content))
    objects = [row[3].value for row in book.worksheets[0].iter_rows(min_row=2)]
    assert objects and all(world.center_a.name in text for text in objects)
    assert (
        get(client_of(world.manager_b), f"{AUDIT}trung-tam/{world.center_a.slug}/excel/").status_code == 404
    )


def test_the_managers_and_members_find_their_trail_from_their_pages(world):
    manager_home = get(client_of(world.manager_a), "/").content.decode()
    assert f"{AUDIT}trung-tam/{world.center_a.slug}/" in manager_home
    assert (
        f"{AUDIT}trung-tam/{world.center_a.slug}/"
        in get(
            client_of(world.manager_a), f"/lam-viec/trung-tam/{world.center_a.slug}/nhan-vien/"
        ).content.decode()
    )
    assert (
        f"{AUDIT}chu-the/{world.producer_a.slug}/"
        in get(client_of(world.member_a), f"/lam-viec/chu-the/{world.producer_a.slug}/").content.decode()
    )


def test_a_center_record_edit_is_an_edit_on_the_centers_page(world, city_admin):
    from ocophub.centers.services import center_update

    center_update(actor=city_admin, center=world.center_a, description="Mở cửa cả cuối tuần.")
    page = get(client_of(world.manager_a), f"{AUDIT}trung-tam/{world.center_a.slug}/", kind="edit")
    assert page.status_code == 200
    assert [source for source, _pk in listed(page)] == ["change"]
    assert "Mở cửa cả cuối tuần." in page.content.decode()
    # the center's status entries are its life-cycle moves, not its record edits
    assert {source for source, _pk in listed(get(client_of(city_admin), kind="center"))} == {"center_event"}
