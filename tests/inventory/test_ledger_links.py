"""The stock ledger names what each movement came from — a receipt, a return, an online order, a
transfer — in words, and links it only when the viewer may open that page."""

import pytest
from django.test import Client

from ocophub.accounts.models import Role
from ocophub.inventory import services
from ocophub.sales import services as sales

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def ledger(world, user, center=None) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/kho/{(center or world.center_a).slug}/so-kho/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_sale_reads_receipt_and_number_and_links_the_receipt_for_the_counter(world):
    sale = w.counter_sale(world)
    html = ledger(world, world.staff_a)
    assert f"sale:{sale.number}" not in html
    assert f'<a href="/quay/{world.center_a.slug}/hoa-don/{sale.number}/">Hóa đơn {sale.number}</a>' in html


def test_the_city_reads_the_receipt_number_without_a_link_it_could_not_open(world):
    sale = w.counter_sale(world)
    html = ledger(world, make_user(Role.CITY_ADMIN))
    assert f"Hóa đơn {sale.number}" in html
    assert f"/hoa-don/{sale.number}/" not in html


def test_a_return_links_the_receipt_it_was_taken_back_against(world):
    sale = w.counter_sale(world, 2)
    line = sale.lines.get()
    ret = sales.return_create(actor=world.staff_a, sale=sale, lines={line.pk: 1}, reason="vỡ")
    html = ledger(world, world.manager_a)
    assert (
        f'<a href="/quay/{world.center_a.slug}/hoa-don/{sale.number}/">Phiếu trả hàng {ret.number}</a>'
        in html
    )


def test_an_order_links_the_centers_order_page(world):
    order = w.checkout(world)
    html = ledger(world, world.staff_a)
    url = f"/cua-hang/quan-ly/{world.center_a.slug}/{order.number}/"
    assert f'<a href="{url}">Đơn hàng {order.number}</a>' in html


def test_a_transfer_names_the_other_center_and_links_its_ledger_only_for_who_may_see_it(world):
    services.stock_transfer(actor=world.manager_a, stock=world.stock_a, to_center=world.center_b, quantity=2)
    name_b, name_a = world.center_b.name, world.center_a.name
    # center A's manager may not see center B's stock: the name, no link
    html = ledger(world, world.manager_a)
    assert f"Chuyển đến {name_b}" in html
    assert f"/kho/{world.center_b.slug}/so-kho/" not in html
    # the city sees both ledgers
    city = make_user(Role.CITY_ADMIN)
    assert f'<a href="/kho/{world.center_b.slug}/so-kho/">Chuyển đến {name_b}</a>' in ledger(world, city)
    in_b = ledger(world, city, world.center_b)
    assert f'<a href="/kho/{world.center_a.slug}/so-kho/">Nhận từ {name_a}</a>' in in_b


def test_an_unknown_reference_is_shown_as_it_is_written(world):
    services.stock_put_back(actor=None, stock_id=world.stock_a.pk, quantity=1, reference="kiem-ke:2025")
    assert "kiem-ke:2025" in ledger(world, world.staff_a)


def test_a_page_of_mixed_references_runs_a_fixed_number_of_queries(world):
    client = Client()
    client.force_login(world.manager_a)

    def grow(n: int) -> None:
        for _ in range(n):
            sale = w.counter_sale(world, 2)
            sales.return_create(
                actor=world.staff_a, sale=sale, lines={sale.lines.get().pk: 1}, reason="đổi ý"
            )
            w.checkout(world)
            services.stock_transfer(
                actor=world.manager_a, stock=world.stock_a, to_center=world.center_b, quantity=1
            )

    assert_fixed_queries(lambda: client.get(f"/kho/{world.center_a.slug}/so-kho/"), grow, steps=(1, 4))
