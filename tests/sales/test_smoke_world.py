import pytest

from ocophub.inventory.models import Stock

from . import world as w


@pytest.mark.django_db
def test_world_builds_and_sells(loaded_places, mailoutbox):
    world = w.build()
    sale = w.counter_sale(world, 2)
    assert sale.total == 300_000
    order = w.checkout(world, 3)
    stock = Stock.objects.get(pk=world.stock_a.pk)
    assert (stock.on_hand, stock.reserved) == (18, 3)
    assert order.total == 450_000
