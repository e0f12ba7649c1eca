"""Writes to consignment agreements and stock. Every stock change is a conditional UPDATE.

A quantity is taken only `WHERE on_hand - reserved >= n` and the number of rows changed is checked, so
that two buyers of the last unit cannot both have it whatever the database's isolation level; the
ledger row goes in with the change, in the same transaction.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from ocophub.catalogue import selectors as catalogue_selectors
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError

from .models import (
    AGREEMENT_TRANSITIONS,
    MAX_COMMISSION_RATE,
    Agreement,
    AgreementEvent,
    AgreementState,
    Lot,
    Movement,
    MovementKind,
    Stock,
)

MAX_QUANTITY = 1_000_000


class SoldOut(Conflict):
    code = "sold_out"


class _Short(Exception):
    """Not enough stock: undo the partial takes, then explain."""


class Contended(Exception):
    """A lot changed between the read and the conditional UPDATE: the caller's transaction is rolled back
    and tried again on a fresh read."""


@dataclass(frozen=True)
class Allocation:
    """A quantity taken from (or held in) one stock row, i.e. one lot at one center."""

    stock_id: int
    lot_id: int
    quantity: int


# --- agreements ---------------------------------------------------------------------------------


def _rate(value: Decimal | str | float | int) -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        rate = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        rate = Decimal(-1)
    if (
        not rate.is_finite()
        or rate < 0
        or rate > MAX_COMMISSION_RATE
        or rate != rate.quantize(Decimal("0.0001"))
    ):
        raise DomainError(
            _("The commission rate must be between 0 and 0.5 with at most four decimals."),
            fields={"commission_rate": _("Between 0 and 0.5 (e.g. 0.2 for 20%).")},
        )
    return rate


def _overlapping(producer: Producer, center: Center, starts_on: dt.date, ends_on: dt.date | None) -> Any:
    qs = Agreement.objects.filter(producer=producer, center=center).exclude(state=AgreementState.ENDED)
    qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        qs = qs.filter(starts_on__lte=ends_on)
    return qs


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    producer: Producer,
    center: Center,
    commission_rate: Decimal | str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    notes: str = "",
    activate: bool = True,
) -> Agreement:
    """A producer × center agreement. Two agreements of one pair may not cover the same day."""
    rate = _rate(commission_rate)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(
            _("The agreement cannot end before it starts."), fields={"ends_on": _("Before the start date.")}
        )
    if _overlapping(producer, center, starts_on, ends_on).exists():
        raise Conflict(
            _("This producer already has an agreement with this center for these dates."),
            fields={"starts_on": _("Overlaps another agreement.")},
        )
    agreement = Agreement.objects.create(
        producer=producer,
        center=center,
        commission_rate=rate,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )
    AgreementEvent.objects.create(agreement=agreement, actor=actor, to_state=AgreementState.DRAFT)
    if activate:
        agreement_move(actor=actor, agreement=agreement, to_state=AgreementState.ACTIVE)
    return agreement


@transaction.atomic
def agreement_move(*, actor: Any, agreement: Agreement, to_state: str, reason: str = "") -> Agreement:
    """Activate or end an agreement; an ended agreement's end date becomes today when it had none."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if to_state not in AGREEMENT_TRANSITIONS.get(agreement.state, ()):
        raise Conflict(
            _("An agreement in state “%(state)s” cannot move to “%(to)s”.")
            % {"state": agreement.get_state_display(), "to": AgreementState(to_state).label}
            if to_state in AgreementState.values
            else _("Unknown state."),
            fields={"state": _("Not allowed from the current state.")},
        )
    from_state = agreement.state
    agreement.state = to_state
    fields = ["state", "updated_at"]
    if to_state == AgreementState.ENDED and agreement.ends_on is None:
        agreement.ends_on = max(local_today(), agreement.starts_on)
        fields.append("ends_on")
    agreement.save(update_fields=fields)
    AgreementEvent.objects.create(
        agreement=agreement, actor=actor, from_state=from_state, to_state=to_state, reason=reason
    )
    return agreement


def active_agreement(producer_id: int, center_id: int, day: dt.date | None = None) -> Agreement | None:
    day = day or local_today()
    return (
        Agreement.objects.filter(
            producer_id=producer_id, center_id=center_id, state=AgreementState.ACTIVE, starts_on__lte=day
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .first()
    )


def require_agreement(producer_id: int, center_id: int, day: dt.date | None = None) -> Agreement:
    agreement = active_agreement(producer_id, center_id, day)
    if agreement is None:
        raise DomainError(
            _("The producer has no active consignment agreement with this center."),
            fields={"product": _("No active consignment agreement.")},
            code="no_agreement",
        )
    return agreement


# --- quantities ---------------------------------------------------------------------------------


def check_quantity(quantity: Any, field: str = "quantity") -> int:
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or quantity <= 0
        or quantity > MAX_QUANTITY
    ):
        raise DomainError(
            _("The quantity must be a whole number from 1 to %(max)s.")
            % {"max": f"{MAX_QUANTITY:,}".replace(",", ".")},
            fields={field: _("A whole number above zero.")},
        )
    return quantity


def _ledger(
    stock_id: int,
    kind: str,
    on_hand: int,
    reserved: int,
    *,
    actor: Any,
    reference: str = "",
    reason: str = "",
) -> Movement:
    return Movement(
        stock_id=stock_id,
        kind=kind,
        on_hand_delta=on_hand,
        reserved_delta=reserved,
        actor=actor if getattr(actor, "pk", None) else None,
        reference=reference[:60],
        reason=reason[:300],
    )


def _lot(product: Product, code: str, produced_on: dt.date | None, expires_on: dt.date | None) -> Lot:
    code = code.strip()[:40]
    if expires_on and produced_on and expires_on <= produced_on:
        raise DomainError(
            _("A lot must expire after the day it was produced."),
            fields={"expires_on": _("Not after the production date.")},
        )
    lot, created = Lot.objects.get_or_create(
        product=product, code=code, defaults={"produced_on": produced_on, "expires_on": expires_on}
    )
    if not created and (
        (expires_on and lot.expires_on != expires_on) or (produced_on and lot.produced_on != produced_on)
    ):
        raise DomainError(
            _("Lot “%(code)s” of this product was received with other dates.") % {"code": code},
            fields={"lot_code": _("Same code, other dates: use a new lot code.")},
        )
    return lot


def _stock_row(center: Center, lot: Lot) -> Stock:
    stock, _created = Stock.objects.get_or_create(
        center=center,
        lot=lot,
        defaults={"product_id": lot.product_id, "producer_id": lot.product.producer_id},
    )
    return stock


@transaction.atomic
def stock_receive(
    *,
    actor: Any,
    center: Center,
    product: Product,
    quantity: int,
    lot_code: str = "",
    produced_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    reason: str = "",
) -> Stock:
    """Goods arrive from the producer, under an active agreement; a lot past its expiry is refused, and
    perishable goods (food, drinks, medicinal herbs: their group's mark) need their expiry date, so
    that earliest-expiry-first selling can protect them."""
    check_quantity(quantity)
    if product.status != "published":
        raise DomainError(
            _("Only published products are received for sale."),
            fields={"product": _("Not a published product.")},
        )
    require_agreement(product.producer_id, center.pk)
    if expires_on is None and catalogue_selectors.is_perishable(product):
        raise DomainError(
            _("“%(name)s” is perishable: enter the expiry date printed on the lot.") % {"name": product.name},
            fields={"expires_on": _("Required for food, drinks and medicinal herbs.")},
            code="expiry_required",
        )
    if expires_on is not None and expires_on < local_today():
        raise DomainError(
            _("This lot has already expired."), fields={"expires_on": _("In the past.")}, code="expired"
        )
    stock = _stock_row(center, _lot(product, lot_code, produced_on, expires_on))
    Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + quantity)
    _ledger(stock.pk, MovementKind.RECEIVED, quantity, 0, actor=actor, reason=reason).save()
    stock.refresh_from_db()
    return stock


def _take_exact(stock_id: int, quantity: int, kind: str, *, actor: Any, reference: str, reason: str) -> None:
    """Take `quantity` of one stock row's available goods, or refuse when there are not that many."""
    changed = Stock.objects.filter(pk=stock_id, on_hand__gte=F("reserved") + quantity).update(
        on_hand=F("on_hand") - quantity
    )
    if not changed:
        available = Stock.objects.filter(pk=stock_id).values_list("on_hand", "reserved").first() or (0, 0)
        raise SoldOut(
            _("Only %(n)s available.") % {"n": available[0] - available[1]},
            fields={"quantity": _("More than is available.")},
        )
    _ledger(stock_id, kind, -quantity, 0, actor=actor, reference=reference, reason=reason).save()


@transaction.atomic
def stock_adjust(*, actor: Any, stock: Stock, delta: int, reason: str) -> Stock:
    """A count correction (breakage, loss, a recount). The reason is required."""
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0 or abs(delta) > MAX_QUANTITY:
        raise DomainError(
            _("The change must be a non-zero whole number."), fields={"delta": _("A non-zero whole number.")}
        )
    if not reason.strip():
        raise DomainError(_("Say why the stock is adjusted."), fields={"reason": _("Required.")})
    if delta > 0:
        Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + delta)
        _ledger(stock.pk, MovementKind.ADJUSTED, delta, 0, actor=actor, reason=reason).save()
    else:
        _take_exact(stock.pk, -delta, MovementKind.ADJUSTED, actor=actor, reference="", reason=reason)
    stock.refresh_from_db()
    return stock


@transaction.atomic
def stock_transfer(*, actor: Any, stock: Stock, to_center: Center, quantity: int, reason: str = "") -> Stock:
    """Move goods of one lot to another center, which needs its own agreement with the producer."""
    check_quantity(quantity)
    if to_center.pk == stock.center_id:
        raise DomainError(
            _("A transfer needs another center."), fields={"to_center": _("The same center as the goods.")}
        )
    require_agreement(stock.producer_id, to_center.pk)
    reference = f"transfer:{stock.center_id}>{to_center.pk}"
    _take_exact(
        stock.pk, quantity, MovementKind.TRANSFER_OUT, actor=actor, reference=reference, reason=reason
    )
    target = _stock_row(to_center, Lot.objects.select_related("product").get(pk=stock.lot_id))
    Stock.objects.filter(pk=target.pk).update(on_hand=F("on_hand") + quantity)
    _ledger(
        target.pk, MovementKind.TRANSFER_IN, quantity, 0, actor=actor, reference=reference, reason=reason
    ).save()
    target.refresh_from_db()
    return target


@transaction.atomic
def stock_return_to_producer(*, actor: Any, stock: Stock, quantity: int, reason: str = "") -> Stock:
    check_quantity(quantity)
    _take_exact(stock.pk, quantity, MovementKind.RETURNED, actor=actor, reference="", reason=reason)
    stock.refresh_from_db()
    return stock


# --- selling: used by the sales app ---------------------------------------------------------------


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
                        _ledger(stock_id, kind, on_hand, reserved, actor=actor, reference=reference)
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
            _ledger(
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
            _ledger(
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
    _ledger(
        stock_id, MovementKind.CUSTOMER_RETURN, quantity, 0, actor=actor, reference=reference, reason=reason
    ).save()
