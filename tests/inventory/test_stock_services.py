import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.db.models import F

from ocophub.common.errors import Conflict, DomainError
from ocophub.inventory import selectors, services
from ocophub.inventory.models import Agreement, Lot, Movement, MovementKind, Stock
from ocophub.sales import services as sales

from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def _movements() -> int:
    return Movement.objects.count()


def test_receiving_needs_an_active_agreement(world):
    other = w.make_center("Trung tâm OCOP Phú Vinh (thử)", 10321)
    before = _movements()
    with pytest.raises(DomainError) as error:
        services.stock_receive(actor=None, center=other, product=world.bowl, quantity=5)
    assert error.value.code == "no_agreement"
    assert _movements() == before
    assert not Stock.objects.filter(center=other).exists() or Stock.objects.get(center=other).on_hand == 0


def test_an_ended_agreement_stops_receiving(world):
    services.agreement_move(actor=None, agreement=world.agreement_a, to_state="ended", reason="hết hạn")
    with pytest.raises(DomainError):
        services.stock_receive(actor=None, center=world.center_a, product=world.bowl, quantity=1)


def test_two_agreements_of_one_pair_may_not_overlap(world):
    with pytest.raises(Conflict):
        services.agreement_create(
            actor=None,
            producer=world.producer_a,
            center=world.center_a,
            commission_rate="0.1",
            starts_on=dt.date(2025, 1, 1),
        )
    assert Agreement.objects.filter(producer=world.producer_a, center=world.center_a).count() == 1


@pytest.mark.parametrize("rate", ["-0.1", "0.6", "abc", "0.12345"])
def test_commission_rate_must_be_a_share_up_to_half(world, rate):
    with pytest.raises(DomainError) as error:
        services.agreement_create(
            actor=None,
            producer=world.producer_a,
            center=w.make_center("Trung tâm OCOP Chuyên Mỹ (thử)", 10321),
            commission_rate=rate,
            starts_on=dt.date(2025, 1, 1),
        )
    assert "commission_rate" in error.value.fields


@pytest.mark.parametrize("quantity", [0, -3, True, 1.5])
def test_quantities_are_whole_and_positive(world, quantity):
    before = _movements()
    with pytest.raises(DomainError) as error:
        services.stock_receive(actor=None, center=world.center_a, product=world.bowl, quantity=quantity)
    assert "quantity" in error.value.fields
    assert _movements() == before


def test_food_is_sold_earliest_expiry_first_and_never_past_expiry(world):
    today = dt.date.today()
    with time_machine.travel(
        dt.datetime(today.year, today.month, today.day, 9, tzinfo=dt.UTC) - dt.timedelta(days=30)
    ):
        old = services.stock_receive(
            actor=None,
            center=world.center_a,
            product=world.tea,
            quantity=4,
            lot_code="L-OLD",
            expires_on=today - dt.timedelta(days=1),
        )
    late = services.stock_receive(
        actor=None,
        center=world.center_a,
        product=world.tea,
        quantity=5,
        lot_code="L2",
        expires_on=today + dt.timedelta(days=90),
    )
    soon = services.stock_receive(
        actor=None,
        center=world.center_a,
        product=world.tea,
        quantity=3,
        lot_code="L1",
        expires_on=today + dt.timedelta(days=10),
    )

    taken = services.stock_sell(
        actor=None, center=world.center_a, product=world.tea, quantity=4, reference="t"
    )

    assert [(a.stock_id, a.quantity) for a in taken] == [(soon.pk, 3), (late.pk, 1)]
    assert Stock.objects.get(pk=old.pk).on_hand == 4  # the expired lot is untouched

    services.stock_sell(actor=None, center=world.center_a, product=world.tea, quantity=4, reference="t")
    with pytest.raises(DomainError) as error:
        services.stock_sell(actor=None, center=world.center_a, product=world.tea, quantity=1, reference="t")
    assert error.value.code == "expired"


def test_an_expired_lot_cannot_be_received(world):
    with pytest.raises(DomainError) as error:
        services.stock_receive(
            actor=None,
            center=world.center_a,
            product=world.tea,
            quantity=1,
            lot_code="X",
            expires_on=dt.date.today() - dt.timedelta(days=1),
        )
    assert error.value.code == "expired"


def test_selling_more_than_on_hand_is_refused_and_nothing_changes(world):
    before = (_movements(), Stock.objects.get(pk=world.stock_a.pk).on_hand)
    with pytest.raises(DomainError) as error:
        services.stock_sell(actor=None, center=world.center_a, product=world.bowl, quantity=21, reference="t")
    assert error.value.code == "sold_out"
    assert "20" in error.value.message
    assert (_movements(), Stock.objects.get(pk=world.stock_a.pk).on_hand) == before


def test_the_database_refuses_negative_stock_whatever_the_code_does(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=world.stock_a.pk).update(on_hand=F("on_hand") - 21)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=world.stock_a.pk).update(reserved=21)


def test_transfer_moves_goods_and_refuses_the_same_center(world):
    with pytest.raises(DomainError) as error:
        services.stock_transfer(
            actor=world.manager_a, stock=world.stock_a, to_center=world.center_a, quantity=1
        )
    assert "to_center" in error.value.fields

    target = services.stock_transfer(
        actor=world.manager_a, stock=world.stock_a, to_center=world.center_b, quantity=7
    )

    assert target.center_id == world.center_b.pk and target.on_hand == 7
    assert Stock.objects.get(pk=world.stock_a.pk).on_hand == 13
    kinds = set(Movement.objects.filter(reference__startswith="transfer:").values_list("kind", flat=True))
    assert kinds == {MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN}


def test_adjustments_need_a_reason_and_cannot_go_below_zero(world):
    with pytest.raises(DomainError) as error:
        services.stock_adjust(actor=world.manager_a, stock=world.stock_a, delta=-1, reason=" ")
    assert "reason" in error.value.fields
    with pytest.raises(DomainError):
        services.stock_adjust(actor=world.manager_a, stock=world.stock_a, delta=-21, reason="vỡ")
    stock = services.stock_adjust(
        actor=world.manager_a, stock=world.stock_a, delta=-2, reason="vỡ khi trưng bày"
    )
    assert stock.on_hand == 18


def test_the_ledger_sums_to_the_stock_after_every_kind_of_move(world):
    services.stock_receive(actor=None, center=world.center_a, product=world.bowl, quantity=5)
    services.stock_adjust(actor=world.manager_a, stock=world.stock_a, delta=-1, reason="vỡ")
    services.stock_transfer(actor=world.manager_a, stock=world.stock_a, to_center=world.center_b, quantity=2)
    services.stock_return_to_producer(
        actor=world.manager_a, stock=world.stock_a, quantity=1, reason="lỗi men"
    )
    w.counter_sale(world, 3)
    order = w.checkout(world, 2)
    w.checkout(world, 1)
    sales.order_cancel(actor=None, order=order, reason="khách huỷ")
    sale = w.counter_sale(world, 1)
    sales.return_create(actor=world.staff_a, sale=sale, lines={sale.lines.get().pk: 1}, reason="đổi ý")

    stock = Stock.objects.get(pk=world.stock_a.pk)
    assert (stock.on_hand, stock.reserved) == (20 + 5 - 1 - 2 - 1 - 3 - 1 + 1, 1)
    totals = selectors.ledger_totals(list(Stock.objects.values_list("pk", flat=True)))
    for row in Stock.objects.all():
        assert totals[row.pk] == (row.on_hand, row.reserved)


def test_carriers_and_in_stock_feed_the_catalogue(world, client):
    from ocophub.catalogue import selectors as catalogue
    from ocophub.catalogue.models import Product

    assert [c.pk for c in catalogue.CARRIERS[0]([world.bowl.pk])[world.bowl.pk]] == [world.center_a.pk]
    assert world.tea.pk not in catalogue.CARRIERS[0]([world.tea.pk])
    in_stock = catalogue.IN_STOCK[0](Product.objects.all(), None)
    assert set(in_stock.values_list("pk", flat=True)) == {world.bowl.pk}
    assert not catalogue.IN_STOCK[0](Product.objects.all(), world.center_b.slug).exists()

    page = client.get("/san-pham/", {"in_stock": "1"})
    assert page.context["ids"] == [world.bowl.pk]
    page = client.get("/san-pham/", {"center": world.center_a.slug})
    assert page.context["ids"] == [world.bowl.pk]
    assert world.center_a in page.context["stock_centers"]
    assert world.center_a.name in client.get(f"/san-pham/{world.bowl.slug}/").content.decode()


def test_ocop_share_counts_certified_units_on_the_shelves(world):
    from ocophub.catalogue import services as catalogue
    from ocophub.catalogue.demo import reference_load
    from ocophub.centers.selectors import GOODS_SHARE_PROVIDERS

    reference_load()
    share = GOODS_SHARE_PROVIDERS[0]
    assert share(world.center_a) == Decimal(0)  # 20 bowls, none certified
    assert share(world.center_b) is None  # nothing on the shelves
    catalogue.certificate_issue(
        actor=None,
        product=world.bowl,
        decision_number="12/QĐ-UBND",
        decision_date=dt.date.today() - dt.timedelta(days=30),
        issuer="UBND thành phố Hà Nội",
        deciding_level="province",
        stars=4,
    )
    services.stock_receive(
        actor=None,
        center=world.center_a,
        product=world.tea,
        quantity=5,
        lot_code="T1",
        expires_on=dt.date.today() + dt.timedelta(days=60),
    )
    assert share(world.center_a) == Decimal(20) / Decimal(25)


def test_the_product_api_lists_the_centers_that_carry_it(world, api):
    body = api.call("get", f"/api/v1/products/{world.bowl.pk}").json()
    assert body["carried_by"] == [
        {"id": world.center_a.pk, "slug": world.center_a.slug, "name": world.center_a.name}
    ]
    assert api.call("get", f"/api/v1/products/{world.tea.pk}").json()["carried_by"] == []
    listed = api.call("get", "/api/v1/products", {"in_stock": "true"}).json()
    assert [p["id"] for p in listed["items"]] == [world.bowl.pk]


# --- perishable goods --------------------------------------------------------------------------------


def perishable_tea(world):
    """The world's tea in the tea group, under drinks: marked perishable by the reference data."""
    from ocophub.catalogue import services as catalogue
    from ocophub.catalogue.demo import reference_load
    from ocophub.catalogue.models import TaxonomyNode

    reference_load()
    return catalogue.product_save(
        actor=None, product=world.tea, taxonomy=TaxonomyNode.objects.get(code="148-che-tra")
    )


def _written() -> tuple[int, int, int]:
    return (Movement.objects.count(), Lot.objects.count(), Stock.objects.count())


def test_perishable_goods_are_received_only_with_their_expiry_date(world):
    tea = perishable_tea(world)
    before = _written()
    with pytest.raises(DomainError) as refused:
        services.stock_receive(actor=None, center=world.center_a, product=tea, quantity=5, lot_code="T-1")
    assert (refused.value.code, list(refused.value.fields)) == ("expiry_required", ["expires_on"])
    assert _written() == before
    later = dt.date.today() + dt.timedelta(days=90)
    stock = services.stock_receive(
        actor=None, center=world.center_a, product=tea, quantity=5, lot_code="T-1", expires_on=later
    )
    assert (stock.on_hand, stock.lot.expires_on) == (5, later)


def test_goods_that_are_not_perishable_may_come_without_dates(world):
    perishable_tea(world)  # the reference data, with its marks
    from ocophub.catalogue import services as catalogue
    from ocophub.catalogue.models import TaxonomyNode

    bowl = catalogue.product_save(
        actor=None, product=world.bowl, taxonomy=TaxonomyNode.objects.get(code="148-gom-su")
    )
    stock = services.stock_receive(actor=None, center=world.center_a, product=bowl, quantity=3)
    assert stock.on_hand == 20 + 3 and stock.lot.expires_on is None


def test_a_lot_must_expire_after_the_day_it_was_produced(world):
    tea = perishable_tea(world)
    today = dt.date.today()
    before = _written()
    with pytest.raises(DomainError) as refused:
        services.stock_receive(
            actor=None,
            center=world.center_a,
            product=tea,
            quantity=5,
            lot_code="T-2",
            produced_on=today,
            expires_on=today,
        )
    assert "expires_on" in refused.value.fields
    assert _written() == before


def test_the_perishable_mark_is_data_that_a_reload_of_the_reference_keeps(world):
    from ocophub.catalogue.demo import reference_load
    from ocophub.catalogue.models import TaxonomyNode

    tea = perishable_tea(world)
    groups = TaxonomyNode.objects.filter(is_perishable=True)
    assert set(groups.values_list("code", flat=True)) == {
        "1048-thuc-pham", "1048-do-uong", "1048-thao-duoc", "148-thuc-pham", "148-do-uong", "148-duoc-lieu",
    }  # fmt: skip
    TaxonomyNode.objects.filter(code="148-do-uong").update(is_perishable=False)  # as the admin site does
    reference_load()
    assert not TaxonomyNode.objects.get(code="148-do-uong").is_perishable
    stock = services.stock_receive(actor=None, center=world.center_a, product=tea, quantity=2)
    assert stock.lot.expires_on is None
