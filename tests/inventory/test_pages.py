"""The stock, ledger, agreement and producer-goods pages: who sees what, and what the forms write."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.catalogue import services as catalogue
from ocophub.common.dates import local_today
from ocophub.inventory import selectors, services, views
from ocophub.inventory.forms import AdjustForm, AgreementForm, ReceiveForm, ReturnForm, TransferForm
from ocophub.inventory.models import Agreement, AgreementState, Lot, Movement, MovementKind, Stock
from ocophub.places import selectors as places

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ddmmyyyy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def stock_url(world) -> str:
    return f"/kho/{world.center_a.slug}/"


def row_url(world, stock: Stock, action: str) -> str:
    return f"/kho/{world.center_a.slug}/ton/{stock.pk}/{action}/"


def receive_tea(world, quantity: int, code: str, days: int | None = None) -> Stock:
    expires = local_today() + dt.timedelta(days=days) if days is not None else None
    return services.stock_receive(
        actor=None,
        center=world.center_a,
        product=world.tea,
        quantity=quantity,
        lot_code=code,
        expires_on=expires,
    )


def quantities(stock: Stock) -> tuple[int, int]:
    stock.refresh_from_db()
    return stock.on_hand, stock.reserved


def assert_refused(response, status: int, label) -> None:
    """Refused with a 4xx, the page re-rendered with a message naming the field."""
    assert response.status_code == status, response.content[:400]
    problem = response.context["problem"]
    assert problem is not None and problem.message
    assert str(label) in [name for name, _message in problem.fields], problem.fields
    assert str(label) in response.content.decode()


def label(form_class, field: str) -> str:
    return str(form_class.base_fields[field].label)


# --- who sees what -------------------------------------------------------------------------------


def page_urls(world) -> dict[str, str]:
    slug = world.center_a.slug
    return {
        "center": f"/kho/{slug}/",
        "ledger": f"/kho/{slug}/so-kho/",
        "agreements": f"/kho/{slug}/hop-dong/",
    }


@pytest.mark.parametrize("page", ["center", "ledger", "agreements"])
def test_center_pages_for_the_center_people_only(world, city_admin, page):
    url = page_urls(world)[page]
    for user in (world.staff_a, world.manager_a, city_admin):
        assert client_of(user).get(url).status_code == 200
    for user in (world.staff_b, world.manager_b, world.member_a, make_user(Role.CUSTOMER)):
        assert client_of(user).get(url).status_code == 404
    anonymous = client_of(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/tai-khoan/dang-nhap/")


def test_an_unknown_center_is_404(world):
    assert client_of(world.manager_a).get("/kho/khong-co/").status_code == 404


def test_home_goes_straight_to_the_only_center(world):
    response = client_of(world.staff_a).get("/kho/")
    assert response.status_code == 302 and response["Location"] == stock_url(world)


def test_home_lists_every_center_for_the_city(world, city_admin):
    response = client_of(city_admin).get("/kho/")
    assert response.status_code == 200
    listed = [center for center, _units, _value in response.context["centers"]]
    assert world.center_a in listed and world.center_b in listed
    units = {center.pk: (n, value) for center, n, value in response.context["centers"]}
    assert units[world.center_a.pk] == (20, 3_000_000)


def test_home_shows_a_producer_member_its_goods_page(world):
    response = client_of(world.member_a).get("/kho/")
    assert response.status_code == 200
    assert f'href="/kho/chu-the/{world.producer_a.slug}/"' in response.content.decode()


def test_home_is_404_for_someone_without_stock_and_asks_strangers_to_log_in(world):
    assert client_of(make_user(Role.CUSTOMER)).get("/kho/").status_code == 404
    response = client_of(None).get("/kho/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_producer_goods_page_for_its_members_and_the_city(world, city_admin):
    url = f"/kho/chu-the/{world.producer_a.slug}/"
    for user in (world.member_a, city_admin):
        assert client_of(user).get(url).status_code == 200
    for user in (world.member_b, world.manager_a, make_user(Role.CUSTOMER)):
        assert client_of(user).get(url).status_code == 404
    assert client_of(None).get(url).status_code == 302
    assert client_of(world.member_a).get("/kho/chu-the/khong-co/").status_code == 404


# --- the stock list ------------------------------------------------------------------------------


def test_stock_rows_show_lots_expiry_badges_values_and_totals(world):
    today = local_today()
    receive_tea(world, 2, "T-OLD", days=5)
    receive_tea(world, 4, "T-SOON", days=20)
    receive_tea(world, 6, "T-LATE", days=200)
    w.checkout(world, 3)  # three bowls held for an online order
    with time_machine.travel(timezone.now() + dt.timedelta(days=7)):
        response = client_of(world.staff_a).get(stock_url(world))
    assert response.status_code == 200
    rows = {(row.product_id, row.lot.code): row for row in response.context["page"]}
    bowl = rows[(world.bowl.pk, "")]
    assert (bowl.on_hand, bowl.reserved, bowl.available, bowl.value) == (20, 3, 17, 3_000_000)
    assert rows[(world.tea.pk, "T-LATE")].value == 6 * 85_000
    assert response.context["totals"] == {
        "on_hand": 32,
        "reserved": 3,
        "available": 29,
        "value": 3_000_000 + 12 * 85_000,
    }
    html = response.content.decode()
    assert "4.020.000 ₫" in html
    for days in (5, 20, 200):
        assert ddmmyyyy(today + dt.timedelta(days=days)) in html
    assert html.count("badge-expired") == 1 and html.count("badge-soon") == 1
    # earliest expiry first within a product
    teas = [row.lot.code for row in response.context["page"] if row.product_id == world.tea.pk]
    assert teas == ["T-OLD", "T-SOON", "T-LATE"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tra sen", {"tea"}),
        ("TRÀ SEN", {"tea"}),
        ("bat gom", {"bowl"}),
        ("Gốm men", {"bowl"}),
        ("xyz", set()),
    ],
)
def test_stock_search_ignores_case_and_diacritics(world, query, expected):
    receive_tea(world, 3, "T-1", days=100)
    response = client_of(world.staff_a).get(stock_url(world), {"q": query})
    names = {"bowl" if row.product_id == world.bowl.pk else "tea" for row in response.context["page"]}
    assert names == expected


def test_stock_filter_by_producer_and_totals_follow_it(world):
    receive_tea(world, 3, "T-1", days=100)
    response = client_of(world.staff_a).get(stock_url(world), {"producer": world.producer_b.pk})
    assert [row.product_id for row in response.context["page"]] == [world.tea.pk]
    assert response.context["totals"]["on_hand"] == 3


def test_stock_list_is_paginated_and_totals_cover_every_page(world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    for n in range(7):
        receive_tea(world, 1, f"T-{n:02d}", days=100 + n)
    client = client_of(world.staff_a)
    first = client.get(stock_url(world))
    second = client.get(stock_url(world), {"page": 2})
    assert len(first.context["page"]) == 5 and len(second.context["page"]) == 3
    assert second.context["totals"]["on_hand"] == 27
    assert 'rel="next"' in first.content.decode()


def test_stock_page_runs_a_fixed_number_of_queries(world):
    client = client_of(world.manager_a)
    made = [0]

    def grow(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            receive_tea(world, 2, f"T-{made[0]:03d}", days=60 + made[0])

    assert_fixed_queries(lambda: client.get(stock_url(world)), grow)


def test_the_receive_form_offers_only_products_under_an_active_agreement(world):
    stranger = catalogue.producer_save(
        actor=None, name="HTX Mây Tre (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )
    basket = w.make_product(stranger, "Giỏ mây", 120_000, "8930000000033")
    staff = client_of(world.staff_a).get(stock_url(world))
    offered = set(staff.context["receive_form"].fields["product"].queryset)
    assert offered == {world.bowl, world.tea}
    assert basket not in offered
    city = client_of(make_user(Role.CITY_ADMIN)).get(stock_url(world))
    assert city.context["receive_form"] is None and not city.context["can_manage"]


# --- receiving -----------------------------------------------------------------------------------


def test_the_receive_form_lists_no_products_until_one_is_searched(world):
    for n in range(25):
        w.make_product(world.producer_a, f"Chén Men Thử {n:02d}", 50_000, "")
    stranger = catalogue.producer_save(
        actor=None, name="HTX Mây Tre (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )
    w.make_product(stranger, "Chén Men Ngoài", 120_000, "8930000000033")
    client = client_of(world.staff_a)
    page = client.get(stock_url(world)).content.decode()
    assert page.count('name="product"') == 0 and "Chén Men Thử" not in page
    assert "nhap-hang/san-pham/" in page and 'hx-get="/kho/' in page
    url = f"{stock_url(world)}nhap-hang/san-pham/"
    found = client.get(url, {"product_query": "chen men thu 1"}).content.decode()
    assert found.count('name="product"') == 12  # 01, 10…19, 21
    assert "Chén Men Thử 15" in found and "Chén Men Thử 05" not in found
    many = client.get(url, {"product_query": "chén men"}).content.decode()
    assert many.count('name="product"') == 20 and "20 kết quả đầu" in many
    assert "Chén Men Ngoài" not in many  # its producer has no agreement here
    by_gtin = client.get(url, {"product_query": world.tea.gtin}).content.decode()
    assert by_gtin.count('name="product"') == 1 and f'value="{world.tea.pk}"' in by_gtin
    none = client.get(url, {"product_query": "khong co gi"}).content.decode()
    assert 'name="product"' not in none and "Không có sản phẩm" in none
    assert client_of(world.staff_b).get(url, {"product_query": "chen"}).status_code in (403, 404)


def test_without_scripts_find_shows_the_matches_then_the_chosen_one_is_received(world):
    client = client_of(world.staff_a)
    url = f"{stock_url(world)}nhap-hang/"
    typed = {"product_query": world.tea.name[:6], "quantity": "3", "expires_on": "31/12/2099"}
    found = client.post(url, {**typed, "find": "1"})
    assert found.status_code == 200 and f'value="{world.tea.pk}"' in found.content.decode()
    assert not Stock.objects.filter(center=world.center_a, product=world.tea).exists()
    unchosen = client.post(url, typed)
    assert unchosen.status_code == 400 and "chọn trong kết quả" in unchosen.content.decode()
    assert client.post(url, {**typed, "product": world.tea.pk}).status_code == 302
    assert Stock.objects.get(center=world.center_a, product=world.tea).on_hand == 3


def test_a_product_not_receivable_here_is_refused_even_when_posted(world):
    stranger = catalogue.producer_save(
        actor=None, name="HTX Mây Tre (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )
    basket = w.make_product(stranger, "Giỏ mây", 120_000, "8930000000033")
    response = client_of(world.staff_a).post(
        f"{stock_url(world)}nhap-hang/", {"product": basket.pk, "quantity": "1"}
    )
    assert response.status_code == 400
    assert not Stock.objects.filter(product=basket).exists()


def test_staff_receive_goods_through_the_form(world):
    today = local_today()
    response = client_of(world.staff_a).post(
        f"{stock_url(world)}nhap-hang/",
        {
            "product": world.tea.pk,
            "quantity": "12",
            "lot_code": "TS-2611",
            "produced_on": ddmmyyyy(today - dt.timedelta(days=3)),
            "expires_on": (today + dt.timedelta(days=180)).isoformat(),
            "back": "q=tra",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{stock_url(world)}?q=tra"
    stock = Stock.objects.get(center=world.center_a, product=world.tea)
    assert (stock.on_hand, stock.reserved) == (12, 0)
    assert stock.lot.produced_on == today - dt.timedelta(days=3)
    assert stock.lot.expires_on == today + dt.timedelta(days=180)
    movement = Movement.objects.get(stock=stock)
    assert (movement.kind, movement.on_hand_delta, movement.actor) == (
        MovementKind.RECEIVED,
        12,
        world.staff_a,
    )


def _receive_post(world, **overrides):
    data = {"product": world.tea.pk, "quantity": "5", "lot_code": "T-1", "expires_on": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"quantity": "0"}, 400, "quantity"),
        ({"quantity": "-3"}, 400, "quantity"),
        ({"quantity": "ba"}, 400, "quantity"),
        ({"quantity": ""}, 400, "quantity"),
        ({"product": ""}, 400, "product"),
        ({"expires_on": "past"}, 400, "expires_on"),
        ({"expires_on": "31/02/2030"}, 400, "expires_on"),
        ({"produced_on": "10/10/2030", "expires_on": "01/01/2030"}, 400, "expires_on"),
        ({"product": "stranger"}, 400, "product"),
    ],
)
def test_bad_receipts_are_refused_and_nothing_is_written(world, overrides, status, field):
    if overrides.get("expires_on") == "past":
        overrides["expires_on"] = ddmmyyyy(local_today() - dt.timedelta(days=1))
    if overrides.get("product") == "stranger":
        stranger = catalogue.producer_save(
            actor=None, name="HTX Mây Tre (thử)", kind="cooperative", commune=places.commune_by_code(583)
        )
        overrides["product"] = w.make_product(stranger, "Giỏ mây", 120_000, "8930000000033").pk
    before = (Movement.objects.count(), Lot.objects.count(), Stock.objects.count())
    response = client_of(world.staff_a).post(
        f"{stock_url(world)}nhap-hang/", _receive_post(world, **overrides)
    )
    assert_refused(response, status, label(ReceiveForm, field))
    assert (Movement.objects.count(), Lot.objects.count(), Stock.objects.count()) == before


def test_goods_of_an_ended_agreement_are_refused(world):
    services.agreement_move(actor=None, agreement=world.agreement_a, to_state=AgreementState.ENDED)
    before = Movement.objects.count()
    response = client_of(world.staff_a).post(
        f"{stock_url(world)}nhap-hang/", {"product": world.bowl.pk, "quantity": "5"}
    )
    assert_refused(response, 400, label(ReceiveForm, "product"))
    assert Movement.objects.count() == before and quantities(world.stock_a) == (20, 0)


def test_receiving_is_for_the_center_people(world):
    data = _receive_post(world)
    assert client_of(world.staff_b).post(f"{stock_url(world)}nhap-hang/", data).status_code == 404
    assert client_of(world.member_b).post(f"{stock_url(world)}nhap-hang/", data).status_code == 404
    assert (
        client_of(make_user(Role.CITY_ADMIN)).post(f"{stock_url(world)}nhap-hang/", data).status_code == 403
    )
    assert client_of(None).post(f"{stock_url(world)}nhap-hang/", data).status_code == 302
    assert not Stock.objects.filter(product=world.tea).exists()


# --- a manager's actions on a row -----------------------------------------------------------------


def test_manager_adjusts_a_count_with_a_reason(world):
    response = client_of(world.manager_a).post(
        row_url(world, world.stock_a, "dieu-chinh"), {"delta": "-2", "reason": "vỡ khi trưng bày"}
    )
    assert response.status_code == 302
    assert quantities(world.stock_a) == (18, 0)
    movement = Movement.objects.filter(stock=world.stock_a).first()
    assert (movement.kind, movement.on_hand_delta, movement.reason, movement.actor) == (
        MovementKind.ADJUSTED,
        -2,
        "vỡ khi trưng bày",
        world.manager_a,
    )
    client_of(world.manager_a).post(
        row_url(world, world.stock_a, "dieu-chinh"), {"delta": "3", "reason": "kiểm kê"}
    )
    assert quantities(world.stock_a) == (21, 0)


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"delta": "0", "reason": "kiểm kê"}, 400, "delta"),
        ({"delta": "-2", "reason": ""}, 400, "reason"),
        ({"delta": "-2", "reason": "   "}, 400, "reason"),
        ({"delta": "-21", "reason": "mất"}, 409, "delta"),
        ({"delta": "hai", "reason": "mất"}, 400, "delta"),
    ],
)
def test_bad_adjustments_are_refused_and_nothing_is_written(world, data, status, field):
    before = Movement.objects.count()
    response = client_of(world.manager_a).post(row_url(world, world.stock_a, "dieu-chinh"), data)
    assert_refused(response, status, label(AdjustForm, field))
    assert response.context["failed"]["stock"] == world.stock_a.pk
    assert Movement.objects.count() == before and quantities(world.stock_a) == (20, 0)


def test_manager_transfers_goods_to_another_center(world):
    response = client_of(world.manager_a).post(
        row_url(world, world.stock_a, "chuyen-kho"), {"to_center": world.center_b.pk, "quantity": "5"}
    )
    assert response.status_code == 302
    assert quantities(world.stock_a) == (15, 0)
    target = Stock.objects.get(center=world.center_b, lot=world.stock_a.lot)
    assert target.on_hand == 5
    kinds = set(Movement.objects.filter(actor=world.manager_a).values_list("kind", "on_hand_delta"))
    assert kinds == {(MovementKind.TRANSFER_OUT, -5), (MovementKind.TRANSFER_IN, 5)}


def test_the_transfer_button_means_moving_goods_to_another_center(world):
    # "Transfer" is also the counter's payment by bank transfer ("Chuyển khoản")
    client = client_of(world.manager_a)
    button = re.compile(r'action="[^"]*/chuyen-kho/".*?<button type="submit"[^>]*>([^<]*)</button>', re.S)
    assert set(button.findall(client.get(stock_url(world)).content.decode())) == {"Chuyển kho"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert set(button.findall(client.get(stock_url(world)).content.decode())) == {"Transfer"}


def test_bad_transfers_are_refused_and_nothing_is_written(world):
    other = w.make_center("Trung tâm OCOP Phú Vinh (thử)", 10321)  # no agreement with producer A
    w.checkout(world, 4)  # 16 of 20 available
    cases = [
        ({"to_center": world.center_a.pk, "quantity": "1"}, 400, "to_center"),
        ({"to_center": world.center_b.pk, "quantity": "17"}, 409, "quantity"),
        ({"to_center": world.center_b.pk, "quantity": "0"}, 400, "quantity"),
        ({"to_center": world.center_b.pk, "quantity": "-1"}, 400, "quantity"),
        ({"to_center": "", "quantity": "1"}, 400, "to_center"),
        ({"to_center": "999999", "quantity": "1"}, 400, "to_center"),
    ]
    client = client_of(world.manager_a)
    before = Movement.objects.count()
    for data, status, field in cases:
        response = client.post(row_url(world, world.stock_a, "chuyen-kho"), data)
        assert_refused(response, status, label(TransferForm, field))
    no_agreement = client.post(
        row_url(world, world.stock_a, "chuyen-kho"), {"to_center": other.pk, "quantity": "1"}
    )
    assert_refused(no_agreement, 400, label(TransferForm, "to_center"))
    assert Movement.objects.count() == before and quantities(world.stock_a) == (20, 4)
    assert not Stock.objects.filter(center__in=[world.center_b, other]).exists()


def test_manager_returns_goods_to_the_producer(world):
    response = client_of(world.manager_a).post(
        row_url(world, world.stock_a, "tra-chu-the"), {"quantity": "3", "reason": "lỗi men"}
    )
    assert response.status_code == 302
    assert quantities(world.stock_a) == (17, 0)
    movement = Movement.objects.filter(stock=world.stock_a).first()
    assert (movement.kind, movement.on_hand_delta) == (MovementKind.RETURNED, -3)


@pytest.mark.parametrize(("quantity", "status"), [("0", 400), ("-2", 400), ("18", 409), ("", 400)])
def test_bad_returns_are_refused_and_nothing_is_written(world, quantity, status):
    w.checkout(world, 3)  # 17 available
    before = Movement.objects.count()
    response = client_of(world.manager_a).post(
        row_url(world, world.stock_a, "tra-chu-the"), {"quantity": quantity}
    )
    assert_refused(response, status, label(ReturnForm, "quantity"))
    assert Movement.objects.count() == before and quantities(world.stock_a) == (20, 3)


def test_row_actions_are_for_the_center_managers(world):
    urls = [
        (row_url(world, world.stock_a, "dieu-chinh"), {"delta": "-1", "reason": "vỡ"}),
        (row_url(world, world.stock_a, "chuyen-kho"), {"to_center": world.center_b.pk, "quantity": "1"}),
        (row_url(world, world.stock_a, "tra-chu-the"), {"quantity": "1"}),
    ]
    for url, data in urls:
        assert client_of(world.staff_a).post(url, data).status_code == 403
        assert client_of(world.manager_b).post(url, data).status_code == 404
        assert client_of(None).post(url, data).status_code == 302
        assert client_of(world.manager_a).get(url).status_code == 405
    # a row of another center, reached through this center's address
    stock_b = services.stock_receive(actor=None, center=world.center_b, product=world.bowl, quantity=4)
    response = client_of(world.manager_a).post(
        row_url(world, stock_b, "tra-chu-the").replace(world.center_b.slug, world.center_a.slug),
        {"quantity": "1"},
    )
    assert response.status_code == 404
    assert quantities(world.stock_a) == (20, 0) and quantities(stock_b) == (4, 0)


def test_only_managers_see_the_row_actions(world):
    staff = client_of(world.staff_a).get(stock_url(world)).content.decode()
    manager = client_of(world.manager_a).get(stock_url(world)).content.decode()
    assert "/dieu-chinh/" not in staff and "/dieu-chinh/" in manager
    assert "/nhap-hang/" in staff


def test_the_ledger_sums_to_the_stock_after_a_day_of_operations(world):
    manager = client_of(world.manager_a)
    staff = client_of(world.staff_a)
    today = local_today()
    staff.post(
        f"{stock_url(world)}nhap-hang/",
        {
            "product": world.tea.pk,
            "quantity": "10",
            "lot_code": "T-A",
            "expires_on": ddmmyyyy(today + dt.timedelta(90)),
        },
    )
    staff.post(f"{stock_url(world)}nhap-hang/", {"product": world.bowl.pk, "quantity": "5"})
    tea = Stock.objects.get(center=world.center_a, product=world.tea)
    manager.post(row_url(world, world.stock_a, "dieu-chinh"), {"delta": "-1", "reason": "vỡ"})
    manager.post(row_url(world, tea, "chuyen-kho"), {"to_center": world.center_b.pk, "quantity": "4"})
    manager.post(row_url(world, world.stock_a, "tra-chu-the"), {"quantity": "2"})
    w.counter_sale(world, 3)
    order = w.checkout(world, 2)
    manager.post(
        row_url(world, world.stock_a, "chuyen-kho"), {"to_center": world.center_a.pk, "quantity": "1"}
    )
    manager.post(row_url(world, world.stock_a, "dieu-chinh"), {"delta": "-100", "reason": "sai"})
    rows = list(Stock.objects.all())
    totals = selectors.ledger_totals([row.pk for row in rows])
    assert {row.pk: (row.on_hand, row.reserved) for row in rows} == totals
    assert quantities(world.stock_a) == (20 + 5 - 1 - 2 - 3, 2)
    assert quantities(tea) == (6, 0)
    assert order.pk


# --- the ledger page -----------------------------------------------------------------------------


def test_ledger_lists_movements_newest_first_with_who_and_why(world):
    manager = client_of(world.manager_a)
    manager.post(row_url(world, world.stock_a, "dieu-chinh"), {"delta": "-2", "reason": "vỡ khi trưng bày"})
    w.checkout(world, 1)
    response = client_of(world.staff_a).get(f"/kho/{world.center_a.slug}/so-kho/")
    assert response.status_code == 200
    kinds = [m.kind for m in response.context["page"]]
    assert kinds == [MovementKind.RESERVED, MovementKind.ADJUSTED, MovementKind.RECEIVED]
    html = response.content.decode()
    assert "vỡ khi trưng bày" in html and str(world.manager_a) in html
    assert str(MovementKind.ADJUSTED.label) in html
    assert ddmmyyyy(local_today()) in html


def test_ledger_filters_by_kind_and_product(world):
    receive_tea(world, 3, "T-1", days=100)
    client_of(world.manager_a).post(
        row_url(world, world.stock_a, "dieu-chinh"), {"delta": "1", "reason": "đếm lại"}
    )
    url = f"/kho/{world.center_a.slug}/so-kho/"
    client = client_of(world.staff_a)
    adjusted = client.get(url, {"kind": "adjusted"})
    assert [m.kind for m in adjusted.context["page"]] == [MovementKind.ADJUSTED]
    teas = client.get(url, {"product": world.tea.pk})
    assert {m.stock.product_id for m in teas.context["page"]} == {world.tea.pk}
    assert len(client.get(url, {"kind": "nonsense"}).context["page"]) == 3


def test_ledger_shows_only_the_center_and_runs_a_fixed_number_of_queries(world):
    services.stock_receive(actor=world.manager_b, center=world.center_b, product=world.bowl, quantity=9)
    client = client_of(world.manager_a)
    url = f"/kho/{world.center_a.slug}/so-kho/"
    response = client.get(url)
    assert {m.stock.center_id for m in response.context["page"]} == {world.center_a.pk}

    def grow(n: int) -> None:
        for _ in range(n):
            services.stock_adjust(actor=world.manager_a, stock=world.stock_a, delta=1, reason="đếm lại")

    assert_fixed_queries(lambda: client.get(url), grow)


# --- agreements ----------------------------------------------------------------------------------


def test_agreements_page_shows_rates_as_percentages_and_dates(world):
    response = client_of(world.staff_a).get(f"/kho/{world.center_a.slug}/hop-dong/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "20%" in html and "01/01/2024" in html and world.producer_a.name in html
    assert response.context["form"] is None  # staff read, managers sign
    assert "/ket-thuc/" not in html


@pytest.mark.parametrize(
    ("typed", "stored"), [("20", "0.2000"), ("12,5", "0.1250"), ("7.25", "0.0725"), ("0", "0")]
)
def test_manager_signs_an_agreement_typing_the_rate_in_percent(world, typed, stored):
    producer = catalogue.producer_save(
        actor=None, name="HTX Mây Tre (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )
    response = client_of(world.manager_a).post(
        f"/kho/{world.center_a.slug}/hop-dong/tao/",
        {
            "producer": producer.pk,
            "commission_rate": typed,
            "starts_on": "01/12/2026",
            "ends_on": "2027-11-30",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(producer=producer, center=world.center_a)
    assert agreement.commission_rate == Decimal(stored)
    assert (agreement.starts_on, agreement.ends_on) == (dt.date(2026, 12, 1), dt.date(2027, 11, 30))
    assert agreement.state == AgreementState.ACTIVE
    assert agreement.events.first().actor == world.manager_a


def test_the_city_signs_agreements_too(world, city_admin):
    producer = catalogue.producer_save(
        actor=None, name="HTX Mây Tre (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )
    response = client_of(city_admin).post(
        f"/kho/{world.center_b.slug}/hop-dong/tao/",
        {"producer": producer.pk, "commission_rate": "15", "starts_on": "01/12/2026"},
    )
    assert response.status_code == 302
    assert Agreement.objects.get(producer=producer).commission_rate == Decimal("0.1500")


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"commission_rate": "60"}, 400, "commission_rate"),
        ({"commission_rate": "-5"}, 400, "commission_rate"),
        ({"commission_rate": "hai mươi"}, 400, "commission_rate"),
        ({"commission_rate": "12,345"}, 400, "commission_rate"),
        ({"starts_on": "30/02/2026"}, 400, "starts_on"),
        ({"starts_on": ""}, 400, "starts_on"),
        ({"ends_on": "01/01/2020"}, 400, "ends_on"),
        ({"producer": "existing"}, 409, "starts_on"),
    ],
)
def test_bad_agreements_are_refused_and_nothing_is_written(world, data, status, field):
    producer = catalogue.producer_save(
        actor=None, name="HTX Mây Tre (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )
    post = {"producer": producer.pk, "commission_rate": "20", "starts_on": "01/12/2026", "ends_on": ""}
    post.update(data)
    if post["producer"] == "existing":
        post["producer"] = world.producer_a.pk
    before = Agreement.objects.count()
    response = client_of(world.manager_a).post(f"/kho/{world.center_a.slug}/hop-dong/tao/", post)
    assert_refused(response, status, label(AgreementForm, field))
    assert Agreement.objects.count() == before


def test_the_agreement_form_lists_no_producers_until_one_is_searched(world):
    for n in range(30):
        catalogue.producer_save(
            actor=None, name=f"Hộ Gốm Thử {n:02d}", kind="household", commune=places.commune_by_code(583)
        )
    client = client_of(world.manager_a)
    page = client.get(f"/kho/{world.center_a.slug}/hop-dong/").content.decode()
    assert page.count('name="producer"') == 0 and "Hộ Gốm Thử" not in page.split("<h2")[-1]
    assert 'hx-get="/kho/' in page and "chu-the/" in page
    found = client.get(f"/kho/{world.center_a.slug}/hop-dong/chu-the/?producer_query=gom thu 1")
    names = found.content.decode()
    assert found.status_code == 200 and names.count('name="producer"') == 12  # 01, 10…19, 21
    assert "Hộ Gốm Thử 15" in names and "Hộ Gốm Thử 05" not in names
    many = client.get(f"/kho/{world.center_a.slug}/hop-dong/chu-the/?producer_query=gốm thử")
    assert many.content.decode().count('name="producer"') == 20 and "20 kết quả đầu" in many.content.decode()
    none = client.get(f"/kho/{world.center_a.slug}/hop-dong/chu-the/?producer_query=khong+co+ai")
    assert 'name="producer"' not in none.content.decode() and "Không có chủ thể" in none.content.decode()
    assert (
        client_of(world.staff_a)
        .get(f"/kho/{world.center_a.slug}/hop-dong/chu-the/?producer_query=gom")
        .status_code
        == 403
    )


def test_without_scripts_find_shows_the_matches_then_the_chosen_one_signs(world):
    producer = catalogue.producer_save(
        actor=None, name="HTX Mây Tre Phú Vinh", kind="cooperative", commune=places.commune_by_code(583)
    )
    client = client_of(world.manager_a)
    url = f"/kho/{world.center_a.slug}/hop-dong/tao/"
    typed = {"producer_query": "may tre", "commission_rate": "15", "starts_on": "01/12/2026"}
    found = client.post(url, {**typed, "find": "1"})
    assert found.status_code == 200 and f'value="{producer.pk}"' in found.content.decode()
    assert (
        'value="may tre"' in found.content.decode()
        and not Agreement.objects.filter(producer=producer).exists()
    )
    unchosen = client.post(url, typed)
    assert unchosen.status_code == 400 and "chọn trong kết quả" in unchosen.content.decode()
    assert f'value="{producer.pk}"' in unchosen.content.decode()  # the matches stay offered
    assert client.post(url, {**typed, "producer": producer.pk}).status_code == 302
    assert Agreement.objects.filter(producer=producer, center=world.center_a).exists()


def test_manager_ends_an_agreement_and_its_goods_can_no_longer_be_received(world):
    url = f"/kho/{world.center_a.slug}/hop-dong/{world.agreement_a.pk}/ket-thuc/"
    response = client_of(world.manager_a).post(url, {"reason": "hợp đồng hết hạn"})
    assert response.status_code == 302
    world.agreement_a.refresh_from_db()
    assert world.agreement_a.state == AgreementState.ENDED and world.agreement_a.ends_on == local_today()
    event = world.agreement_a.events.first()
    assert (event.to_state, event.reason, event.actor) == ("ended", "hợp đồng hết hạn", world.manager_a)
    again = client_of(world.manager_a).post(url, {"reason": "lần hai"})
    assert again.status_code == 409 and again.context["problem"].message
    refused = client_of(world.staff_a).post(
        f"{stock_url(world)}nhap-hang/", {"product": world.bowl.pk, "quantity": "1"}
    )
    assert refused.status_code == 400


def test_agreements_are_signed_and_ended_by_managers_of_the_center(world):
    create = f"/kho/{world.center_a.slug}/hop-dong/tao/"
    end = f"/kho/{world.center_a.slug}/hop-dong/{world.agreement_a.pk}/ket-thuc/"
    data = {"producer": world.producer_a.pk, "commission_rate": "10", "starts_on": "01/01/2030"}
    assert client_of(world.staff_a).post(create, data).status_code == 403
    assert client_of(world.staff_a).post(end).status_code == 403
    assert client_of(world.manager_b).post(create, data).status_code == 404
    assert client_of(world.manager_b).post(end).status_code == 404
    # an agreement of center B through center A's address
    b = Agreement.objects.get(producer=world.producer_a, center=world.center_b)
    assert (
        client_of(world.manager_a).post(f"/kho/{world.center_a.slug}/hop-dong/{b.pk}/ket-thuc/").status_code
        == 404
    )
    assert client_of(None).post(end).status_code == 302
    assert Agreement.objects.filter(state=AgreementState.ENDED).count() == 0
    assert Agreement.objects.count() == 4


# --- a producer's goods ------------------------------------------------------------------------------


def test_producer_sees_its_goods_and_agreements_at_every_center(world):
    services.stock_receive(actor=None, center=world.center_b, product=world.bowl, quantity=7)
    w.checkout(world, 2)
    receive_tea(world, 5, "T-1", days=100)  # producer B's: not shown to A
    response = client_of(world.member_a).get(f"/kho/chu-the/{world.producer_a.slug}/")
    assert response.status_code == 200
    goods = {g.center.pk: g for g in response.context["centers"]}
    assert set(goods) == {world.center_a.pk, world.center_b.pk}
    a = goods[world.center_a.pk]
    assert (a.on_hand, a.reserved, a.available) == (20, 2, 18)
    assert goods[world.center_b.pk].on_hand == 7
    assert all(row.producer_id == world.producer_a.pk for g in goods.values() for row in g.rows)
    assert [agreement.percent for agreement in a.agreements] == ["20%"]
    html = response.content.decode()
    assert world.tea.name not in html and "01/01/2024" in html


def test_producer_page_runs_a_fixed_number_of_queries(world):
    client = client_of(world.member_b)
    made = [0]

    def grow(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            receive_tea(world, 1, f"T-{made[0]:03d}", days=30 + made[0])

    assert_fixed_queries(lambda: client.get(f"/kho/chu-the/{world.producer_b.slug}/"), grow)


def test_perishable_goods_without_an_expiry_date_are_refused_on_the_field(world):
    from ocophub.catalogue.demo import reference_load
    from ocophub.catalogue.models import TaxonomyNode

    reference_load()
    catalogue.product_save(
        actor=None, product=world.tea, taxonomy=TaxonomyNode.objects.get(code="148-che-tra")
    )
    before = (Movement.objects.count(), Lot.objects.count(), Stock.objects.count())
    response = client_of(world.staff_a).post(f"{stock_url(world)}nhap-hang/", _receive_post(world))
    assert_refused(response, 400, label(ReceiveForm, "expires_on"))
    assert response.context["receive_form"].errors["expires_on"] == [
        "Bắt buộc với thực phẩm, đồ uống và dược liệu."
    ]
    assert "Trà sen Tây Hồ hộp 100 g" in response.context["problem"].message
    assert (Movement.objects.count(), Lot.objects.count(), Stock.objects.count()) == before
