"""The online shop: checkout holds the goods, payment sells them, the pipeline ends in the customer's hands.

Moves that can race (a payment arriving as the hold runs out) are conditional updates of the status,
so that exactly one of them wins.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocophub.accounts import selectors as accounts
from ocophub.accounts.phone import normalize_phone
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common import ratelimit
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.sms import send_sms
from ocophub.inventory import services as inventory
from ocophub.inventory.models import MovementKind
from ocophub.inventory.services import Allocation
from ocophub.places.models import AdministrativeUnit, Level

from ..models import (
    ORDER_TRANSITIONS,
    UNPAID_STATUSES,
    Channel,
    Fulfilment,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentState,
    PaymentTiming,
    Sale,
    SaleLine,
)
from ..pricing import LineIn, document_number, merge_lines, shelve
from .counter import ATTEMPTS, known_rows, return_create
from .payments import open_shift_of, refund_against, refundable


def hold_minutes() -> int:
    return int(getattr(settings, "ORDER_HOLD_MINUTES", 30))


def pickup_hold_hours() -> int:
    """How long an order paid at pick-up holds its goods: the customer's time to come (72 hours)."""
    return int(getattr(settings, "ORDER_PICKUP_HOLD_HOURS", 72))


# How goods are paid for when collected at the center
PICKUP_METHODS: tuple[str, ...] = (PaymentMethod.CASH, PaymentMethod.CARD)


@dataclass
class Checkout:
    center: Center
    lines: list[LineIn]
    name: str
    email: str
    phone: str
    fulfilment: str = Fulfilment.PICKUP
    payment_timing: str = PaymentTiming.ADVANCE
    address: str = ""
    commune: AdministrativeUnit | None = None
    note: str = ""
    client_ip: str | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _check_contact(data: Checkout) -> None:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Required.")
    if data.email.strip():  # optional: without one, the notices go to the phone by text message
        try:
            validate_email(data.email.strip())
        except ValidationError:
            errors["email"] = _("Not a valid e-mail address.")
    if normalize_phone(data.phone) is None:
        errors["phone"] = _("Not a Vietnamese phone number.")
    if data.fulfilment not in Fulfilment.values:
        errors["fulfilment"] = _("Pick-up or delivery.")
    elif data.fulfilment == Fulfilment.DELIVERY:
        if not data.address.strip():
            errors["address"] = _("Required for delivery.")
        if data.commune is None or data.commune.level != Level.COMMUNE:
            errors["commune"] = _("Choose the commune or ward of the address.")
    if data.payment_timing not in PaymentTiming.values:
        errors["payment_timing"] = _("Bank transfer or payment at pick-up.")
    elif data.payment_timing == PaymentTiming.AT_PICKUP and data.fulfilment != Fulfilment.PICKUP:
        errors["payment_timing"] = _("Only goods collected at the center are paid at pick-up.")
    if data.center.status not in PUBLIC_STATUSES:
        errors["center"] = _("This center does not sell online.")
    if errors:
        raise DomainError(_("Some details are missing or wrong."), fields=errors)


def _send(order_id: int, template: str) -> None:
    order = Order.objects.select_related("center").get(pk=order_id)
    _send_order(order, list(order.lines.select_related("product")), template)


def _send_notice(order: Order, lines: list[OrderLine]) -> None:
    """Tell the center's managers and staff of a new order (after the commit, outside any lock)."""
    recipients = accounts.center_notice_emails(order.center_id)
    if not recipients:
        return
    path = reverse("shop:center_order", args=[order.center.slug, order.number])
    with translation.override("vi"):
        context = {
            "order": order,
            "lines": lines,
            "desk_url": f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}",
        }
        subject = render_to_string("sales/email/new_order_subject.txt", context).strip()
        body = render_to_string("sales/email/new_order.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _send_order(order: Order, lines: list[OrderLine], template: str) -> None:
    with translation.override("vi"):
        context = {"order": order, "lines": lines}
        subject = render_to_string(f"sales/email/{template}_subject.txt", context).strip()
        if not order.email:
            send_sms(order.phone, render_to_string(f"sales/sms/{template}.txt", context).strip())
            return
        body = render_to_string(f"sales/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])


def _event(order: Order, actor: Any, from_state: str, to_state: str, reason: str = "") -> None:
    OrderEvent.objects.create(
        order=order,
        actor=actor if getattr(actor, "pk", None) else None,
        from_state=from_state,
        to_state=to_state,
        reason=reason[:2000],
    )


def _check_size(merged: dict[int, int]) -> None:
    """An online order holds goods nobody has paid for yet: it may not hold a center's whole stock."""
    per_line, in_all = settings.ORDER_MAX_UNITS_PER_LINE, settings.ORDER_MAX_UNITS
    for product_id, quantity in merged.items():
        if quantity > per_line:
            raise DomainError(
                _("At most %(n)s of one product in an online order; for more, contact the center.")
                % {"n": per_line},
                fields={"lines": _("Product %(id)s: at most %(n)s.") % {"id": product_id, "n": per_line}},
                code="order_too_large",
            )
    if sum(merged.values()) > in_all:
        raise DomainError(
            _("At most %(n)s items in an online order; for more, contact the center.") % {"n": in_all},
            fields={"lines": _("At most %(n)s items in all.") % {"n": in_all}},
            code="order_too_large",
        )


def _check_open_orders(data: Checkout) -> None:
    """Unpaid orders hold goods: a contact, and a client address, may keep only a few open at once.

    The center's row is locked first, so that two checkouts at one center count one after the other;
    both counts are read in one query.
    """
    if connection.features.has_select_for_update:
        # SQLite has no row locks: its IMMEDIATE transactions already run one checkout after the other
        Center.objects.select_for_update().filter(pk=data.center.pk).values_list("pk", flat=True).first()
    phone = normalize_phone(data.phone) or data.phone
    contact = Q(phone=phone) | Q(email__iexact=data.email.strip()) if data.email.strip() else Q(phone=phone)
    counting = {"by_contact": Count("pk", filter=contact)}
    if data.client_ip:
        counting["by_address"] = Count("pk", filter=Q(client_ip=data.client_ip))
    counts = Order.objects.filter(status__in=UNPAID_STATUSES).aggregate(**counting)
    by_contact, by_address = int(counts["by_contact"]), int(counts.get("by_address") or 0)
    if by_contact >= settings.ORDER_MAX_OPEN_PER_CONTACT:
        raise Conflict(
            _(
                "You already have %(n)s unpaid orders. Pay for one or let its hold run out before "
                "ordering again."
            )
            % {"n": by_contact},
            code="too_many_open_orders",
        )
    if data.client_ip and by_address >= settings.ORDER_MAX_OPEN_PER_ADDRESS:
        raise Conflict(
            _("Too many unpaid orders from this address. Try again when one is paid or released."),
            code="too_many_open_orders",
        )


def order_place(*, actor: Any, data: Checkout) -> Order:
    """Check out: hold every line at the chosen center for the hold time, or nothing at all.

    An order paid by transfer awaits payment and holds its goods for the short hold time; a pick-up
    order paid at the center is confirmed at once and holds them until its pick-up deadline. The
    center's managers and staff are e-mailed once the order is written.

    A guest's checkouts from one client address are rate-limited; every order is limited in size, and
    in how many unpaid orders its contact and address may hold at once.
    """
    merged = merge_lines(data.lines)
    for _attempt in range(ATTEMPTS):
        try:
            return _order_place(actor, data, merged)
        except inventory.Contended:
            continue
    raise inventory.sold_out_of(data.center.pk, merged)


@transaction.atomic
def _order_place(actor: Any, data: Checkout, merged: dict[int, int]) -> Order:
    _check_contact(data)
    _check_size(merged)
    customer = actor if getattr(actor, "is_authenticated", False) else None
    if customer is None and data.client_ip:
        ratelimit.take_in_transaction(
            ratelimit.Limit.from_setting("checkout:address", "RATE_GUEST_CHECKOUT_PER_ADDRESS"),
            data.client_ip,
        )
    _check_open_orders(data)
    shelf = shelve(data.center.pk, merged)
    at_pickup = data.payment_timing == PaymentTiming.AT_PICKUP
    held_for = dt.timedelta(hours=pickup_hold_hours()) if at_pickup else dt.timedelta(minutes=hold_minutes())
    order = Order.objects.create(
        number=uuid.uuid4().hex[:20],
        customer=customer,
        name=data.name.strip()[:120],
        email=data.email.strip()[:254],
        phone=normalize_phone(data.phone) or data.phone,
        center=data.center,
        fulfilment=data.fulfilment,
        payment_timing=data.payment_timing,
        status=OrderStatus.CONFIRMED if at_pickup else OrderStatus.AWAITING_PAYMENT,
        address=data.address.strip()[:300] if data.fulfilment == Fulfilment.DELIVERY else "",
        commune=data.commune if data.fulfilment == Fulfilment.DELIVERY else None,
        note=data.note.strip()[:500],
        hold_until=timezone.now() + held_for,
        total=0,
        client_ip=data.client_ip,
    )
    order.number = document_number("DH", order.pk)
    taken = inventory.stock_take_lots(
        actor=customer,
        center_id=data.center.pk,
        wanted=merged,
        lots=shelf.lots,
        kind=MovementKind.RESERVED,
        reference=f"order:{order.number}",
    )
    rows: list[OrderLine] = []
    for product_id, allocations in taken.items():
        product = shelf.products[product_id]
        for allocation in allocations:
            rows.append(
                OrderLine(
                    order=order,
                    product=product,
                    stock_id=allocation.stock_id,
                    quantity=allocation.quantity,
                    unit_price=product.list_price,
                    amount=allocation.quantity * product.list_price,
                    commission_rate=shelf.rates[product_id],
                )
            )
    OrderLine.objects.bulk_create(rows)
    order.total = sum(row.amount for row in rows)
    order.save(update_fields=["number", "total"])
    _event(order, customer, "", order.status)
    known_rows(order, lines=rows, payments=[])
    hold_until = order.hold_until
    # the order and its lines as written: the confirmation reads nothing back
    transaction.on_commit(lambda: _send_order(order, rows, "confirmation"))
    # a notice that cannot be delivered must not undo or fail the customer's order
    transaction.on_commit(lambda: _send_notice(order, rows), robust=True)
    transaction.on_commit(lambda: _schedule_release(hold_until))
    return order


# Who queues the release of a hold when it runs out: the background jobs (sales.tasks) register here
# when the apps are ready, so that the services never import the jobs that call them.
HOLD_RELEASE_SCHEDULERS: list[Callable[[dt.datetime], None]] = []


def _schedule_release(when: dt.datetime) -> None:
    for schedule in HOLD_RELEASE_SCHEDULERS:
        schedule(when)


def _allocations(order: Order) -> list[Allocation]:
    return [Allocation(line.stock_id, 0, line.quantity) for line in order.lines.all()]


def _move(order: Order, to_state: str, *, actor: Any, reason: str = "") -> Order:
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
    _event(order, actor, current, to_state, reason)
    order.status = to_state
    return order


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
    _move(order, OrderStatus.PAID, actor=actor, reason=reference)
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
    inventory.stock_sell_held(actor=actor, allocations=_allocations(order), reference=f"order:{order.number}")
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
    _move(
        order,
        OrderStatus.COMPLETED,
        actor=actor,
        reason=_("Paid at pick-up: %(method)s.") % {"method": PaymentMethod(method).label},
    )
    _sell(order, actor=actor, method=method, reference="", shift=shift)
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
    order = _move(order, to_state, actor=actor, reason=reason)
    if to_state == OrderStatus.READY:
        order_id = order.pk
        transaction.on_commit(lambda: _send(order_id, "ready"))
    return order


@transaction.atomic
def order_cancel(*, actor: Any, order: Order, reason: str) -> Order:
    """An unpaid order is cancelled and its held goods go back on the shelf."""
    order = _move(order, OrderStatus.CANCELLED, actor=actor, reason=reason)
    inventory.stock_release(actor=actor, allocations=_allocations(order), reference=f"order:{order.number}")
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
    order = _move(order, OrderStatus.REFUNDED, actor=actor, reason=reason)
    sale = Sale.objects.get(order=order)
    from .counter import returned_quantities

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
