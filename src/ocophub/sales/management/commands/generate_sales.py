"""Generate synthetic selling data at scale for benchmarks: centers, agreements, stock and counter sales.

Run after `ocophub generate` (it sells the generated producers' products). Every row is marked as
synthetic: centers `is_illustrative` with source "Sinh tự động (generate)", agreements' notes, lot codes
"G…", receipt numbers "G…". Sales are written in bulk, not through the till's services (a million lines
through `sale_create` would take hours): the rows keep the till's invariants — a line's amount is its
quantity × unit price, a sale's total is the sum of its lines, one succeeded payment of the total per
sale, and the ledger has a receipt and a sale movement per stock row, so on hand = received − sold.
"""

import bisect
import datetime as dt
import random
import time
import uuid
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from ocophub.catalogue.models import Product, ProductStatus
from ocophub.centers.models import Center, CenterEvent, Status
from ocophub.common.progress import ProgressPrinter
from ocophub.common.text import fold, slug
from ocophub.inventory.models import (
    Agreement,
    AgreementEvent,
    AgreementState,
    Lot,
    Movement,
    MovementKind,
    Stock,
)
from ocophub.places.models import AdministrativeUnit, Era, Level

from ...models import Channel, PaymentMethod, PaymentState, Sale, SaleLine

SOURCE = "Sinh tự động (generate)"
BATCH = 10_000
LINES_PER_SALE = (1, 1, 2, 2, 3, 4)  # 2.17 on average
STOCKED_SHARE = 0.3  # of a producer's products, at each center it consigns to
METHODS = (PaymentMethod.CASH, PaymentMethod.CASH, PaymentMethod.TRANSFER, PaymentMethod.CARD)
CENTER_KINDS = ("Trung tâm OCOP", "Điểm giới thiệu và bán sản phẩm OCOP", "Trung tâm thiết kế sáng tạo OCOP")


class Command(BaseCommand):
    help = "Generate synthetic centers, agreements, stock and counter sales (illustrative) for benchmarks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--centers", type=int, default=200, help="Centers to add")
        parser.add_argument("--sale-lines", type=int, required=True, help="Sale lines to add")
        parser.add_argument("--days", type=int, default=730, help="Days of history, ending yesterday")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, to repeat a run's content")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["centers"] < 1 or options["sale_lines"] < 0 or options["days"] < 1:
            raise CommandError("--centers and --days must be at least 1, --sale-lines at least 0.")
        seed = options["seed"] if options["seed"] is not None else random.SystemRandom().randrange(1_000_000)
        rng = random.Random(seed)  # noqa: S311 — benchmark data, not secrets
        products = [
            (pk, producer_id, int(price or 0))  # list_price: NULLs are filtered out
            for pk, producer_id, price in Product.objects.filter(
                source=SOURCE, status=ProductStatus.PUBLISHED, list_price__isnull=False
            )
            .values_list("pk", "producer_id", "list_price")
            .order_by("pk")
        ]
        if not products:
            raise CommandError("No generated products: run `ocophub generate --products N` first.")
        started = time.monotonic()
        progress = ProgressPrinter(self.stdout)
        end = timezone.localdate() - dt.timedelta(days=1)
        start = end - dt.timedelta(days=options["days"] - 1)
        self.stdout.write(
            f"Generating {options['centers']} centers and {options['sale_lines']} sale lines "
            f"from {start:%d/%m/%Y} to {end:%d/%m/%Y} (seed {seed}) …"
        )
        centers = self._centers(rng, options["centers"], start, progress)
        stock = self._stock(rng, centers, products, start, progress)
        sold = self._sales(rng, stock, options["sale_lines"], start, end, progress)
        self._ledger(stock, sold, progress)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "ANALYZE centers_center, inventory_agreement, inventory_lot, inventory_stock, "
                    "inventory_movement, sales_sale, sales_saleline, sales_payment"
                )
            else:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(centers)} centers, {sum(len(rows) for rows in stock.values())} stock rows and "
                f"{sum(sold.values())} units sold in {time.monotonic() - started:.1f}s."
            )
        )

    def _centers(
        self, rng: random.Random, count: int, start: dt.date, progress: ProgressPrinter
    ) -> list[Center]:
        communes = list(AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE).order_by("pk"))
        if not communes:
            raise CommandError("No communes: run `ocophub load_places` first.")
        number = (Center.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        made = []
        for offset in range(count):
            commune = rng.choice(communes)
            name = f"{rng.choice(CENTER_KINDS)} {commune.name} (minh họa {number + offset})"
            made.append(
                Center(
                    name=name,
                    slug=f"{slug(name)}-g{number + offset}",
                    folded_name=fold(name),
                    commune=commune,
                    address=commune.name,
                    status=Status.OPERATING,
                    status_since=start,
                    is_illustrative=True,
                    source=SOURCE,
                )
            )
        with transaction.atomic():
            Center.objects.bulk_create(made)
            CenterEvent.objects.bulk_create(
                CenterEvent(center=center, to_state=Status.OPERATING, reason=SOURCE, effective_on=start)
                for center in made
            )
        progress("centers", len(made), count)
        return made

    def _stock(
        self,
        rng: random.Random,
        centers: list[Center],
        products: list[tuple[int, int, int]],
        start: dt.date,
        progress: ProgressPrinter,
    ) -> dict[int, list[tuple[int, int, int, int, Decimal]]]:
        """Agreements of every producer with one or two centers, and stock of some of its products there.

        Returns, per center, its stock rows as (stock id, product id, producer id, price, commission)."""
        by_producer: dict[int, list[tuple[int, int]]] = {}
        for pk, producer_id, price in products:
            by_producer.setdefault(producer_id, []).append((pk, price))
        agreements = []
        for producer_id in by_producer:
            for center in rng.sample(centers, k=min(len(centers), rng.choice((1, 1, 2)))):
                agreements.append(
                    Agreement(
                        producer_id=producer_id,
                        center=center,
                        commission_rate=Decimal(rng.choice(("0.1500", "0.2000", "0.2500"))),
                        starts_on=start,
                        state=AgreementState.ACTIVE,
                        notes=SOURCE,
                    )
                )
        with transaction.atomic():
            Agreement.objects.bulk_create(agreements, batch_size=BATCH)
            AgreementEvent.objects.bulk_create(
                (
                    AgreementEvent(agreement=a, to_state=AgreementState.ACTIVE, reason=SOURCE)
                    for a in agreements
                ),
                batch_size=BATCH,
            )
        progress("agreements", len(agreements), len(agreements))
        pairs = []  # (agreement, product id, price)
        for agreement in agreements:
            for pk, price in by_producer[agreement.producer_id]:
                if rng.random() < STOCKED_SHARE:
                    pairs.append((agreement, pk, price))
        lot_codes: dict[int, int] = {}
        lots = []
        for agreement, pk, _price in pairs:
            lot_codes[pk] = lot_codes.get(pk, 0) + 1
            lots.append(Lot(product_id=pk, code=f"G{agreement.center_id}-{lot_codes[pk]}"))
        stock_rows = []
        with transaction.atomic():
            for first in range(0, len(lots), BATCH):
                Lot.objects.bulk_create(lots[first : first + BATCH])
                progress("lots", min(first + BATCH, len(lots)), len(lots))
            for (agreement, pk, _price), lot in zip(pairs, lots, strict=True):
                stock_rows.append(
                    Stock(
                        center_id=agreement.center_id,
                        lot=lot,
                        product_id=pk,
                        producer_id=agreement.producer_id,
                    )
                )
            for first in range(0, len(stock_rows), BATCH):
                Stock.objects.bulk_create(stock_rows[first : first + BATCH])
                progress("stock", min(first + BATCH, len(stock_rows)), len(stock_rows))
        by_center: dict[int, list[tuple[int, int, int, int, Decimal]]] = {}
        for (agreement, pk, price), row in zip(pairs, stock_rows, strict=True):
            by_center.setdefault(agreement.center_id, []).append(
                (row.pk, pk, agreement.producer_id, price, agreement.commission_rate)
            )
        return by_center

    def _sales(
        self,
        rng: random.Random,
        stock: dict[int, list[tuple[int, int, int, int, Decimal]]],
        line_count: int,
        start: dt.date,
        end: dt.date,
        progress: ProgressPrinter,
    ) -> dict[int, int]:
        """Counter sales, oldest first, with their lines and payments. Returns units sold per stock row."""
        sold: dict[int, int] = {}
        if not line_count or not stock:
            return sold
        center_ids = sorted(stock)
        # some centers sell far more than others (a long tail, as shops do)
        weights = list(accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(center_ids))))
        rng.shuffle(center_ids)
        zone = timezone.get_current_timezone()
        days = (end - start).days + 1
        sale_count = max(1, round(line_count / (sum(LINES_PER_SALE) / len(LINES_PER_SALE))))
        moments = sorted(rng.randrange(days * 720) for _ in range(sale_count))  # minutes 8:00–20:00
        sale_id = (Sale.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        line_id = (SaleLine.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        is_pg = connection.vendor == "postgresql"
        uuid_field = Sale._meta.get_field("client_uuid")

        def when(minute: int) -> Any:
            day = start + dt.timedelta(days=minute // 720)
            local = dt.datetime.combine(day, dt.time(8 + (minute % 720) // 60, minute % 60), tzinfo=zone)
            moment = local.astimezone(dt.UTC)
            return moment if is_pg else moment.strftime("%Y-%m-%d %H:%M:%S")

        sale_sql = (
            "INSERT INTO sales_sale (id, client_uuid, number, center_id, channel, created_at, total) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        line_sql = (
            "INSERT INTO sales_saleline (id, sale_id, product_id, producer_id, stock_id, quantity, "
            "unit_price, "
            "amount, commission_rate) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        payment_sql = (
            "INSERT INTO sales_payment (sale_id, method, amount, state, reference, created_at) "
            "VALUES (%s, %s, %s, %s, '', %s)"
        )
        rates: dict[Decimal, Any] = {}
        made_lines = 0
        index = 0
        while index < len(moments) and made_lines < line_count:
            sales: list[tuple[Any, ...]] = []
            lines: list[tuple[Any, ...]] = []
            payments: list[tuple[Any, ...]] = []
            while index < len(moments) and len(lines) < BATCH and made_lines + len(lines) < line_count:
                center_id = center_ids[bisect.bisect(weights, rng.random() * weights[-1])]
                rows = stock[center_id]
                want = min(rng.choice(LINES_PER_SALE), len(rows), line_count - made_lines - len(lines))
                total = 0
                for stock_id, product_id, producer_id, price, rate in rng.sample(rows, want):
                    quantity = rng.choice((1, 1, 1, 2, 2, 3))
                    if rate not in rates:
                        rates[rate] = rate if is_pg else str(rate)
                    amount = quantity * price
                    lines.append(
                        (
                            line_id,
                            sale_id,
                            product_id,
                            producer_id,
                            stock_id,
                            quantity,
                            price,
                            amount,
                            rates[rate],
                        )
                    )
                    sold[stock_id] = sold.get(stock_id, 0) + quantity
                    total += quantity * price
                    line_id += 1
                at = when(moments[index])
                client_uuid = uuid_field.get_db_prep_value(
                    uuid.UUID(int=rng.getrandbits(128), version=4), connection
                )
                sales.append((sale_id, client_uuid, f"G{sale_id:09d}", center_id, Channel.COUNTER, at, total))
                payments.append((sale_id, rng.choice(METHODS), total, PaymentState.SUCCEEDED, at))
                sale_id += 1
                index += 1
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sale_sql, sales)
                cursor.executemany(line_sql, lines)
                cursor.executemany(payment_sql, payments)
            made_lines += len(lines)
            progress("sale lines", made_lines, line_count)
        if made_lines < line_count:
            progress("sale lines", line_count, line_count)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Sale, SaleLine]):
                cursor.execute(sql)
        return sold

    def _ledger(
        self,
        stock: dict[int, list[tuple[int, int, int, int, Decimal]]],
        sold: dict[int, int],
        progress: ProgressPrinter,
    ) -> None:
        """What each stock row received and sold, in the ledger, and what it has left on hand."""
        rng = random.Random(len(sold))  # noqa: S311 — benchmark data, not secrets
        ids = [row[0] for rows in stock.values() for row in rows]
        left = {pk: rng.randint(5, 40) for pk in ids}
        movements = []
        for pk in ids:
            received = left[pk] + sold.get(pk, 0)
            movements.append(
                Movement(
                    stock_id=pk,
                    kind=MovementKind.RECEIVED,
                    on_hand_delta=received,
                    reason=SOURCE,
                    reference="generate",
                )
            )
            if sold.get(pk):
                movements.append(
                    Movement(
                        stock_id=pk,
                        kind=MovementKind.SOLD,
                        on_hand_delta=-sold[pk],
                        reason=SOURCE,
                        reference="generate",
                    )
                )
        with transaction.atomic():
            for first in range(0, len(movements), BATCH):
                Movement.objects.bulk_create(movements[first : first + BATCH])
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE inventory_stock SET on_hand = %s WHERE id = %s", [(left[pk], pk) for pk in ids]
                )
        progress("ledger", len(ids), len(ids))
