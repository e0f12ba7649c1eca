"""The counter's pages through the Django test client: shifts, scanning, paying, receipts, returns."""

import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from ocophub.accounts.models import Role
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Stock
from ocophub.sales import services as sales
from ocophub.sales import vietqr
from ocophub.sales.models import Payment, Return, Sale, Shift

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world as sample
from .world import BOWL_GTIN, TEA_GTIN

HTMX = {"HX-Request": "true", "HX-Target": "pos-basket"}


@pytest.fixture
def world(loaded_places):
    return sample.build()


def vi(msgid: str, **values: object) -> str:
    """The Vietnamese text the page shows for `msgid` (whatever the catalogue holds today)."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % values if values else text


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def till_url(center) -> str:
    return f"/quay/{center.slug}/"


def open_shift(world, user=None, opening_float: int = 500_000) -> Shift:
    return sales.shift_open(actor=user or world.staff_a, center=world.center_a, opening_float=opening_float)


def scan(client: Client, center, code: str, *, htmx: bool = False):
    headers = HTMX if htmx else {}
    return client.post(f"/quay/{center.slug}/gio-hang/", {"action": "scan", "code": code}, headers=headers)


def pay_form(response) -> dict:
    """The payment form's fields as the till rendered them (the basket id and its lines)."""
    context = response.context
    return {
        "client_uuid": str(context["basket"].client_uuid),
        "line": [f"{row.product.pk}:{row.quantity}" for row in context["rows"]],
    }


# --- the counter's entry ---------------------------------------------------------------------------


def test_home_goes_straight_to_the_only_till(world):
    response = client_of(world.staff_a).get("/quay/")
    assert response.status_code == 302
    assert response["Location"] == till_url(world.center_a)


def test_home_lists_every_center_where_the_user_sells(world):
    from ocophub.accounts.services import role_grant

    role_grant(actor=None, user=world.staff_a, role=Role.CENTER_STAFF, scope_id=world.center_b.pk)
    open_shift(world)
    response = client_of(world.staff_a).get("/quay/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{till_url(world.center_a)}"' in page and f'href="{till_url(world.center_b)}"' in page
    assert vi("Your shift is open since %(time)s", time="")[:12] in page


def test_home_is_404_for_people_who_sell_nowhere_and_asks_visitors_to_log_in(world):
    assert client_of(world.member_a).get("/quay/").status_code == 404
    assert client_of(make_user(Role.CUSTOMER)).get("/quay/").status_code == 404
    response = Client().get("/quay/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


# --- shifts and the till ---------------------------------------------------------------------------


def test_till_without_a_shift_offers_to_open_one(world):
    client = client_of(world.staff_a)
    response = client.get(till_url(world.center_a))
    assert response.status_code == 200
    assert b'name="opening_float"' in response.content and b'name="code"' not in response.content

    response = client.post(f"/quay/{world.center_a.slug}/mo-ca/", {"opening_float": "1.000.000"})
    assert response.status_code == 302 and response["Location"] == till_url(world.center_a)
    shift = Shift.objects.get(opened_by=world.staff_a, center=world.center_a)
    assert shift.opening_float == 1_000_000 and shift.is_open

    page = client.get(till_url(world.center_a)).content.decode()
    assert 'id="pos-code" name="code" autofocus' in page


def test_a_second_tap_on_open_shift_lands_on_the_till(world):
    client = client_of(world.staff_a)
    url = f"/quay/{world.center_a.slug}/mo-ca/"
    assert client.post(url, {"opening_float": "500000"}).status_code == 302
    response = client.post(url, {"opening_float": "500000"})
    assert response.status_code == 302 and response["Location"] == till_url(world.center_a)
    assert Shift.objects.count() == 1


def test_opening_a_shift_refuses_a_bad_float(world):
    response = client_of(world.staff_a).post(
        f"/quay/{world.center_a.slug}/mo-ca/", {"opening_float": "năm trăm"}
    )
    assert response.status_code == 400
    assert vi("Enter an amount in đồng, digits only.") in response.content.decode()
    assert not Shift.objects.exists()


def test_till_of_another_center_is_404_and_visitors_log_in(world):
    assert client_of(world.staff_b).get(till_url(world.center_a)).status_code == 404
    assert client_of(world.member_a).get(till_url(world.center_a)).status_code == 404
    assert client_of(world.staff_a).get("/quay/khong-co-trung-tam-nay/").status_code == 404
    response = Client().get(till_url(world.center_a))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    response = client_of(world.staff_b).post(
        f"/quay/{world.center_a.slug}/gio-hang/", {"action": "scan", "code": BOWL_GTIN}
    )
    assert response.status_code == 404


# --- scanning, paying, the receipt ---------------------------------------------------------------


def test_scan_sell_in_cash_and_print_the_receipt(world):
    open_shift(world)
    client = client_of(world.staff_a)

    response = scan(client, world.center_a, BOWL_GTIN, htmx=True)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.startswith('<section id="pos-basket"')
    assert vi("Added: %(name)s", name="Bát gốm men lam") in fragment and "150.000 ₫" in fragment

    response = scan(client, world.center_a, BOWL_GTIN)  # a plain form post, without htmx
    assert response.status_code == 302 and response["Location"] == till_url(world.center_a)

    till = client.get(till_url(world.center_a))
    assert till.context["total"] == 300_000
    assert [(row.product.pk, row.quantity) for row in till.context["rows"]] == [(world.bowl.pk, 2)]
    form = pay_form(till)
    response = client.post(
        f"/quay/{world.center_a.slug}/thanh-toan/", {**form, "method": "cash", "tendered": "500.000"}
    )
    sale = Sale.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/"
    assert (
        sale.total == 300_000
        and sale.seller == world.staff_a
        and str(sale.client_uuid) == form["client_uuid"]
    )
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 18

    receipt = client.get(response["Location"]).content.decode()
    for text in (
        world.center_a.name,
        sale.number,
        "2 × 150.000 ₫",
        "300.000 ₫",
        vi("Cash given"),
        "500.000 ₫",
        "200.000 ₫",  # change
        str(world.staff_a),
        sale.created_at.astimezone().strftime("%d/%m/%Y"),
        "data-print",
    ):
        assert text in receipt, text
    # the basket starts afresh
    assert client.get(till_url(world.center_a)).context["rows"] == []


def test_unknown_barcode_says_so_and_changes_nothing(world):
    open_shift(world)
    client = client_of(world.staff_a)
    response = scan(client, world.center_a, "8930000000999", htmx=True)
    assert response.status_code == 422
    assert (
        vi("No product on sale has the barcode “%(code)s”.", code="8930000000999")
        in response.content.decode()
    )
    response = scan(client, world.center_a, "8930000000999")
    assert response.status_code == 422 and "8930000000999" in response.content.decode()
    assert client.get(till_url(world.center_a)).context["rows"] == []


def test_basket_buttons_change_quantities(world):
    open_shift(world)
    client = client_of(world.staff_a)
    scan(client, world.center_a, BOWL_GTIN)
    url = f"/quay/{world.center_a.slug}/gio-hang/"
    client.post(url, {"action": "increase", "product": world.bowl.pk})
    client.post(url, {"action": "increase", "product": world.bowl.pk})
    client.post(url, {"action": "decrease", "product": world.bowl.pk})
    till = client.get(till_url(world.center_a))
    assert [row.quantity for row in till.context["rows"]] == [2]
    client.post(url, {"action": "remove", "product": world.bowl.pk}, headers=HTMX)
    assert client.get(till_url(world.center_a)).context["rows"] == []


def test_paying_twice_with_the_same_basket_id_makes_one_sale(world):
    open_shift(world)
    client = client_of(world.staff_a)
    scan(client, world.center_a, BOWL_GTIN)
    form = {**pay_form(client.get(till_url(world.center_a))), "method": "cash", "tendered": "200000"}
    url = f"/quay/{world.center_a.slug}/thanh-toan/"
    first = client.post(url, form)
    second = client.post(url, form)  # a double tap, or the browser retrying after a lost answer
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Sale.objects.count() == 1 and Payment.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 19


def test_sold_out_shows_the_message_writes_nothing_and_keeps_the_basket(world):
    open_shift(world)
    client = client_of(world.staff_a)
    scan(client, world.center_a, BOWL_GTIN)
    for _n in range(20):
        client.post(
            f"/quay/{world.center_a.slug}/gio-hang/", {"action": "increase", "product": world.bowl.pk}
        )
    till = client.get(till_url(world.center_a))
    assert vi("Only %(n)s left here.", n=20) in till.content.decode()  # the warning before paying
    response = client.post(
        f"/quay/{world.center_a.slug}/thanh-toan/", {**pay_form(till), "method": "cash", "tendered": ""}
    )
    assert response.status_code == 409
    assert vi("Only %(n)s left, %(asked)s asked for.", n=20, asked=21) in response.content.decode()
    assert not Sale.objects.exists() and not Payment.objects.exists()
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 20
    assert [row.quantity for row in client.get(till_url(world.center_a)).context["rows"]] == [21]


def test_cash_less_than_the_total_is_refused(world):
    open_shift(world)
    client = client_of(world.staff_a)
    scan(client, world.center_a, BOWL_GTIN)
    till = client.get(till_url(world.center_a))
    response = client.post(
        f"/quay/{world.center_a.slug}/thanh-toan/", {**pay_form(till), "method": "cash", "tendered": "100000"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        vi(
            "The cash given (%(given)s) is less than the total (%(total)s).",
            given="100.000 ₫",
            total="150.000 ₫",
        )
        in page
    )
    assert 'value="100000"' in page  # what was typed stays in the field
    assert not Sale.objects.exists() and not Payment.objects.exists()
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 20
    assert len(client.get(till_url(world.center_a)).context["rows"]) == 1


def test_transfer_shows_the_vietqr_of_the_basket_and_records_its_reference(world):
    open_shift(world)
    client = client_of(world.staff_a)
    scan(client, world.center_a, BOWL_GTIN)
    till = client.get(till_url(world.center_a))
    basket = till.context["basket"]
    expected = vietqr.payload(
        bank_bin="970415", account="113366668888", amount=150_000, message=basket.reference
    )
    assert till.context["qr"] == vietqr.svg(expected)
    assert basket.reference in till.content.decode() and "<svg" in till.content.decode()

    response = client.post(
        f"/quay/{world.center_a.slug}/thanh-toan/", {**pay_form(till), "method": "transfer"}
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.method == "transfer" and payment.reference == basket.reference and payment.tendered is None


def test_the_transfer_payment_button_means_a_bank_transfer(world):
    # "Transfer" is also the stock page's button for moving goods between centers ("Chuyển kho")
    open_shift(world)
    client = client_of(world.staff_a)
    scan(client, world.center_a, BOWL_GTIN)
    method = re.compile(r'<input type="radio" name="method" value="transfer"[^>]*><span>([^<]*)</span>')
    assert method.findall(client.get(till_url(world.center_a)).content.decode()) == ["Chuyển khoản"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert method.findall(client.get(till_url(world.center_a)).content.decode()) == ["Transfer"]


def test_a_center_without_a_bank_account_says_transfers_are_not_set_up(world):
    inventory.stock_receive(actor=None, center=world.center_b, product=world.tea, quantity=5)
    sales.shift_open(actor=world.staff_b, center=world.center_b, opening_float=0)
    client = client_of(world.staff_b)
    scan(client, world.center_b, TEA_GTIN)
    till = client.get(till_url(world.center_b))
    page = till.content.decode()
    assert vi("Bank transfers are not set up for this center.") in page
    assert 'value="transfer" disabled' in page and till.context["qr"] == ""
    response = client.post(
        f"/quay/{world.center_b.slug}/thanh-toan/", {**pay_form(till), "method": "transfer"}
    )
    assert response.status_code == 400 and not Sale.objects.exists()


def test_card_payment_is_recorded(world):
    open_shift(world)
    client = client_of(world.staff_a)
    scan(client, world.center_a, BOWL_GTIN)
    till = client.get(till_url(world.center_a))
    client.post(
        f"/quay/{world.center_a.slug}/thanh-toan/",
        {**pay_form(till), "method": "card", "reference": "POS 004512"},
    )
    payment = Payment.objects.get()
    assert (payment.method, payment.reference, payment.amount) == ("card", "POS 004512", 150_000)


def test_search_ignores_diacritics_and_offers_only_goods_in_stock(world):
    open_shift(world)
    client = client_of(world.staff_a)
    url = f"/quay/{world.center_a.slug}/tim-kiem/"
    found = client.get(url, {"q": "BAT GOM"}, headers={"HX-Request": "true"})
    assert found.status_code == 200
    assert [p.pk for p, _n in found.context["results"]] == [world.bowl.pk]
    assert vi("%(n)s in stock", n=20) in found.content.decode()
    assert client.get(url, {"q": "tra sen"}).context["results"] == []  # no tea at A yet
    inventory.stock_receive(actor=None, center=world.center_a, product=world.tea, quantity=3)
    assert [p.pk for p, _n in client.get(url, {"q": "trà sen"}).context["results"]] == [world.tea.pk]
    # the till page without htmx shows the same results
    till = client.get(till_url(world.center_a), {"q": "tra"})
    assert [p.pk for p, _n in till.context["results"]] == [world.tea.pk]
    # a tap on a result adds it
    client.post(f"/quay/{world.center_a.slug}/gio-hang/", {"action": "add", "product": world.tea.pk})
    assert [row.product.pk for row in client.get(till_url(world.center_a)).context["rows"]] == [world.tea.pk]


# --- receipts and returns ------------------------------------------------------------------------


def test_receipt_is_404_outside_the_center_and_asks_visitors_to_log_in(world):
    sale = sample.counter_sale(world, 1)
    url = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/"
    assert client_of(world.manager_a).get(url).status_code == 200
    assert client_of(world.staff_b).get(url).status_code == 404
    assert (
        client_of(world.staff_b).get(f"/quay/{world.center_b.slug}/hoa-don/{sale.number}/").status_code == 404
    )
    assert client_of(world.staff_a).get(f"/quay/{world.center_a.slug}/hoa-don/HD-9999999/").status_code == 404
    response = Client().get(url)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_return_form_books_the_return_and_the_receipt_shows_it(world):
    sale = sample.counter_sale(world, 3)
    client = client_of(world.staff_a)
    url = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/tra-hang/"
    line = sale.lines.get()
    form = client.get(url)
    assert form.status_code == 200
    assert [row["left"] for row in form.context["rows"]] == [3]

    response = client.post(url, {f"qty_{line.pk}": "1", "reason": "Sứt miệng bát", "restock": "on"})
    assert response.status_code == 302
    ret = Return.objects.get()
    assert ret.amount == 150_000 and ret.restock and ret.shift == sale.shift
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 20 - 3 + 1

    receipt = client.get(response["Location"]).content.decode()
    assert ret.number in receipt and "Sứt miệng bát" in receipt and "−150.000 ₫" in receipt
    assert "300.000 ₫" in receipt  # net paid
    assert [row["left"] for row in client.get(url).context["rows"]] == [2]


def test_the_same_return_form_sent_twice_books_one_return(world):
    sale = sample.counter_sale(world, 3)
    client = client_of(world.staff_a)
    url = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/tra-hang/"
    form_key = str(client.get(url).context["form_key"])
    line = sale.lines.get()
    form = {"form_key": form_key, f"qty_{line.pk}": "1", "reason": "Sứt miệng bát", "restock": "on"}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert Return.objects.count() == 1
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 18


def test_return_refuses_more_than_is_left_and_writes_nothing(world):
    sale = sample.counter_sale(world, 2)
    client = client_of(world.staff_a)
    url = f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/tra-hang/"
    line = sale.lines.get()
    response = client.post(url, {f"qty_{line.pk}": "3", "reason": "Đổi ý"})
    assert response.status_code == 400
    assert (
        vi("Only %(n)s of “%(name)s” can still come back.", n=2, name="Bát gốm men lam")
        in response.content.decode()
    )
    response = client.post(url, {f"qty_{line.pk}": "1", "reason": ""})
    assert response.status_code == 400 and vi("Say why the goods come back.") in response.content.decode()
    assert not Return.objects.exists()
    assert client_of(world.staff_b).get(url).status_code == 404


# --- closing the shift -----------------------------------------------------------------------------


def test_close_shift_with_the_counted_cash_shows_the_variance(world):
    sale = sample.counter_sale(world, 2)  # 300.000 ₫ in cash on a 500.000 ₫ float
    shift = sale.shift
    client = client_of(world.staff_a)
    url = f"/quay/{world.center_a.slug}/ca/{shift.pk}/dong/"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["summary"].expected == 800_000
    assert "800.000 ₫" in page.content.decode()

    response = client.post(url, {"counted_cash": "790.000", "notes": "Thiếu tiền lẻ"})
    assert (
        response.status_code == 302 and response["Location"] == f"/quay/{world.center_a.slug}/ca/{shift.pk}/"
    )
    shift.refresh_from_db()
    assert (shift.expected_cash, shift.counted_cash, shift.variance) == (800_000, 790_000, -10_000)
    summary = client.get(response["Location"]).content.decode()
    assert "-10.000 ₫" in summary and vi("Cash short") in summary and "pos-variance-short" in summary
    assert client.get(url).status_code == 302  # closed: the closing form sends to the summary
    # the till offers a new shift
    assert b'name="opening_float"' in client.get(till_url(world.center_a)).content


def test_close_shift_needs_the_counted_cash(world):
    shift = open_shift(world)
    response = client_of(world.staff_a).post(
        f"/quay/{world.center_a.slug}/ca/{shift.pk}/dong/", {"counted_cash": ""}
    )
    assert response.status_code == 400
    assert vi("Enter the cash counted in the drawer.") in response.content.decode()
    shift.refresh_from_db()
    assert shift.is_open


def test_shifts_are_closed_by_their_cashier_and_the_managers_only(world):
    shift = open_shift(world)
    colleague = make_user(Role.CENTER_STAFF, scope_id=world.center_a.pk)
    url = f"/quay/{world.center_a.slug}/ca/{shift.pk}/"
    assert client_of(colleague).get(url).status_code == 404
    assert client_of(colleague).post(url + "dong/", {"counted_cash": "0"}).status_code == 404
    assert client_of(world.staff_b).get(url).status_code == 404
    assert client_of(world.manager_b).get(f"/quay/{world.center_b.slug}/ca/{shift.pk}/").status_code == 404
    response = client_of(world.manager_a).post(url + "dong/", {"counted_cash": "500000"})
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.closed_by == world.manager_a and shift.variance == 0


def test_managers_see_the_recent_shifts_with_fixed_queries(world):
    sale = sample.counter_sale(world, 1)
    client = client_of(world.manager_a)
    url = f"/quay/{world.center_a.slug}/ca/{sale.shift_id}/"
    page = client.get(url)
    assert page.status_code == 200 and [s.pk for s in page.context["recent"]] == [sale.shift_id]
    assert client_of(world.staff_a).get(url).context["recent"] is None

    def grow(n: int) -> None:
        for _n in range(n):
            sample.counter_sale(world, 1)
            cashier = make_user(Role.CENTER_STAFF, scope_id=world.center_a.pk)
            other = sales.shift_open(actor=cashier, center=world.center_a, opening_float=100_000)
            sales.shift_close(actor=cashier, shift=other, counted_cash=100_000)

    assert_fixed_queries(lambda: client.get(url), grow)


def test_till_runs_fixed_queries_as_the_shift_sells(world):
    open_shift(world)
    client = client_of(world.staff_a)
    scan(client, world.center_a, BOWL_GTIN)

    def grow(n: int) -> None:
        for _n in range(n):
            sales.sale_create(
                actor=world.staff_a,
                center=world.center_a,
                client_uuid=uuid.uuid4(),
                lines=[sales.LineIn(world.bowl.pk, 1)],
                method="card",
            )

    assert_fixed_queries(lambda: client.get(till_url(world.center_a)), grow, steps=(2, 6))
