"""Demo selling: agreements, stock, bank accounts, center people, and two months of illustrative sales.

Everything here is illustrative (account numbers, quantities, sales). The history is made through the
services, as a till would make it, then dated back over the last sixty days so that reports, statements
and charts have something to show on a fresh machine. It is deterministic: the same data every run.
"""

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ocophub.accounts import services as accounts
from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import Role, User
from ocophub.catalogue.models import Producer, Product, ProductStatus
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.append_only import append_only_lifted
from ocophub.common.text import fold
from ocophub.inventory import services as inventory
from ocophub.inventory.models import Agreement, Movement, Stock

from . import services
from .models import BankAccount, Payment, Sale, Shift

FLAGSHIP = "Trung tâm OCOP làng gốm Bát Tràng"
FOOD_GROUPS = ("148-banh-mut-keo", "148-thuc-pham-khac", "148-duoc-lieu")
HISTORY_DAYS = 60


@dataclass(frozen=True)
class Made:
    agreements: int
    stock_rows: int
    sales: int
    orders: int


def _user(email: str, name: str, role: str, scope_id: int) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = accounts.user_create(actor=None, full_name=name, email=email, password=DEMO_PASSWORD)
    accounts.role_grant(actor=None, user=user, role=role, scope_id=scope_id)
    return user


def _account_holder(name: str) -> str:
    return fold(name).upper()[:60]


def _back_date(sale: Sale, when: dt.datetime) -> None:
    """Demo history only: move a sale made now to its illustrative moment in the past."""
    Sale.objects.filter(pk=sale.pk).update(created_at=when)
    Payment.objects.filter(sale=sale).update(created_at=when)
    with append_only_lifted():  # the stock ledger is append-only; demo history is written back-dated
        Movement.objects.filter(reference=f"sale:{sale.number}").update(at=when)


def demo_selling_create() -> Made:
    """Create the demo selling data once (skipped when any agreement exists)."""
    if Agreement.objects.exists():
        return Made(0, 0, 0, 0)
    rng = random.Random(276)  # noqa: S311 - repeatable demo quantities, nothing secret
    today = timezone.localdate()
    with transaction.atomic():
        centers = list(Center.objects.filter(status__in=PUBLIC_STATUSES).order_by("pk"))
        producers = list(Producer.objects.select_related("craft_village").order_by("pk"))
        agreements = 0
        for number, center in enumerate(centers, start=1):
            BankAccount.objects.get_or_create(
                center=center,
                defaults={
                    "bank_bin": "970415",
                    "bank_name": "VietinBank",
                    "account_number": f"1133{number:08d}",
                    "holder": _account_holder(center.name),
                },
            )
            for producer in producers:
                is_flagship = center.name == FLAGSHIP
                if is_flagship or (
                    producer.craft_village_id and producer.craft_village_id == center.craft_village_id
                ):
                    inventory.agreement_create(
                        actor=None,
                        producer=producer,
                        center=center,
                        commission_rate=Decimal("0.2000") if is_flagship else Decimal("0.1500"),
                        starts_on=dt.date(2024, 4, 1),
                        notes="Minh họa",
                    )
                    agreements += 1
        for number, producer in enumerate(producers, start=1):
            BankAccount.objects.get_or_create(
                producer=producer,
                defaults={
                    "bank_bin": "970436",
                    "bank_name": "Vietcombank",
                    "account_number": f"00110019{number:05d}",
                    "holder": _account_holder(producer.name),
                },
            )
        products = list(
            Product.objects.filter(status=ProductStatus.PUBLISHED, list_price__isnull=False)
            .select_related("taxonomy")
            .order_by("pk")
        )
        for agreement in Agreement.objects.select_related("center", "producer").order_by("pk"):
            for product in products:
                if product.producer_id != agreement.producer_id:
                    continue
                if product.taxonomy and product.taxonomy.code in FOOD_GROUPS:
                    for code, days, quantity in (("L1", 20, 12), ("L2", 120, rng.randint(20, 40))):
                        inventory.stock_receive(
                            actor=None,
                            center=agreement.center,
                            product=product,
                            quantity=quantity,
                            lot_code=f"{code}-{today:%y%m}",
                            produced_on=today - dt.timedelta(days=10),
                            expires_on=today + dt.timedelta(days=days),
                        )
                else:
                    inventory.stock_receive(
                        actor=None, center=agreement.center, product=product, quantity=rng.randint(15, 60)
                    )
        flagship = Center.objects.filter(name=FLAGSHIP).first()
        made_sales = made_orders = 0
        if flagship is not None:
            manager = _user("quanly.battrang@ocophub.vn", "Trần Văn Quản", Role.CENTER_MANAGER, flagship.pk)
            cashier = _user("thungan.battrang@ocophub.vn", "Lê Thị Thu", Role.CENTER_STAFF, flagship.pk)
            potter = Producer.objects.filter(craft_village__slug="bat-trang").order_by("pk").first()
            if potter is not None:
                _user("htx.battrang@ocophub.vn", "Phạm Văn Gốm", Role.PRODUCER_MEMBER, potter.pk)
            made_sales = _history(rng, flagship, cashier, manager, today)
            made_orders = _orders(flagship, cashier)
            if potter is not None:
                first = today.replace(day=1)
                last_end = first - dt.timedelta(days=1)
                services.settlement_create(
                    actor=manager,
                    producer=potter,
                    center=flagship,
                    period_start=last_end.replace(day=1),
                    period_end=last_end,
                )
        return Made(agreements, Stock.objects.count(), made_sales, made_orders)


def _history(rng: random.Random, center: Center, cashier: User, manager: User, today: dt.date) -> int:
    zone = timezone.get_current_timezone()
    sellable = list(Stock.objects.filter(center=center, on_hand__gt=5).values_list("product_id", flat=True))
    made = 0
    for days_back in range(HISTORY_DAYS, 0, -1):
        day = today - dt.timedelta(days=days_back)
        shift = services.shift_open(actor=cashier, center=center, opening_float=1_000_000)
        for n in range(rng.randint(1, 4)):
            product_id = rng.choice(sellable)
            available = Stock.objects.filter(center=center, product_id=product_id).first()
            if available is None or available.available < 3:
                continue
            method = rng.choice(["cash", "cash", "transfer", "card"])
            sale, _created = services.sale_create(
                actor=cashier,
                center=center,
                client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                lines=[services.LineIn(product_id, rng.randint(1, 2))],
                method=method,
            )
            _back_date(sale, dt.datetime.combine(day, dt.time(9 + 2 * n, rng.randint(0, 59)), tzinfo=zone))
            made += 1
        closed = services.shift_close(actor=manager, shift=shift, counted_cash=services.expected_cash(shift))
        Shift.objects.filter(pk=closed.pk).update(
            opened_at=dt.datetime.combine(day, dt.time(8, 0), tzinfo=zone),
            closed_at=dt.datetime.combine(day, dt.time(17, 30), tzinfo=zone),
        )
    return made


def _orders(center: Center, cashier: User) -> int:
    """Two online orders: one paid and ready for pick-up, one waiting for its transfer."""
    customer = User.objects.filter(phone="+84912000001").first()
    product = (
        Product.objects.filter(stock__center=center, stock__on_hand__gt=3, list_price__lt=1_000_000)
        .order_by("pk")
        .first()
    )
    if product is None:
        return 0
    made = 0
    for paid in (True, False):
        order = services.order_place(
            actor=customer,
            data=services.Checkout(
                center_id=center.pk,
                lines=[services.LineIn(product.pk, 1)],
                name=customer.full_name if customer else "Nguyễn Thị Lan",
                email=(customer.email if customer and customer.email else "lan.nguyen@example.vn"),
                phone="0912000001",
            ),
        )
        if paid:
            services.order_pay(actor=cashier, order=order, reference="FT-MINH-HOA")
            services.order_move(actor=cashier, order=order, to_state="ready")
        made += 1
    return made
