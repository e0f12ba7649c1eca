"""Selling and holding goods for the sales app, earliest expiry first, and putting them back."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from ocophub.catalogue.models import Product
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict

from ..models import Agreement, AgreementState, Movement, MovementKind, Stock
from .ledger import Allocation, Contended, SoldOut, check_quantity, ledger_row


class _Short(Exception):
    """Not enough stock: undo the partial takes, then explain."""


def _fefo(center_id: int, product_id: int, day: dt.date) -> list[tuple[int, int, int]]:
    """Sellable rows, earliest expiry first (undated goods last): (stock id, lot id, available)."""
    rows = (
        Stock.objects.filter(center_id=center_id, product_id=product_id, on_hand__gt=F("reserved"))
        .filter(Q(lot__expires_on__isnull=True) | Q(lot__expires_on__gte=day))
        .order_by(F("lot__expires_on").asc(nulls_last=True), "lot_id")
        .values_list("pk", "lot_id", "on_hand", "reserved")
    )
    return [(pk, lot_id, on_hand - reserved) for pk, lot_id, on_hand, reserved in rows]


def _sold_out(center_id: int, product_id: int, quantity: int, day: dt.date) -> SoldOut:
    rows = Stock.objects.filter(center_id=center_id, product_id=product_id, on_hand__gt=F("reserved"))
    expired = rows.filter(lot__expires_on__lt=day).exists()
    available = sum(a for _s, _l, a in _fefo(center_id, product_id, day))
    if available == 0 and expired:
        return SoldOut(
            _("The goods left are past their expiry date and cannot be sold."),
            fields={"quantity": _("Only expired lots are left.")},
            code="expired",
        )
    if available == 0:
        return SoldOut(_("Sold out."), fields={"quantity": _("Sold out.")})
    return SoldOut(
        _("Only %(n)s left, %(asked)s asked for.") % {"n": available, "asked": quantity},
        fields={"quantity": _("Only %(n)s left.") % {"n": available}},
    )


def _allocate(
    center_id: int, product_id: int, quantity: int, kind: str, *, actor: Any, reference: str
) -> list[Allocation]:
    """Take (sell) or hold (reserve) `quantity`, lot by lot, earliest expiry first.

    Each lot is changed by a conditional UPDATE; if a concurrent buyer got there first the row count is
    0 and the next lot (or a fresh read) is tried. All or nothing: a savepoint undoes partial takes.
    """
    check_quantity(quantity)
    day = local_today()
    remaining = quantity
    allocations: list[Allocation] = []
    movements: list[Movement] = []
    try:
        with transaction.atomic():
            for _attempt in range(4):
                rows = _fefo(center_id, product_id, day)
                if not rows:
                    break
                for stock_id, lot_id, available in rows:
                    take = min(available, remaining)
                    guard = Stock.objects.filter(pk=stock_id, on_hand__gte=F("reserved") + take)
                    if kind == MovementKind.RESERVED:
                        changed = guard.update(reserved=F("reserved") + take)
                    else:
                        changed = guard.update(on_hand=F("on_hand") - take)
                    if not changed:
                        continue
                    allocations.append(Allocation(stock_id, lot_id, take))
                    on_hand, reserved = (0, take) if kind == MovementKind.RESERVED else (-take, 0)
                    movements.append(
                        ledger_row(stock_id, kind, on_hand, reserved, actor=actor, reference=reference)
                    )
                    remaining -= take
                    if remaining == 0:
                        Movement.objects.bulk_create(movements)
                        return allocations
            raise _Short
    except _Short:
        # the savepoint is rolled back: the message counts what is really left
        raise _sold_out(center_id, product_id, quantity, day) from None


def sellable_lots(
    center_id: int, product_ids: Iterable[int], day: dt.date | None = None
) -> dict[int, list[Stock]]:
    """The sellable lots of published products at a center, in one query, earliest expiry first (undated
    goods last): product id → stock rows, each with its product and lot, and `commission_rate`, the
    rate of the producer's active agreement with the center (None without one).

    Products missing from the answer have nothing sellable here (or are not on sale at all)."""
    day = day or local_today()
    rate = Subquery(
        Agreement.objects.filter(
            producer_id=OuterRef("product__producer_id"),
            center_id=center_id,
            state=AgreementState.ACTIVE,
            starts_on__lte=day,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .values("commission_rate")[:1]
    )
    rows = (
        Stock.objects.filter(
            center_id=center_id,
            product_id__in=list(product_ids),
            product__status="published",
            on_hand__gt=F("reserved"),
        )
        .filter(Q(lot__expires_on__isnull=True) | Q(lot__expires_on__gte=day))
        .select_related("product", "lot")
        .annotate(commission_rate=rate)
        .order_by("product_id", F("lot__expires_on").asc(nulls_last=True), "lot_id")
    )
    lots: dict[int, list[Stock]] = {}
    for row in rows:
        lots.setdefault(row.product_id, []).append(row)
    return lots


def stock_take_lots(
    *,
    actor: Any,
    center_id: int,
    wanted: dict[int, int],
    lots: dict[int, list[Stock]],
    kind: str,
    reference: str,
) -> dict[int, list[Allocation]]:
    """Sell (`kind` SOLD) or hold (RESERVED) the quantities `wanted` per product from `lots` (as
    `sellable_lots` read them), earliest expiry first, by ONE conditional UPDATE over every lot, and
    write their ledger rows in one INSERT.

    Each lot is changed only where `on_hand - reserved` still covers its part; when the row count falls
    short of the number of lots, another buyer got there first: `Contended` is raised and the caller's
    transaction, which must roll back with it, is tried again on a fresh read. A product that the read
    shows short is SoldOut, with what is really left."""
    day = local_today()
    plan: dict[int, list[Allocation]] = {}
    for product_id, quantity in wanted.items():
        check_quantity(quantity)
        remaining = quantity
        taken: list[Allocation] = []
        for stock in lots.get(product_id, []):
            if remaining == 0:
                break
            take = min(stock.on_hand - stock.reserved, remaining)
            taken.append(Allocation(stock.pk, stock.lot_id, take))
            remaining -= take
        if remaining:
            raise _sold_out(center_id, product_id, quantity, day)
        plan[product_id] = taken
    flat = [allocation for allocations in plan.values() for allocation in allocations]
    amount = Case(*[When(pk=a.stock_id, then=Value(a.quantity)) for a in flat], output_field=IntegerField())
    guard = Stock.objects.filter(pk__in=[a.stock_id for a in flat], on_hand__gte=F("reserved") + amount)
    if kind == MovementKind.RESERVED:
        changed = guard.update(reserved=F("reserved") + amount)
    else:
        changed = guard.update(on_hand=F("on_hand") - amount)
    if changed != len(flat):
        raise Contended
    Movement.objects.bulk_create(
        [
            ledger_row(
                a.stock_id,
                kind,
                0 if kind == MovementKind.RESERVED else -a.quantity,
                a.quantity if kind == MovementKind.RESERVED else 0,
                actor=actor,
                reference=reference,
            )
            for a in flat
        ]
    )
    return plan


def sold_out_of(center_id: int, wanted: dict[int, int]) -> SoldOut:
    """Why `wanted` cannot be had now: the first product short of it (after contended retries)."""
    day = local_today()
    for product_id, quantity in wanted.items():
        available = sum(a for _s, _l, a in _fefo(center_id, product_id, day))
        if available < quantity:
            return _sold_out(center_id, product_id, quantity, day)
    return SoldOut(_("Sold out."), fields={"quantity": _("Sold out.")})


def stock_sell(
    *, actor: Any, center: Center, product: Product, quantity: int, reference: str
) -> list[Allocation]:
    """Goods leave the shelf for a counter sale."""
    return _allocate(center.pk, product.pk, quantity, MovementKind.SOLD, actor=actor, reference=reference)


def stock_reserve(
    *, actor: Any, center: Center, product: Product, quantity: int, reference: str
) -> list[Allocation]:
    """Goods are held for an online order until it is paid or its hold runs out."""
    return _allocate(center.pk, product.pk, quantity, MovementKind.RESERVED, actor=actor, reference=reference)


def _unhold(allocations: Iterable[Allocation], *, sell: bool, actor: Any, reference: str) -> None:
    movements = []
    for allocation in allocations:
        updates: dict[str, Any] = {"reserved": F("reserved") - allocation.quantity}
        if sell:
            updates["on_hand"] = F("on_hand") - allocation.quantity
        changed = Stock.objects.filter(pk=allocation.stock_id, reserved__gte=allocation.quantity).update(
            **updates
        )
        if not changed:
            raise Conflict(_("The goods held for this order are no longer held."))
        kind = MovementKind.SOLD if sell else MovementKind.RELEASED
        on_hand = -allocation.quantity if sell else 0
        movements.append(
            ledger_row(
                allocation.stock_id, kind, on_hand, -allocation.quantity, actor=actor, reference=reference
            )
        )
    Movement.objects.bulk_create(movements)


@transaction.atomic
def stock_release(*, actor: Any, allocations: Iterable[Allocation], reference: str) -> None:
    """Held goods go back on the shelf (an unpaid or cancelled order)."""
    _unhold(allocations, sell=False, actor=actor, reference=reference)


@transaction.atomic
def stock_sell_held(*, actor: Any, allocations: Iterable[Allocation], reference: str) -> None:
    """Held goods are sold (the order is paid)."""
    _unhold(allocations, sell=True, actor=actor, reference=reference)


@transaction.atomic
def stock_put_back(*, actor: Any, stock_id: int, quantity: int, reference: str, reason: str = "") -> None:
    """Goods a customer returned go back on the shelf."""
    check_quantity(quantity)
    Stock.objects.filter(pk=stock_id).update(on_hand=F("on_hand") + quantity)
    ledger_row(
        stock_id, MovementKind.CUSTOMER_RETURN, quantity, 0, actor=actor, reference=reference, reason=reason
    ).save()
