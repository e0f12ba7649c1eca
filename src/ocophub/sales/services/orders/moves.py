"""The order's pipeline: guarded status moves and their events, cancelling, refunding, and expired holds."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError
from ocophub.inventory import services as inventory
from ocophub.inventory.services import Allocation

from ...models import (
    ORDER_TRANSITIONS,
    UNPAID_STATUSES,
    Fulfilment,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentState,
    PaymentTiming,
    Sale,
)
from ..counter import return_create
from ..payments import refund_against, refundable
from .notices import notify_customer_of


def event_record(order: Order, actor: Any, from_state: str, to_state: str, reason: str = "") -> None:
    OrderEvent.objects.create(
        order=order,
        actor=actor if getattr(actor, "pk", None) else None,
        from_state=from_state,
        to_state=to_state,
        reason=reason[:2000],
    )


def held_allocations(order: Order) -> list[Allocation]:
    return [Allocation(line.stock_id, 0, line.quantity) for line in order.lines.all()]


def move(order: Order, to_state: str, *, actor: Any, reason: str = "") -> Order:
    """Guarded, conditional move: only from a state the map allows, and only once.

    The status is read afresh, and changed only where it is still that status, so that of two racing
    moves (a payment and the hold's expiry) exactly one wins.
    """
    current = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
    if current is None:
        raise Conflict(_("The order no longer exists."))
    order.status = current
    if to_state not in ORDER_TRANSITIONS.get(current, ()):
        raise Conflict(
            _("An order that is “%(state)s” cannot become “%(to)s”.")
            % {"state": order.get_status_display(), "to": OrderStatus(to_state).label},
            fields={"status": _("Not allowed from the current status.")},
        )
    changed = Order.objects.filter(pk=order.pk, status=current).update(
        status=to_state, updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(
            _("The order changed meanwhile; reload it."), fields={"status": _("Changed meanwhile.")}
        )
    event_record(order, actor, current, to_state, reason)
    order.status = to_state
    return order


@transaction.atomic
def order_move(*, actor: Any, order: Order, to_state: str, reason: str = "") -> Order:
    """Ready for pick-up, shipped, completed. Pick-up orders are never shipped, deliveries never 'ready'."""
    if to_state == OrderStatus.READY and order.fulfilment != Fulfilment.PICKUP:
        raise Conflict(
            _("Only pick-up orders are made ready at the counter."), fields={"status": _("Delivery order.")}
        )
    if to_state == OrderStatus.SHIPPED and order.fulfilment != Fulfilment.DELIVERY:
        raise Conflict(_("A pick-up order is not shipped."), fields={"status": _("Pick-up order.")})
    if to_state not in (OrderStatus.READY, OrderStatus.SHIPPED, OrderStatus.COMPLETED):
        raise Conflict(_("Use cancel, pay or refund for that move."), fields={"status": _("Not this way.")})
    if order.payment_timing == PaymentTiming.AT_PICKUP:
        raise Conflict(
            _("An order paid at pick-up is completed by handing it over with its payment."),
            fields={"status": _("Paid at pick-up.")},
        )
    order = move(order, to_state, actor=actor, reason=reason)
    if to_state == OrderStatus.READY:
        order_id = order.pk
        transaction.on_commit(lambda: notify_customer_of(order_id, "ready"))
    return order


@transaction.atomic
def order_cancel(*, actor: Any, order: Order, reason: str) -> Order:
    """An unpaid order is cancelled and its held goods go back on the shelf."""
    order = move(order, OrderStatus.CANCELLED, actor=actor, reason=reason)
    inventory.stock_release(
        actor=actor, allocations=held_allocations(order), reference=f"order:{order.number}"
    )
    Payment.objects.filter(order=order, state=PaymentState.PENDING).update(state=PaymentState.CANCELLED)
    return order


@transaction.atomic
def order_refund(*, actor: Any, order: Order, reason: str, restock: bool | None = None) -> Order:
    """A paid order is called off: everything paid is refunded and its goods are returned.

    The goods go back on the shelf unless they were shipped (they are not at the center; restock them
    when they come back, by an adjustment) — `restock` overrides.
    """
    if not reason.strip():
        raise DomainError(_("Say why the order is refunded."), fields={"reason": _("Required.")})
    shipped = Order.objects.filter(pk=order.pk, status=OrderStatus.SHIPPED).exists()
    order = move(order, OrderStatus.REFUNDED, actor=actor, reason=reason)
    sale = Sale.objects.get(order=order)
    from ..counter import returned_quantities

    back = returned_quantities(sale)
    lines = {line.pk: line.quantity - back.get(line.pk, 0) for line in sale.lines.all()}
    lines = {pk: q for pk, q in lines.items() if q > 0}
    if lines:
        return_create(
            actor=actor,
            sale=sale,
            lines=lines,
            reason=reason,
            restock=(not shipped) if restock is None else restock,
            via_order=True,
        )
    left = refundable(sale)
    if left > 0:
        refund_against(sale, left, actor=actor, ret=None, reason=reason)
    return order


def orders_release_expired_now(now: dt.datetime | None = None) -> int:
    """Cancel every unpaid order whose hold has run out and put its goods back. Safe to run any time.

    Orders paid by transfer run out after the payment time, orders paid at pick-up at their pick-up
    deadline (both are in `hold_until`).
    """
    now = now or timezone.now()
    released = 0
    for order in Order.objects.filter(status__in=UNPAID_STATUSES, hold_until__lt=now).order_by("pk"):
        reason = (
            _("Not collected by the pick-up deadline.")
            if order.status == OrderStatus.CONFIRMED
            else _("Not paid within the hold time.")
        )
        try:
            order_cancel(actor=None, order=order, reason=reason)
        except Conflict:
            continue  # paid or cancelled meanwhile
        released += 1
    return released
