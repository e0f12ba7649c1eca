"""A center's page tells a visitor where it is, how to call, when it opens and what is on its shelves:
a page at a time of the published products in stock there, in a fixed number of queries."""

import datetime as dt

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.catalogue import services as catalogue
from ocophub.centers.models import Status
from ocophub.centers.services import center_create, center_hours_set
from ocophub.inventory import services as inventory
from ocophub.places import selectors as places

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    world = w.build()
    world.center_a.address = "Số 1 đường Giang Cao, Bát Tràng"
    world.center_a.contact_phone = "024 3874 0000"
    world.center_a.save()
    center_hours_set(
        actor=None, center=world.center_a, hours=[(0, dt.time(8), dt.time(17)), (6, dt.time(8), dt.time(12))]
    )
    return world


def page_of(world, client=None, **params):
    response = (client or Client()).get(f"/trung-tam/{world.center_a.slug}/", params)
    assert response.status_code == 200
    return response


def test_the_page_shows_address_phone_and_opening_hours(world):
    html = page_of(world).content.decode()
    assert "Số 1 đường Giang Cao, Bát Tràng" in html
    assert 'href="tel:024 3874 0000"' in html
    assert "T2: 08:00–17:00" in html and "CN: 08:00–12:00" in html


def test_the_shelves_show_published_goods_in_stock_here_only(world):
    # the tea: in stock at center B only; a product taken back to draft after it was received at A
    inventory.stock_receive(actor=None, center=world.center_b, product=world.tea, quantity=5)
    draft = w.make_product(world.producer_a, "Chén gốm mẫu mới", 50_000, "")
    inventory.stock_receive(actor=None, center=world.center_a, product=draft, quantity=5)
    catalogue.product_transition(actor=None, product=draft, to="draft")
    response = page_of(world)
    shown = [product for product, _certificate in response.context["panels"][0][1]["products"]]
    assert shown == [world.bowl]
    html = response.content.decode()
    assert f'href="/san-pham/{world.bowl.slug}/"' in html
    assert world.tea.name not in html and draft.name not in html


def test_goods_sold_out_leave_the_shelves(world):
    stock = world.stock_a
    inventory.stock_adjust(actor=world.manager_a, stock=stock, delta=-stock.on_hand, reason="hết hàng")
    response = page_of(world)
    assert response.context["panels"][0][1]["page"].paginator.count == 0
    assert "Chưa có hàng bày bán tại đây." in response.content.decode()


def test_the_shelves_are_paged_and_a_bad_page_shows_the_first(world):
    for i in range(13):
        product = w.make_product(world.producer_a, f"Bình gốm số {i:02d}", 100_000, "")
        inventory.stock_receive(actor=None, center=world.center_a, product=product, quantity=1)
    first = page_of(world).context["panels"][0][1]["page"]
    assert first.paginator.count == 14 and len(first.object_list) == 12
    second = page_of(world, page="2").context["panels"][0][1]["page"]
    assert len(second.object_list) == 2
    assert page_of(world, page="abc").context["panels"][0][1]["page"].number == 1
    assert page_of(world, page="999").context["panels"][0][1]["page"].number == 2


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_stock(world):
    client = Client()
    counter = [0]

    def grow(n: int) -> None:
        for _ in range(n):
            counter[0] += 1
            product = w.make_product(world.producer_a, f"Đĩa gốm {counter[0]}", 90_000, "")
            for lot in ("L1", "L2"):
                inventory.stock_receive(
                    actor=None, center=world.center_a, product=product, quantity=2, lot_code=lot
                )

    assert_fixed_queries(lambda: client.get(f"/trung-tam/{world.center_a.slug}/"), grow)


def test_a_planned_center_is_seen_by_its_unit_only(loaded_places):
    planned = center_create(
        actor=None,
        name="Trung tâm OCOP Đa Tốn",
        commune=places.commune_by_code(577, era="legacy"),
        status=Status.PLANNED,
        effective_on=dt.date(2024, 9, 1),
    )
    url = f"/trung-tam/{planned.slug}/"
    officer = Client()
    officer.force_login(make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18)))
    response = officer.get(url)
    assert response.status_code == 200
    assert response.context["panels"][0][1]["page"].paginator.count == 0  # nothing sold before opening
    other = Client()
    other.force_login(make_user(Role.UNIT_OFFICER, unit=places.district_by_code(279)))
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 404
