"""An online order may not hold a center's whole stock, nor may one guest keep ordering unpaid.

The suite's settings loosen these limits for the other tests; here they are set back to production's.
"""

import pytest
from django.test import Client, override_settings

from ocophub.common.models import RateCounter
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Stock
from ocophub.sales.models import Order, OrderStatus

from . import world as w

pytestmark = pytest.mark.django_db

LIMITS = {
    "ORDER_MAX_UNITS_PER_LINE": 5,
    "ORDER_MAX_UNITS": 8,
    "ORDER_MAX_OPEN_PER_CONTACT": 2,
    "ORDER_MAX_OPEN_PER_ADDRESS": 3,
    "RATE_GUEST_CHECKOUT_PER_ADDRESS": "20/3600",
}


@pytest.fixture
def world(loaded_places):
    world = w.build(on_hand=200)
    return world


def _body(world, quantity=1, *, email="ha@example.vn", phone="0912 345 678", lines=None):
    return {
        "center_id": world.center_a.pk,
        "lines": lines or [{"product_id": world.bowl.pk, "quantity": quantity}],
        "name": "Lê Thu Hà",
        "email": email,
        "phone": phone,
    }


def _order(world, quantity=1, *, address="203.0.113.9", **kwargs):
    return Client().post(
        "/api/v1/orders",
        _body(world, quantity, **kwargs),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def _reserved(world) -> int:
    return Stock.objects.get(pk=world.stock_a.pk).reserved


@override_settings(**LIMITS)
def test_a_line_and_an_order_are_capped_and_nothing_is_held(world):
    response = _order(world, 6)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "order_too_large"
    assert "lines" in response.json()["error"]["fields"]
    two_lines = [{"product_id": world.bowl.pk, "quantity": 5}, {"product_id": world.bowl.pk, "quantity": 1}]
    assert _order(world, lines=two_lines).status_code == 422  # one product over two lines adds up
    assert not Order.objects.exists() and _reserved(world) == 0
    assert _order(world, 5).status_code == 201


@override_settings(**LIMITS)
def test_the_units_in_all_are_capped(world):
    vase = w.make_product(world.producer_a, "Lọ gốm", 90_000, "")
    inventory.stock_receive(actor=None, center=world.center_a, product=vase, quantity=50)
    lines = [{"product_id": world.bowl.pk, "quantity": 5}, {"product_id": vase.pk, "quantity": 4}]
    response = _order(world, lines=lines)
    assert response.status_code == 422 and response.json()["error"]["code"] == "order_too_large"
    assert not Order.objects.exists()


@override_settings(**LIMITS)
def test_a_contact_holds_at_most_two_unpaid_orders(world):
    assert _order(world, address="203.0.113.1").status_code == 201
    assert _order(world, address="203.0.113.2", email="khac@example.vn").status_code == 201  # same phone
    third = _order(world, address="203.0.113.3", email="thu@example.vn", phone="0912 345 678")
    assert third.status_code == 409
    assert third.json()["error"]["code"] == "too_many_open_orders"
    assert "chưa thanh toán" in third.json()["error"]["message"]
    assert Order.objects.count() == 2 and _reserved(world) == 2
    # once one is paid, the contact may order again
    order = Order.objects.first()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    assert _order(world, address="203.0.113.3", email="thu@example.vn").status_code == 201


@override_settings(**LIMITS)
def test_an_address_holds_at_most_three_unpaid_orders(world):
    for n in range(3):
        assert _order(world, email=f"khach{n}@example.vn", phone=f"091200000{n}").status_code == 201
    fourth = _order(world, email="khach9@example.vn", phone="0912000009")
    assert fourth.status_code == 409 and fourth.json()["error"]["code"] == "too_many_open_orders"
    assert (
        _order(world, address="198.51.100.1", email="khach9@example.vn", phone="0912000009").status_code
        == 201
    )
    assert Order.objects.filter(client_ip="203.0.113.9").count() == 3


@override_settings(**{**LIMITS, "ORDER_MAX_OPEN_PER_ADDRESS": 100, "ORDER_MAX_OPEN_PER_CONTACT": 100})
def test_guest_checkouts_per_address_are_rate_limited(world):
    for n in range(20):
        assert _order(world, email=f"k{n}@example.vn").status_code == 201
    limited = _order(world, email="k99@example.vn")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0
    assert Order.objects.count() == 20
    assert RateCounter.objects.get(scope="checkout:address", key="203.0.113.9").hits == 20


@override_settings(**{**LIMITS, "ORDER_MAX_OPEN_PER_ADDRESS": 100, "ORDER_MAX_OPEN_PER_CONTACT": 100})
def test_customers_are_not_counted_against_the_guest_rate(world, customer):
    client = Client()
    client.force_login(customer)
    for n in range(21):
        response = client.post(
            "/api/v1/orders",
            _body(world, email=f"c{n}@example.vn"),
            content_type="application/json",
            REMOTE_ADDR="203.0.113.9",
        )
        assert response.status_code == 201
    assert not RateCounter.objects.exists()


def _checkout_page(world, quantity: int):
    """A guest at another address puts `quantity` bowls in the basket and checks out on the page."""
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.post(
        "/cua-hang/gio-hang/them/",
        {"product": world.bowl.pk, "center": world.center_a.slug, "quantity": quantity},
    )
    contact = {"name": "Lê Thu Hà", "email": "ha@example.vn", "phone": "0912345678", "fulfilment": "pickup"}
    return client.post(f"/cua-hang/thanh-toan/{world.center_a.slug}/", {**contact, "key": "a" * 32})


@override_settings(**LIMITS)
def test_the_checkout_page_says_why_and_holds_nothing(world):
    for n in range(2):
        assert _order(world, address=f"203.0.113.{n + 1}").status_code == 201
    response = _checkout_page(world, 1)
    assert response.status_code == 409
    assert "chưa thanh toán" in response.content.decode()
    assert Order.objects.count() == 2


@override_settings(**LIMITS)
def test_the_checkout_page_refuses_too_many_of_one_product(world):
    response = _checkout_page(world, 6)
    assert response.status_code == 400
    assert "liên hệ trung tâm" in response.content.decode()
    assert not Order.objects.exists() and _reserved(world) == 0
