"""A customer who logs in by phone checks out without an e-mail address; the order's notices then go
to the phone by text message (the SMS backend) instead of by e-mail."""

import uuid

import pytest
from django.test import Client

from ocophub.accounts.services import customer_sign_up
from ocophub.common import sms
from ocophub.common.errors import Conflict
from ocophub.inventory.models import Stock
from ocophub.sales.models import Order, OrderStatus

from . import world as w

pytestmark = pytest.mark.django_db

PHONE = "+84912777888"


@pytest.fixture
def world(loaded_places):
    return w.build()


@pytest.fixture
def phone_customer(db):
    return customer_sign_up(
        full_name="Lê Thị Hoa", email=None, phone="0912 777 888", password="gốm-men-lam-9"
    )


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _add(client: Client, world, quantity: int = 1):
    return client.post(
        "/cua-hang/gio-hang/them/",
        {"product": world.bowl.pk, "center": world.center_a.slug, "quantity": quantity},
    )


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Lê Thị Hoa",
        "email": "",
        "phone": "0912 777 888",
        "fulfilment": "pickup",
        "key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def _reserved(world) -> int:
    return Stock.objects.get(pk=world.stock_a.pk).reserved


def test_a_phone_customer_checks_out_without_an_email_and_gets_a_text(
    world, phone_customer, mailoutbox, django_capture_on_commit_callbacks
):
    client = _client(phone_customer)
    _add(client, world, 2)
    page = client.get(f"/cua-hang/thanh-toan/{world.center_a.slug}/")
    form = page.context["form"]
    assert page.status_code == 200 and form.initial["email"] == "" and form.initial["phone"] == PHONE
    assert "E-mail (không bắt buộc)" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", _form())
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cua-hang/don-hang/{order.token}/"
    assert (order.email, order.phone, order.customer_id) == ("", PHONE, phone_customer.pk)
    assert order.status == OrderStatus.AWAITING_PAYMENT and _reserved(world) == 2
    # the customer gets no e-mail: the only one is the center's notice of a new order, to its staff
    assert [m.subject for m in mailoutbox] == [f"Đơn hàng trực tuyến mới {order.number}"]
    assert phone_customer.email not in mailoutbox[0].to
    assert [m.phone for m in sms.outbox] == [PHONE]
    text = sms.outbox[0].text
    assert order.number in text and "300.000" in text and f"/cua-hang/don-hang/{order.token}/" in text


def test_the_ready_notice_of_an_order_without_email_goes_by_text(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    order = w.checkout(world, 1, email="")
    staff = _client(world.staff_a)
    base = f"/cua-hang/quan-ly/{world.center_a.slug}/{order.number}/"
    detail = staff.get(base)
    assert detail.status_code == 200 and "—" in detail.content.decode()
    staff.post(base + "xu-ly/", {"action": "paid", "method": "transfer", "reference": "FT1"})
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(base + "xu-ly/", {"action": "ready"})
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    assert mailoutbox == []
    assert len(sms.outbox) == 1 and sms.outbox[0].phone == "+84912345678"
    assert order.number in sms.outbox[0].text and world.center_a.name in sms.outbox[0].text


def test_an_order_with_an_email_still_goes_by_email(world, mailoutbox, django_capture_on_commit_callbacks):
    client = _client()
    _add(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", _form(email="hoa@example.vn"))
    to_customer = [m for m in mailoutbox if m.to == ["hoa@example.vn"]]
    assert len(to_customer) == 1
    assert sms.outbox == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"email": "khong-phai-email"}, "email"),
        ({"email": "x" * 300}, "email"),
    ],
)
def test_without_a_good_phone_or_with_a_bad_email_nothing_is_ordered(world, phone_customer, overrides, field):
    client = _client(phone_customer)
    _add(client, world)
    response = client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", _form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Order.objects.exists() and _reserved(world) == 0
    assert sms.outbox == []


def test_orders_without_email_count_by_phone_only(world, settings):
    """Open unpaid orders are capped per contact: empty e-mails are not one shared contact."""
    settings.ORDER_MAX_OPEN_PER_CONTACT = 1
    w.checkout(world, 1, email="", phone="0912 000 111")
    second = w.checkout(world, 1, email="", phone="0912 000 222")
    assert second.status == OrderStatus.AWAITING_PAYMENT
    with pytest.raises(Conflict):
        w.checkout(world, 1, email="", phone="0912 000 222")
    assert Order.objects.count() == 2
