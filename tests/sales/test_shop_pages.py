"""The online shop's pages: buy panel, basket, checkout, order pages, the centers' order desk, e-mails."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from ocophub.catalogue import services as catalogue
from ocophub.common.models import IdempotencyRecord
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Stock
from ocophub.places import selectors as places
from ocophub.places.models import Era
from ocophub.sales import vietqr
from ocophub.sales.models import Order, OrderEvent, OrderStatus, Payment, Sale
from ocophub.sales.tasks import orders_release_expired

from ..helpers import assert_fixed_queries, count_queries
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def _stock(world) -> tuple[int, int]:
    stock = Stock.objects.get(pk=world.stock_a.pk)
    return stock.on_hand, stock.reserved


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _add(client: Client, world, quantity: object = 1, center=None):
    center = center or world.center_a
    return client.post(
        "/cua-hang/gio-hang/them/", {"product": world.bowl.pk, "center": center.slug, "quantity": quantity}
    )


def _pickup(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Trần Văn Minh",
        "email": "minh@example.vn",
        "phone": "0987 654 321",
        "fulfilment": "pickup",
        "key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the buy panel on the product page -------------------------------------------------------------


def test_product_page_offers_the_buy_panel_per_carrying_center(world):
    response = _client().get(f"/san-pham/{world.bowl.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/cua-hang/gio-hang/them/"' in html
    assert f'name="center" value="{world.center_a.slug}"' in html
    assert f'name="center" value="{world.center_b.slug}"' not in html  # nothing in stock at B
    assert 'max="20"' in html  # what can be bought at A


def test_the_buy_panel_reads_every_carrying_centers_stock_in_one_query(world):
    def page_queries():
        _client().get(f"/san-pham/{world.bowl.slug}/")  # fills what a stock change made the cache forget
        return count_queries(lambda: _client().get(f"/san-pham/{world.bowl.slug}/"))

    one, page = page_queries()
    assert f'name="center" value="{world.center_b.slug}"' not in page.content.decode()
    inventory.stock_receive(actor=None, center=world.center_b, product=world.bowl, quantity=4)
    two, page = page_queries()
    html = page.content.decode()
    assert f'name="center" value="{world.center_a.slug}"' in html and 'max="20"' in html
    assert f'name="center" value="{world.center_b.slug}"' in html and 'max="4"' in html
    assert one == two


def test_product_without_price_has_no_buy_button(world):
    catalogue.product_save(actor=None, product=world.bowl, list_price=None)
    html = _client().get(f"/san-pham/{world.bowl.slug}/").content.decode()
    assert 'action="/cua-hang/gio-hang/them/"' not in html


# --- the basket ------------------------------------------------------------------------------------


def test_adding_fills_the_basket_grouped_by_center(world):
    client = _client()
    assert _add(client, world, 2).status_code == 302
    assert _add(client, world, 1).status_code == 302
    response = client.get("/cua-hang/gio-hang/")
    html = response.content.decode()
    assert response.status_code == 200
    assert world.center_a.name in html and "Bát gốm men lam" in html
    assert 'value="3"' in html and f'href="/cua-hang/thanh-toan/{world.center_a.slug}/"' in html


@pytest.mark.parametrize("quantity", ["abc", "0", "-2", "2.5", ""])
def test_a_bad_quantity_is_refused_with_a_message(world, quantity):
    client = _client()
    response = _add(client, world, quantity)
    assert response.status_code == 400
    assert any("quantity" in m or "số lượng" in m.lower() for m in _messages(response))
    assert client.session.get("shop_basket") in (None, {})


def test_unknown_product_or_center_is_refused(world):
    client = _client()
    response = client.post(
        "/cua-hang/gio-hang/them/", {"product": world.tea.pk, "center": "khong-co", "quantity": 1}
    )
    assert response.status_code == 400 and _messages(response)


def test_basket_warns_when_more_than_available_and_hides_checkout(world):
    client = _client()
    _add(client, world, 25)
    html = client.get("/cua-hang/gio-hang/").content.decode()
    assert "line-over" in html
    assert f'href="/cua-hang/thanh-toan/{world.center_a.slug}/"' not in html


def test_basket_quantities_change_and_lines_are_removed(world):
    client = _client()
    _add(client, world, 2)
    center = world.center_a.pk
    assert (
        client.post("/cua-hang/gio-hang/", {"center": center, f"qty-{world.bowl.pk}": "5"}).status_code == 302
    )
    assert client.session["shop_basket"] == {str(center): {str(world.bowl.pk): 5}}
    bad = client.post("/cua-hang/gio-hang/", {"center": center, f"qty-{world.bowl.pk}": "nhiều"})
    assert bad.status_code == 400
    assert client.session["shop_basket"] == {str(center): {str(world.bowl.pk): 5}}
    client.post("/cua-hang/gio-hang/", {"center": center, "remove": world.bowl.pk})
    assert client.session["shop_basket"] == {}


# --- checkout --------------------------------------------------------------------------------------


def test_checkout_for_pickup_holds_the_goods_and_leads_to_the_order(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    client = _client()
    _add(client, world, 2)
    page = client.get(f"/cua-hang/thanh-toan/{world.center_a.slug}/")
    assert page.status_code == 200 and "300.000" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", _pickup())
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cua-hang/don-hang/{order.token}/"
    assert (order.status, order.total, order.customer_id, order.fulfilment) == (
        OrderStatus.AWAITING_PAYMENT,
        300_000,
        None,
        "pickup",
    )
    assert order.phone == "+84987654321"
    assert _stock(world) == (20, 2)
    assert client.session["shop_basket"] == {}
    assert len(mailoutbox) == 2  # the customer's confirmation, then the center's notice
    mail = mailoutbox[0]
    assert order.number in mail.subject and mail.to == ["minh@example.vn"]
    assert f"/cua-hang/don-hang/{order.token}/" in mail.body
    assert vietqr.fold_message(order.number) in mail.body and "113366668888" in mail.body


def test_checkout_prefills_a_logged_in_customer_and_the_order_is_theirs(world, customer):
    client = _client(customer)
    _add(client, world, 1)
    html = client.get(f"/cua-hang/thanh-toan/{world.center_a.slug}/").content.decode()
    assert customer.full_name in html
    client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", _pickup())
    assert Order.objects.get().customer_id == customer.pk


def test_checkout_for_delivery_needs_address_and_commune(world):
    client = _client()
    _add(client, world, 1)
    url = f"/cua-hang/thanh-toan/{world.center_a.slug}/"
    response = client.post(url, _pickup(fulfilment="delivery"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"address", "commune"}
    assert Order.objects.count() == 0 and _stock(world) == (20, 0)
    commune = places.communes(era=Era.CURRENT).get(name="Xã Bát Tràng")
    response = client.post(url, _pickup(fulfilment="delivery", address="Số 5 ngõ 3", commune=str(commune.pk)))
    order = Order.objects.get()
    assert response.status_code == 302 and (order.address, order.commune_id) == ("Số 5 ngõ 3", commune.pk)


def test_checkout_with_missing_contact_re_renders_with_field_messages(world):
    client = _client()
    _add(client, world, 1)
    response = client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", _pickup(name="", email="x"))
    assert response.status_code == 400
    assert {"name", "email"} <= set(response.context["form"].errors)
    assert Order.objects.count() == 0 and _stock(world) == (20, 0)


def test_sold_out_checkout_says_so_and_writes_nothing(world):
    client = _client()
    _add(client, world, 5)
    w.checkout(world, 18)  # someone else holds 18 of the 20 meanwhile
    events, movements = OrderEvent.objects.count(), Stock.objects.get(pk=world.stock_a.pk).reserved
    response = client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", _pickup())
    assert response.status_code == 409
    assert any("2" in m for m in _messages(response))
    assert Order.objects.count() == 1 and OrderEvent.objects.count() == events
    assert _stock(world) == (20, movements)
    assert client.session["shop_basket"] == {str(world.center_a.pk): {str(world.bowl.pk): 5}}


def test_a_double_submitted_checkout_places_one_order(world):
    client = _client()
    _add(client, world, 1)
    data = _pickup()
    first = client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", data)
    second = client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", data)
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1 and IdempotencyRecord.objects.count() == 1


def test_checkout_with_an_empty_basket_goes_back_to_the_basket(world):
    response = _client().get(f"/cua-hang/thanh-toan/{world.center_a.slug}/")
    assert response.status_code == 302 and response["Location"] == "/cua-hang/gio-hang/"


def test_checkout_at_a_center_that_does_not_sell_is_404(world):
    assert _client().get("/cua-hang/thanh-toan/khong-co/").status_code == 404


# --- the order page --------------------------------------------------------------------------------


def test_guest_sees_the_order_by_its_token_with_the_vietqr_code(world):
    order = w.checkout(world, 2)
    response = _client().get(f"/cua-hang/don-hang/{order.token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert order.number in html and "300.000" in html
    assert timezone.localtime(order.hold_until).strftime("%d/%m/%Y %H:%M") in html
    assert "<svg" in html and vietqr.fold_message(order.number) in html
    expected = vietqr.payload(bank_bin="970415", account="113366668888", amount=300_000, message=order.number)
    assert response.context["transfer"]["payload"] == expected
    assert world.center_a.name in html


def test_without_the_token_another_user_gets_404(world, customer):
    w.checkout(world, 1)
    other = _client(customer)
    assert other.get(f"/cua-hang/don-hang/{uuid.uuid4()}/").status_code == 404
    assert other.get("/cua-hang/don-cua-toi/").context["orders"] == []


def test_a_paid_order_shows_no_payment_code_and_no_cancel(world):
    order = w.checkout(world, 1)
    from ocophub.sales import services

    services.order_pay(actor=world.staff_a, order=order, reference="FT1")
    html = _client().get(f"/cua-hang/don-hang/{order.token}/").content.decode()
    assert "<svg" not in html and "/huy/" not in html


def test_customer_cancels_an_unpaid_order_and_the_goods_go_back(world, customer):
    order = w.checkout(world, 3, actor=customer)
    client = _client(customer)
    assert _stock(world) == (20, 3)
    response = client.post(f"/cua-hang/don-hang/{order.token}/huy/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and _stock(world) == (20, 0)


def test_my_orders_lists_the_customers_orders(world, customer):
    mine = w.checkout(world, 1, actor=customer)
    w.checkout(world, 1)  # a guest's
    response = _client(customer).get("/cua-hang/don-cua-toi/")
    assert response.status_code == 200 and response.context["orders"] == [mine]


def test_my_orders_needs_a_login():
    response = Client().get("/cua-hang/don-cua-toi/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_my_orders_runs_a_fixed_number_of_queries(world, customer):
    client = _client(customer)
    assert_fixed_queries(
        lambda: client.get("/cua-hang/don-cua-toi/"),
        lambda n: [w.checkout(world, 1, actor=customer) for _ in range(n)],
        steps=(2, 6),
    )


# --- staff -----------------------------------------------------------------------------------------


def test_center_orders_for_its_staff_filtered_by_status(world):
    waiting = w.checkout(world, 1)
    paid = w.checkout(world, 1)
    from ocophub.sales import services

    services.order_pay(actor=world.staff_a, order=paid)
    client = _client(world.staff_a)
    response = client.get(f"/cua-hang/quan-ly/{world.center_a.slug}/")
    assert response.status_code == 200 and {o.pk for o in response.context["orders"]} == {waiting.pk, paid.pk}
    response = client.get(f"/cua-hang/quan-ly/{world.center_a.slug}/?status=paid")
    assert [o.pk for o in response.context["orders"]] == [paid.pk]


def test_center_orders_of_another_center_are_404(world):
    w.checkout(world, 1)
    assert _client(world.staff_b).get(f"/cua-hang/quan-ly/{world.center_a.slug}/").status_code == 404
    assert _client(world.member_a).get(f"/cua-hang/quan-ly/{world.center_a.slug}/").status_code == 404


def test_center_orders_run_a_fixed_number_of_queries(world):
    client = _client(world.staff_a)
    assert_fixed_queries(
        lambda: client.get(f"/cua-hang/quan-ly/{world.center_a.slug}/"),
        lambda n: [w.checkout(world, 1) for _ in range(n)],
        steps=(2, 6),
    )


def test_staff_confirms_payment_then_ready_sends_the_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    order = w.checkout(world, 3)
    client = _client(world.staff_a)
    base = f"/cua-hang/quan-ly/{world.center_a.slug}/{order.number}/"
    detail = client.get(base)
    assert detail.status_code == 200 and detail.context["actions"] == ["paid", "cancelled"]
    response = client.post(base + "xu-ly/", {"action": "paid", "method": "transfer", "reference": "FT2611"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert _stock(world) == (17, 0)
    assert Payment.objects.get(order=order).reference == "FT2611"
    assert Sale.objects.get(order=order).total == 450_000
    assert client.get(base).context["actions"] == ["ready", "refunded"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base + "xu-ly/", {"action": "ready"})
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert order.number in mail.subject and mail.to == ["lan@example.vn"]
    assert world.center_a.name in mail.body
    client.post(base + "xu-ly/", {"action": "completed"})
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_staff_cannot_skip_steps_or_cancel_without_a_reason(world):
    order = w.checkout(world, 1)
    client = _client(world.staff_a)
    base = f"/cua-hang/quan-ly/{world.center_a.slug}/{order.number}/xu-ly/"
    assert client.post(base, {"action": "completed"}).status_code == 400
    assert client.post(base, {"action": "cancelled", "reason": " "}).status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and _stock(world) == (20, 1)
    assert client.post(base, {"action": "cancelled", "reason": "Khách gọi hủy"}).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and _stock(world) == (20, 0)
    assert order.events.order_by("at", "pk").last().reason == "Khách gọi hủy"


def test_staff_refunds_a_paid_order_and_the_goods_come_back(world):
    order = w.checkout(world, 2)
    client = _client(world.manager_a)
    base = f"/cua-hang/quan-ly/{world.center_a.slug}/{order.number}/xu-ly/"
    client.post(base, {"action": "paid", "method": "transfer"})
    assert _stock(world) == (18, 0)
    assert client.post(base, {"action": "refunded", "reason": "Hàng vỡ"}).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and _stock(world) == (20, 0)


def test_staff_of_another_center_cannot_act_on_an_order(world):
    order = w.checkout(world, 1)
    client = _client(world.staff_b)
    base = f"/cua-hang/quan-ly/{world.center_a.slug}/{order.number}/"
    assert client.get(base).status_code == 404
    assert client.post(base + "xu-ly/", {"action": "paid", "method": "cash"}).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


# --- hold release ----------------------------------------------------------------------------------


def test_an_unpaid_order_past_its_hold_is_cancelled_and_a_paid_one_untouched(world):
    from ocophub.sales import services

    unpaid = w.checkout(world, 3)
    paid = w.checkout(world, 2)
    services.order_pay(actor=world.staff_a, order=paid)
    assert _stock(world) == (18, 3)
    with time_machine.travel(unpaid.hold_until - dt.timedelta(minutes=1)):
        assert orders_release_expired.call() == 0
    with time_machine.travel(unpaid.hold_until + dt.timedelta(minutes=1)):
        assert orders_release_expired.call() == 1
    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert unpaid.status == OrderStatus.CANCELLED and paid.status == OrderStatus.PAID
    assert _stock(world) == (18, 0)
    html = _client().get(f"/cua-hang/don-hang/{unpaid.token}/").content.decode()
    assert "<svg" not in html
