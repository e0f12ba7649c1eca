"""Paying for an order: by transfer in advance, or in cash or by card when it is handed over."""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.inventory import services as inventory

from ...models import (
    Channel,
    Order,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentState,
    PaymentTiming,
    Sale,
    SaleLine,
)
from ...pricing import document_number
from ..payments import open_shift_of
from .moves import held_allocations, move

# How goods are paid for when collected at the center
PICKUP_METHODS: tuple[str, ...] = (PaymentMethod.CASH, PaymentMethod.CARD)


def order_paid_amount(order: Order) -> int:
    return int(order.payments.filter(state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))["n"] or 0)


@transaction.atomic
def order_pay(
    *, actor: Any, order: Order, method: str = PaymentMethod.TRANSFER, reference: str = ""
) -> Order:
    """The money arrived: the held goods are sold, a payment row and an online sale are written.

    A transfer that arrives after the hold time but before the release job ran is still accepted (the
    goods are still held). Goods held from a lot that has expired meanwhile are not sold: the order is
    refused here and should be cancelled and placed again.
    """
    if method not in PaymentMethod.values:
        raise DomainError(
            _("Choose cash, transfer or card."), fields={"method": _("Unknown payment method.")}
        )
    _check_lots(order)
    move(order, OrderStatus.PAID, actor=actor, reason=reference)
    _sell(order, actor=actor, method=method, reference=reference)
    return order


def _check_lots(order: Order) -> None:
    expired = order.lines.filter(stock__lot__expires_on__lt=local_today()).select_related("product").first()
    if expired is not None:
        raise DomainError(
            _("“%(name)s” held for this order is past its expiry date: cancel the order.")
            % {"name": expired.product.name},
            fields={"lines": _("An expired lot.")},
            code="expired",
        )


def _sell(order: Order, *, actor: Any, method: str, reference: str, shift: Any = None) -> None:
    """The held goods are sold: the stock moves, a payment row and an online sale are written."""
    inventory.stock_sell_held(
        actor=actor, allocations=held_allocations(order), reference=f"order:{order.number}"
    )
    payment = (
        Payment.objects.create(
            order=order,
            method=method,
            amount=order.total,
            state=PaymentState.SUCCEEDED,
            reference=reference[:100],
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        if order.total
        else None
    )
    sale = Sale.objects.create(
        client_uuid=uuid.uuid4(),
        number=uuid.uuid4().hex[:20],
        center=order.center,
        channel=Channel.ONLINE,
        order=order,
        shift=shift,
        seller=actor if getattr(actor, "pk", None) else None,
        total=order.total,
    )
    sale.number = document_number("HD", sale.pk)
    sale.save(update_fields=["number"])
    lines = [
        SaleLine(
            sale=sale,
            product_id=line.product_id,
            producer_id=line.product.producer_id,
            stock_id=line.stock_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            commission_rate=line.commission_rate,
        )
        for line in order.lines.select_related("product")
    ]
    SaleLine.objects.bulk_create(lines)
    if payment is not None:
        Payment.objects.filter(pk=payment.pk).update(sale=sale)


@transaction.atomic
def order_collect(*, actor: Any, order: Order, method: str) -> Order:
    """A pick-up order paid at the center is handed over: the payment (cash or card) is recorded as a
    payment row, the held goods are sold, and the order is completed, in one step.

    Cash goes into a drawer: the sale belongs to the collecting user's open shift at the center, which
    must exist, so that the shift's expected cash accounts for it.
    """
    if method not in PICKUP_METHODS:
        raise DomainError(_("Choose cash or card."), fields={"method": _("Cash or card at pick-up.")})
    if order.payment_timing != PaymentTiming.AT_PICKUP:
        raise Conflict(
            _("This order is paid by transfer, not at pick-up."), fields={"status": _("Paid in advance.")}
        )
    shift = open_shift_of(actor, order.center) if getattr(actor, "pk", None) else None
    if method == PaymentMethod.CASH and shift is None:
        raise Conflict(
            _("Open a shift at this center to take cash."),
            fields={"method": _("No open shift.")},
            code="no_shift",
        )
    _check_lots(order)
    move(
        order,
        OrderStatus.COMPLETED,
        actor=actor,
        reason=_("Paid at pick-up: %(method)s.") % {"method": PaymentMethod(method).label},
    )
    _sell(order, actor=actor, method=method, reference="", shift=shift)
    return order
