"""The counter: shifts, sales by barcode or search, receipts, returns and refunds."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.catalogue.models import Product
from ocophub.centers.models import Center
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.money import format_vnd
from ocophub.inventory import services as inventory

from ..models import (
    Channel,
    Order,
    Payment,
    PaymentMethod,
    PaymentState,
    Refund,
    RefundApproval,
    Return,
    ReturnLine,
    Sale,
    SaleLine,
    Shift,
)

MAX_AMOUNT = 10**12
MAX_LINES = 100


@dataclass(frozen=True)
class LineIn:
    product_id: int
    quantity: int


def check_amount(value: Any, field: str, *, allow_zero: bool = True) -> int:
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < low or value > MAX_AMOUNT:
        raise DomainError(
            _("Amounts are whole đồng from %(low)s up.") % {"low": low},
            fields={field: _("A whole number of đồng, not below %(low)s.") % {"low": low}},
        )
    return value


def merge_lines(lines: list[LineIn]) -> dict[int, int]:
    """Quantities per product; several lines of one product add up. Refuses empty and bad quantities."""
    if not lines:
        raise DomainError(_("Add at least one product."), fields={"lines": _("Empty.")})
    if len(lines) > MAX_LINES:
        raise DomainError(_("Too many lines."), fields={"lines": _("At most %(n)s.") % {"n": MAX_LINES}})
    merged: dict[int, int] = defaultdict(int)
    for index, line in enumerate(lines):
        inventory.check_quantity(line.quantity, field=f"lines.{index}.quantity")
        merged[line.product_id] += line.quantity
    return dict(merged)


def priced_products(product_ids: list[int]) -> dict[int, Product]:
    products = {p.pk: p for p in Product.objects.filter(pk__in=product_ids, status="published")}
    for pk in product_ids:
        product = products.get(pk)
        if product is None:
            raise DomainError(
                _("Unknown product."), fields={"lines": _("Product %(id)s is not on sale.") % {"id": pk}}
            )
        if product.list_price is None:
            raise DomainError(
                _("“%(name)s” has no price.") % {"name": product.name},
                fields={"lines": _("No list price.")},
                code="no_price",
            )
    return products


def _number(prefix: str, pk: int) -> str:
    return f"{prefix}-{pk:07d}"


# --- shifts ---------------------------------------------------------------------------------------


def open_shift_of(user: Any, center: Center) -> Shift | None:
    return Shift.objects.filter(center=center, opened_by=user, closed_at__isnull=True).first()


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
    books nothing twice; the same id with other goods is refused.
    """
    merged = merge_lines(lines)
    existing = Sale.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return _replay(existing, center, merged), False
    try:
        return _sale_create(actor, center, client_uuid, merged, method, tendered, reference), True
    except IntegrityError:
        existing = Sale.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _replay(existing, center, merged), False


def _replay(existing: Sale, center: Center, merged: dict[int, int]) -> Sale:
    if not _same_sale(existing, center, merged):
        raise DomainError(
            _("This sale id was already used for other goods."),
            fields={"client_uuid": _("Already used for another sale.")},
            code="uuid_reused",
        )
    return existing


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
    products = priced_products(list(merged))
    rates = {
        pk: inventory.require_agreement(p.producer_id, center.pk).commission_rate
        for pk, p in products.items()
    }
    sale = Sale.objects.create(
        client_uuid=client_uuid,
        number=client_uuid.hex[:20],
        center=center,
        channel=Channel.COUNTER,
        shift=shift,
        seller=actor,
        total=0,
    )
    sale.number = _number("HD", sale.pk)
    rows: list[SaleLine] = []
    for product_id, quantity in merged.items():
        product = products[product_id]
        for allocation in inventory.stock_sell(
            actor=actor, center=center, product=product, quantity=quantity, reference=f"sale:{sale.number}"
        ):
            rows.append(
                SaleLine(
                    sale=sale,
                    product=product,
                    producer_id=product.producer_id,
                    stock_id=allocation.stock_id,
                    quantity=allocation.quantity,
                    unit_price=product.list_price,
                    amount=allocation.quantity * product.list_price,
                    commission_rate=rates[product_id],
                )
            )
    SaleLine.objects.bulk_create(rows)
    sale.total = sum(row.amount for row in rows)
    sale.save(update_fields=["number", "total"])
    if method == PaymentMethod.CASH:
        if tendered is None:
            tendered = sale.total
        check_amount(tendered, "tendered")
        if tendered < sale.total:
            raise DomainError(
                _("The cash given (%(given)s) is less than the total (%(total)s).")
                % {"given": format_vnd(tendered), "total": format_vnd(sale.total)},
                fields={"tendered": _("Less than the total.")},
            )
    else:
        tendered = None
    if sale.total > 0:
        Payment.objects.create(
            sale=sale,
            method=method,
            amount=sale.total,
            state=PaymentState.SUCCEEDED,
            tendered=tendered,
            reference=reference[:100],
            recorded_by=actor,
        )
    return sale


# --- returns and refunds ----------------------------------------------------------------------------


def paid(sale: Sale) -> int:
    return int(sale.payments.filter(state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))["n"] or 0)


def refunded(sale: Sale) -> int:
    return int(
        Refund.objects.filter(payment__sale=sale, state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))[
            "n"
        ]
        or 0
    )


def returned_quantities(sale: Sale) -> dict[int, int]:
    rows = ReturnLine.objects.filter(sale_line__sale=sale).values("sale_line_id").annotate(n=Sum("quantity"))
    return {row["sale_line_id"]: int(row["n"]) for row in rows}


def refundable(sale: Sale) -> int:
    """What the sale's payments still hold: paid less refunded."""
    return paid(sale) - refunded(sale)


def _refund_against(
    sale: Sale,
    amount: int,
    *,
    actor: Any,
    ret: Return | None,
    reason: str,
    approved_by: Any = None,
    approval: RefundApproval | None = None,
) -> list[Refund]:
    """Spread a refund over the sale's payments, last first; never more than each has left.

    Cash paid back at the counter comes out of a drawer: the refunding user's open shift at the sale's
    center, which must exist, so that the shift's expected cash accounts for it. A refund without goods
    (`approved_by` given) is also tied to that shift when paid back another way, so that the shift's
    report shows every such refund.
    """
    drawer = open_shift_of(actor, sale.center) if getattr(actor, "pk", None) else None
    remaining = amount
    refunds = []
    for payment in sale.payments.filter(state=PaymentState.SUCCEEDED).order_by("-created_at", "-pk"):
        left = payment.amount - int(
            payment.refunds.filter(state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))["n"] or 0
        )
        part = min(left, remaining)
        if part > 0:
            if payment.method == PaymentMethod.CASH and drawer is None:
                raise Conflict(
                    _("Open a shift at this center to pay cash back."),
                    fields={"shift": _("No open shift.")},
                    code="no_shift",
                )
            in_shift = payment.method == PaymentMethod.CASH or approved_by is not None
            refunds.append(
                Refund.objects.create(
                    payment=payment,
                    ret=ret,
                    amount=part,
                    reason=reason[:300],
                    actor=actor,
                    shift=drawer if in_shift else None,
                    approved_by=approved_by,
                    approval=approval,
                )
            )
            remaining -= part
        if remaining == 0:
            break
    if remaining:
        raise DomainError(
            _("The refund is larger than what was paid and not yet refunded (%(left)s).")
            % {"left": format_vnd(amount - remaining)},
            fields={"amount": _("More than was paid.")},
            code="refund_too_large",
        )
    return refunds


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
    ret.number = _number("TH", ret.pk)
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
        _refund_against(sale, money_back, actor=actor, ret=ret, reason=reason)
    return ret
