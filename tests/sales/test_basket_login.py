"""The shop basket survives logging in and out: a guest's basket joins the customer's saved one when
they log in (by e-mail or by phone), and logging out and in again finds the same basket."""

import pytest
from django.test import Client

from ocophub.accounts.services import customer_sign_up
from ocophub.sales.forms_shop import MAX_CENTERS
from ocophub.sales.models import SavedBasket

from . import world as w

pytestmark = pytest.mark.django_db

PASSWORD = "gốm-men-lam-9"


@pytest.fixture
def world(loaded_places):
    return w.build()


@pytest.fixture
def phone_customer(db):
    return customer_sign_up(full_name="Lê Thị Hoa", email=None, phone="0912 777 888", password=PASSWORD)


def _add(client: Client, world, product=None, quantity: int = 1, center=None):
    product, center = product or world.bowl, center or world.center_a
    return client.post(
        "/cua-hang/gio-hang/them/", {"product": product.pk, "center": center.slug, "quantity": quantity}
    )


def _login(client: Client, username: str = "0912 777 888"):
    response = client.post("/tai-khoan/dang-nhap/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _basket(client: Client) -> dict:
    return client.session.get("shop_basket") or {}


def test_a_guest_basket_is_kept_when_logging_in_by_phone(world, phone_customer):
    client = Client()
    _add(client, world, quantity=2)
    before = client.session.session_key
    _login(client)
    assert client.session.session_key != before  # the session key is rotated at login
    assert _basket(client) == {str(world.center_a.pk): {str(world.bowl.pk): 2}}
    assert SavedBasket.objects.get(user=phone_customer).lines == _basket(client)
    page = client.get("/cua-hang/gio-hang/")
    assert page.status_code == 200 and world.bowl.name in page.content.decode()


def test_logging_out_and_in_again_finds_the_same_basket(world, phone_customer):
    client = Client()
    _login(client)
    _add(client, world, quantity=3)
    client.post("/tai-khoan/dang-xuat/")
    assert _basket(client) == {}  # logging out forgets the session
    _login(client)
    assert _basket(client) == {str(world.center_a.pk): {str(world.bowl.pk): 3}}
    html = client.get("/cua-hang/gio-hang/").content.decode()
    assert world.bowl.name in html


def test_a_guest_basket_merges_with_the_saved_one(world, phone_customer):
    client = Client()
    _login(client)
    _add(client, world, quantity=2)
    client.post("/tai-khoan/dang-xuat/")
    _add(client, world, quantity=1)  # the same product, fewer
    _add(client, world, product=world.tea, center=world.center_a, quantity=1)
    _login(client)
    lines = _basket(client)[str(world.center_a.pk)]
    assert lines == {str(world.bowl.pk): 2, str(world.tea.pk): 1}  # the larger quantity, both products
    # logging in again in the same browser adds nothing
    _login(client)
    assert _basket(client)[str(world.center_a.pk)] == lines


def test_the_basket_follows_the_customer_to_another_browser(world, phone_customer):
    first = Client()
    _login(first)
    _add(first, world, quantity=4)
    other = Client()
    _login(other, username="+84912777888")
    assert _basket(other) == {str(world.center_a.pk): {str(world.bowl.pk): 4}}


def test_checking_out_empties_the_saved_part_of_that_center(world, phone_customer):
    client = Client()
    _login(client)
    _add(client, world, quantity=1)
    client.post(
        f"/cua-hang/thanh-toan/{world.center_a.slug}/",
        {"name": "Lê Thị Hoa", "email": "", "phone": "0912777888", "fulfilment": "pickup"},
    )
    assert SavedBasket.objects.get(user=phone_customer).lines == {}
    client.post("/tai-khoan/dang-xuat/")
    _login(client)
    assert _basket(client) == {}


def test_a_saved_basket_with_bad_rows_is_cleaned_and_bounded(world, phone_customer):
    saved = {str(900_000 + n): {"1": 1} for n in range(MAX_CENTERS + 2)}
    saved["x"] = "not lines"
    saved[str(world.center_a.pk)] = {str(world.bowl.pk): "7", str(world.tea.pk): -3, "y": "z"}
    SavedBasket.objects.create(user=phone_customer, lines=saved)
    client = Client()
    _add(client, world, quantity=1)
    _login(client)
    basket = _basket(client)
    assert len(basket) <= MAX_CENTERS
    assert basket[str(world.center_a.pk)] == {str(world.bowl.pk): 7}
    # unknown centers and products are dropped by the basket page
    assert client.get("/cua-hang/gio-hang/").status_code == 200
    assert list(_basket(client)) == [str(world.center_a.pk)]


def test_a_login_with_nothing_in_either_basket_writes_nothing(world, phone_customer):
    _login(Client())
    assert not SavedBasket.objects.exists()
