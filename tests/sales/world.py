"""A small selling world shared by the stock, counter, shop, settlement and route tests.

Two operating centers (A in Bát Tràng, B in Duyên Thái), two producers with agreements at both, two
priced and published products with barcodes, stock at A, and the people around them.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ocophub.accounts.models import Role
from ocophub.catalogue import services as catalogue
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center, Status
from ocophub.centers.services import center_create
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Agreement, Stock
from ocophub.places import selectors as places
from ocophub.sales import services as sales
from ocophub.sales.models import BankAccount

from ..conftest import make_user

# 13-digit EAN codes with valid check digits
BOWL_GTIN = "8930000000019"
TEA_GTIN = "8930000000026"


@dataclass
class World:
    center_a: Center
    center_b: Center
    producer_a: Producer
    producer_b: Producer
    bowl: Product  # producer A, undated goods, 150.000 ₫
    tea: Product  # producer B, food with lots, 85.000 ₫
    agreement_a: Agreement
    stock_a: Stock  # bowls at center A
    staff_a: Any
    manager_a: Any
    staff_b: Any
    manager_b: Any
    member_a: Any  # a member of producer A
    member_b: Any  # a member of producer B


def make_center(name: str, commune_code: int, **fields: Any) -> Center:
    return center_create(
        actor=None,
        name=name,
        commune=places.commune_by_code(commune_code, era="legacy"),
        status=Status.OPERATING,
        effective_on=dt.date(2024, 3, 23),
        **fields,
    )


def make_product(producer: Producer, name: str, price: int, gtin: str) -> Product:
    product = catalogue.product_save(actor=None, producer=producer, name=name, list_price=price, gtin=gtin)
    catalogue.product_transition(actor=None, product=product, to="published")
    return product


def build(*, on_hand: int = 20, rate: str = "0.2000") -> World:
    """Needs Hanoi's places loaded (the `loaded_places` fixture)."""
    center_a = make_center("Trung tâm OCOP Bát Tràng (thử)", 583)
    center_b = make_center("Trung tâm OCOP Duyên Thái (thử)", 10192)
    BankAccount.objects.create(
        center=center_a,
        bank_bin="970415",
        bank_name="VietinBank",
        account_number="113366668888",
        holder="TT OCOP BAT TRANG",
    )
    producer_a = catalogue.producer_save(
        actor=None, name="HTX Gốm Men Lam (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )
    producer_b = catalogue.producer_save(
        actor=None, name="Hộ Trà Sen (thử)", kind="household", commune=places.commune_by_code(10192)
    )
    BankAccount.objects.create(
        producer=producer_a,
        bank_bin="970436",
        bank_name="Vietcombank",
        account_number="0011001932418",
        holder="HTX GOM MEN LAM",
    )
    bowl = make_product(producer_a, "Bát gốm men lam", 150_000, BOWL_GTIN)
    tea = make_product(producer_b, "Trà sen Tây Hồ hộp 100 g", 85_000, TEA_GTIN)
    start = dt.date(2024, 1, 1)
    agreement_a = inventory.agreement_create(
        actor=None, producer=producer_a, center=center_a, commission_rate=Decimal(rate), starts_on=start
    )
    for producer, center in ((producer_a, center_b), (producer_b, center_a), (producer_b, center_b)):
        inventory.agreement_create(
            actor=None, producer=producer, center=center, commission_rate=Decimal(rate), starts_on=start
        )
    stock_a = inventory.stock_receive(actor=None, center=center_a, product=bowl, quantity=on_hand)
    return World(
        center_a=center_a,
        center_b=center_b,
        producer_a=producer_a,
        producer_b=producer_b,
        bowl=bowl,
        tea=tea,
        agreement_a=agreement_a,
        stock_a=stock_a,
        staff_a=make_user(Role.CENTER_STAFF, scope_id=center_a.pk),
        manager_a=make_user(Role.CENTER_MANAGER, scope_id=center_a.pk),
        staff_b=make_user(Role.CENTER_STAFF, scope_id=center_b.pk),
        manager_b=make_user(Role.CENTER_MANAGER, scope_id=center_b.pk),
        member_a=make_user(Role.PRODUCER_MEMBER, scope_id=producer_a.pk),
        member_b=make_user(Role.PRODUCER_MEMBER, scope_id=producer_b.pk),
    )


def counter_sale(world: World, quantity: int = 1, *, seller: Any = None, method: str = "cash") -> Any:
    """A counter sale of bowls at center A (opens the seller's shift when needed)."""
    seller = seller or world.staff_a
    if sales.open_shift_of(seller, world.center_a) is None:
        sales.shift_open(actor=seller, center=world.center_a, opening_float=500_000)
    sale, _created = sales.sale_create(
        actor=seller,
        center=world.center_a,
        client_uuid=uuid.uuid4(),
        lines=[sales.LineIn(world.bowl.pk, quantity)],
        method=method,
    )
    return sale


def checkout(world: World, quantity: int = 1, *, actor: Any = None, **overrides: Any) -> Any:
    data = sales.Checkout(
        center_id=world.center_a.pk,
        lines=[sales.LineIn(world.bowl.pk, quantity)],
        name="Nguyễn Thị Lan",
        email="lan@example.vn",
        phone="0912345678",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return sales.order_place(actor=actor, data=data)


def into(ctx: Any) -> World:
    """Add the world to the route matrix's context: people by name, and one record of each kind.

    ctx.sale_a: a paid counter sale at A; ctx.order_a: an online order of ctx.customer at A awaiting
    payment; ctx.settlement_a: an issued settlement of producer A at A for last month.
    """
    from ocophub.sales.services import settlement_create

    world = build()
    ctx.world = world
    for name in ("staff_a", "manager_a", "staff_b", "manager_b", "member_a", "member_b"):
        setattr(ctx, name, getattr(world, name))
    ctx.center_a, ctx.center_b, ctx.stock_a = world.center_a, world.center_b, world.stock_a
    ctx.bowl, ctx.tea, ctx.agreement_a = world.bowl, world.tea, world.agreement_a
    ctx.producer_a, ctx.producer_b = world.producer_a, world.producer_b
    ctx.sale_a = counter_sale(world, 1)
    ctx.order_a = checkout(world, 1, actor=getattr(ctx, "customer", None))
    first = dt.date.today().replace(day=1)
    last_month_end = first - dt.timedelta(days=1)
    ctx.settlement_a = settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=last_month_end.replace(day=1),
        period_end=last_month_end,
    )
    return world
