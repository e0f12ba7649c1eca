import pytest

from ocophub.inventory import selectors
from ocophub.inventory.models import Stock
from ocophub.sales.demo import demo_selling_create
from ocophub.sales.models import Sale, SaleLine, Settlement

pytestmark = pytest.mark.django_db


def test_demo_selling_data_is_consistent_and_made_once(catalogue):
    made = demo_selling_create()

    assert made.agreements > 10 and made.sales > 30 and made.orders == 2
    assert Sale.objects.filter(channel="counter").count() == made.sales
    totals = selectors.ledger_totals(list(Stock.objects.values_list("pk", flat=True)))
    for stock in Stock.objects.all():
        assert totals[stock.pk] == (stock.on_hand, stock.reserved)
    settlement = Settlement.objects.get()
    lines = SaleLine.objects.filter(settlement=settlement)
    assert settlement.gross == sum(line.amount for line in lines) > 0
    assert settlement.net == settlement.gross - settlement.returns - settlement.commission

    assert demo_selling_create().agreements == 0
    assert Sale.objects.filter(channel="counter").count() == made.sales
