"""The counter: shifts, sales by barcode or search, receipts, returns and refunds."""

import uuid
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.money import format_vnd
from ocophub.inventory import services as inventory
from ocophub.inventory.models import MovementKind

from ..models import (
    Channel,
    Order,
    Payment,
    PaymentMethod,
    PaymentState,
    Refund,
    Return,
    ReturnLine,
    Sale,
    SaleLine,
    Shift,
)
from ..pricing import (
    LineIn,
    check_amount,
    document_number,
    merge_lines,
    shelve,
)
from .payments import open_shift_of, refund_against, refundable

# --- shifts ---------------------------------------------------------------------------------------


@transaction.atomic
def shift_open(*, actor: Any, center: Center, opening_float: int) -> Shift:
    check_amount(opening_float, "opening_float")
    if open_shift_of(actor, center):
        raise Conflict(
            _("You already have an open shift at this center."), fields={"shift": _("Already open.")}
        )
    try:
        with transaction.atomic():
            return Shift.objects.create(center=center, opened_by=actor, opening_float=opening_float)
    except IntegrityError as error:
        raise Conflict(
            _("You already have an open shift at this center."), fields={"shift": _("Already open.")}
        ) from error


def expected_cash(shift: Shift) -> int:
    """The float, plus cash taken for the shift's sales, less cash refunded in the shift's returns."""
    taken = (
        Payment.objects.filter(
            sale__shift=shift, method=PaymentMethod.CASH, state=PaymentState.SUCCEEDED
        ).aggregate(n=Sum("amount"))["n"]
        or 0
    )
    refunded = (
        Refund.objects.filter(
            shift=shift, payment__method=PaymentMethod.CASH, state=PaymentState.SUCCEEDED
        ).aggregate(n=Sum("amount"))["n"]
        or 0
    )
    return int(shift.opening_float) + int(taken) - int(refunded)


@transaction.atomic
def shift_close(*, actor: Any, shift: Shift, counted_cash: int, notes: str = "") -> Shift:
    """Close with the cash counted in the drawer; the variance is counted − expected."""
    check_amount(counted_cash, "counted_cash")
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.closed_at is not None:
        raise Conflict(_("This shift is already closed."), fields={"shift": _("Closed.")})
    shift.expected_cash = expected_cash(shift)
    shift.counted_cash = counted_cash
    shift.closed_by = actor
    shift.closed_at = timezone.now()
    shift.notes = notes[:2000]
    shift.save(update_fields=["expected_cash", "counted_cash", "closed_by", "closed_at", "notes"])
    return shift


# --- sales ----------------------------------------------------------------------------------------


def _same_sale(sale: Sale, center: Center, merged: dict[int, int]) -> bool:
    sold: dict[int, int] = defaultdict(int)
    for line in sale.lines.all():
        sold[line.product_id] += line.quantity
    return sale.center_id == center.pk and dict(sold) == merged


def sale_create(
    *,
    actor: Any,
    center: Center,
    client_uuid: uuid.UUID,
    lines: list[LineIn],
    method: str,
    tendered: int | None = None,
    reference: str = "",
) -> tuple[Sale, bool]:
    """Sell at the counter in the cashier's open shift; returns (sale, created).

    The till makes `client_uuid`: a submission retried after a lost answer finds the first sale and
    books nothing twice; the same id with other goods is refused. The first sale is looked for only when
    this one cannot be made (its id is taken, or it is refused), so that a sale costs no extra read.
    """
    merged = merge_lines(lines)
    try:
        for _attempt in range(ATTEMPTS):
            try:
                return _sale_create(actor, center, client_uuid, merged, method, tendered, reference), True
            except inventory.Contended:
                continue
        raise inventory.sold_out_of(center.pk, merged)
    except (IntegrityError, DomainError):
        existing = Sale.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _replay(existing, center, merged), False


# tries of a sale or an order whose lots another buyer changed between the read and the update
ATTEMPTS = 5


def _replay(existing: Sale, center: Center, merged: dict[int, int]) -> Sale:
    if not _same_sale(existing, center, merged):
        raise DomainError(
            _("This sale id was already used for other goods."),
            fields={"client_uuid": _("Already used for another sale.")},
            code="uuid_reused",
        )
    return existing


def known_rows(instance: Any, **rows: list[Any]) -> None:
    """Fill Django's prefetch cache with rows just written, so that reading them back costs nothing.

    A name that is a relation of the instance gets a queryset holding the rows, as `prefetch_related`
    leaves it; any other name (`refunds` of a new sale: none) keeps its list for the reader that asks."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, values in rows.items():
        manager = getattr(instance, name, None)
        if manager is not None and hasattr(manager, "get_queryset"):
            queryset = manager.get_queryset()
            queryset._result_cache = list(values)
            queryset._prefetch_done = True
            cache[name] = queryset
        else:
            cache[name] = list(values)


@transaction.atomic
def _sale_create(
    actor: Any,
    center: Center,
    client_uuid: uuid.UUID,
    merged: dict[int, int],
    method: str,
    tendered: int | None,
    reference: str,
) -> Sale:
    if method not in PaymentMethod.values:
        raise DomainError(
            _("Choose cash, transfer or card."), fields={"method": _("Unknown payment method.")}
        )
    shift = open_shift_of(actor, center)
    if shift is None:
        raise Conflict(
            _("Open a shift before selling."), fields={"shift": _("No open shift.")}, code="no_shift"
        )
    shelf = shelve(center.pk, merged)
    sale = Sale.objects.create(
        client_uuid=client_uuid,
        number=client_uuid.hex[:20],
        center=center,
        channel=Channel.COUNTER,
        shift=shift,
        seller=actor,
        total=0,
    )
    sale.number = document_number("HD", sale.pk)
    taken = inventory.stock_take_lots(
        actor=actor,
        center_id=center.pk,
        wanted=merged,
        lots=shelf.lots,
        kind=MovementKind.SOLD,
        reference=f"sale:{sale.number}",
    )
    stocks = {stock.pk: stock for rows in shelf.lots.values() for stock in rows}
    rows: list[SaleLine] = []
    for product_id, allocations in taken.items():
        product = shelf.products[product_id]
        for allocation in allocations:
            rows.append(
                SaleLine(
                    sale=sale,
                    product=product,
                    producer_id=product.producer_id,
                    stock=stocks[allocation.stock_id],
                    quantity=allocation.quantity,
                    unit_price=product.list_price,
                    amount=allocation.quantity * product.list_price,
                    commission_rate=shelf.rates[product_id],
                )
            )
    total = sum(row.amount for row in rows)
    if method == PaymentMethod.CASH:
        if tendered is None:
            tendered = total
        check_amount(tendered, "tendered")
        if tendered < total:
            raise DomainError(
                _("The cash given (%(given)s) is less than the total (%(total)s).")
                % {"given": format_vnd(tendered), "total": format_vnd(total)},
                fields={"tendered": _("Less than the total.")},
            )
    else:
        tendered = None
    SaleLine.objects.bulk_create(rows)
    sale.total = total
    sale.save(update_fields=["number", "total"])
    payments: list[Payment] = []
    if sale.total > 0:
        payments.append(
            Payment.objects.create(
                sale=sale,
                method=method,
                amount=sale.total,
                state=PaymentState.SUCCEEDED,
                tendered=tendered,
                reference=reference[:100],
                recorded_by=actor,
            )
        )
    known_rows(sale, lines=rows, payments=payments, returns=[], refunds=[])
    return sale


# --- returns and refunds ----------------------------------------------------------------------------


def returned_quantities(sale: Sale) -> dict[int, int]:
    rows = ReturnLine.objects.filter(sale_line__sale=sale).values("sale_line_id").annotate(n=Sum("quantity"))
    return {row["sale_line_id"]: int(row["n"]) for row in rows}


@transaction.atomic
def return_create(
    *,
    actor: Any,
    sale: Sale,
    lines: dict[int, int],
    reason: str,
    restock: bool = True,
    via_order: bool = False,
) -> Return:
    """Goods back against a receipt: at most what was sold less what came back; the money is refunded.

    A return is settled in the period of its own date, so a late return of goods already settled goes
    into the producer's next settlement.
    """
    if not reason.strip():
        raise DomainError(_("Say why the goods come back."), fields={"reason": _("Required.")})
    if not lines:
        raise DomainError(_("Choose what comes back."), fields={"lines": _("Empty.")})
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if sale.order_id is not None and not via_order:
        from ..models import OrderStatus

        if Order.objects.filter(pk=sale.order_id).exclude(status=OrderStatus.COMPLETED).exists():
            raise Conflict(
                _("This online order is not handed over yet: refund it from the order desk."),
                fields={"sale": _("Online order not completed.")},
                code="order_not_completed",
            )
    sold = {line.pk: line for line in sale.lines.all()}
    back = returned_quantities(sale)
    for line_id, quantity in lines.items():
        inventory.check_quantity(quantity, field=f"lines.{line_id}")
        line = sold.get(line_id)
        if line is None:
            raise DomainError(
                _("That line is not on this receipt."), fields={"lines": _("Not on this receipt.")}
            )
        if quantity > line.quantity - back.get(line_id, 0):
            raise DomainError(
                _("Only %(n)s of “%(name)s” can still come back.")
                % {"n": line.quantity - back.get(line_id, 0), "name": line.product},
                fields={f"lines.{line_id}": _("More than was sold.")},
            )
    shift = open_shift_of(actor, sale.center) if sale.channel == Channel.COUNTER else None
    ret = Return.objects.create(
        sale=sale,
        number=uuid.uuid4().hex[:20],
        actor=actor,
        reason=reason[:300],
        restock=restock,
        amount=0,
        shift=shift,
    )
    ret.number = document_number("TH", ret.pk)
    rows = [
        ReturnLine(ret=ret, sale_line=sold[line_id], quantity=q, amount=q * sold[line_id].unit_price)
        for line_id, q in lines.items()
    ]
    ReturnLine.objects.bulk_create(rows)
    ret.amount = sum(row.amount for row in rows)
    ret.save(update_fields=["number", "amount"])
    if restock:
        for row in rows:
            inventory.stock_put_back(
                actor=actor,
                stock_id=row.sale_line.stock_id,
                quantity=row.quantity,
                reference=f"return:{ret.number}",
            )
    # the goods' value is refunded, up to what the payments still hold (an earlier refund without goods
    # may have paid part of it back already)
    money_back = min(ret.amount, refundable(sale))
    if money_back:
        refund_against(sale, money_back, actor=actor, ret=ret, reason=reason)
    return ret
