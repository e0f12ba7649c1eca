"""Placing an order: the checkout's checks and limits, the goods held, and the hold's release queued."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.accounts.phone import normalize_phone
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common import ratelimit
from ocophub.common.errors import Conflict, DomainError, NotFound
from ocophub.inventory import services as inventory
from ocophub.inventory.models import MovementKind
from ocophub.places.models import AdministrativeUnit, Level

from ...models import UNPAID_STATUSES, Fulfilment, Order, OrderLine, OrderStatus, PaymentTiming
from ...pricing import LineIn, document_number, merge_lines, shelve
from ..counter import ATTEMPTS, known_rows
from .moves import event_record
from .notices import notify_center, notify_customer


def hold_minutes() -> int:
    return int(getattr(settings, "ORDER_HOLD_MINUTES", 30))


def pickup_hold_hours() -> int:
    """How long an order paid at pick-up holds its goods: the customer's time to come (72 hours)."""
    return int(getattr(settings, "ORDER_PICKUP_HOLD_HOURS", 72))


@dataclass
class Checkout:
    # the center is read in the checkout's own transaction (locked on PostgreSQL): see `_locked_center`
    center_id: int
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
    if errors:
        raise DomainError(_("Some details are missing or wrong."), fields=errors)


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


def _locked_center(center_id: int) -> Center:
    """The center as this checkout's transaction sees it, with its bank account for the payment code.

    On PostgreSQL the center's row is locked by this read, so that two checkouts at one center count
    their open orders one after the other: the count must be a later statement than the lock, as a
    statement waiting for a lock still reads what was committed when it began. SQLite has no row locks
    and ignores it: its IMMEDIATE transactions already run one checkout after the other.
    """
    center = (
        Center.objects.select_for_update(of=("self",))
        .select_related("bank_account")
        .filter(pk=center_id, status__in=PUBLIC_STATUSES)
        .first()
    )
    if center is None:
        raise NotFound(_("No such center."), fields={"center_id": _("Does not exist.")})
    return center


def _check_open_orders(data: Checkout) -> None:
    """Unpaid orders hold goods: a contact, and a client address, may keep only a few open at once.

    Called once the center's row is locked (`_locked_center`); both counts are read in one query.
    """
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
    raise inventory.sold_out_of(data.center_id, merged)


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
    center = _locked_center(data.center_id)
    _check_open_orders(data)
    shelf = shelve(center.pk, merged)
    at_pickup = data.payment_timing == PaymentTiming.AT_PICKUP
    held_for = dt.timedelta(hours=pickup_hold_hours()) if at_pickup else dt.timedelta(minutes=hold_minutes())
    order = Order.objects.create(
        number=uuid.uuid4().hex[:20],
        customer=customer,
        name=data.name.strip()[:120],
        email=data.email.strip()[:254],
        phone=normalize_phone(data.phone) or data.phone,
        center=center,
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
        center_id=center.pk,
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
    event_record(order, customer, "", order.status)
    known_rows(order, lines=rows, payments=[])
    hold_until = order.hold_until
    # the order and its lines as written: the confirmation reads nothing back
    transaction.on_commit(lambda: notify_customer(order, rows, "confirmation"))
    # a notice that cannot be delivered must not undo or fail the customer's order
    transaction.on_commit(lambda: notify_center(order, rows), robust=True)
    transaction.on_commit(lambda: _schedule_release(hold_until))
    return order


# Who queues the release of a hold when it runs out: the background jobs (sales.tasks) register here
# when the apps are ready, so that the services never import the jobs that call them.
HOLD_RELEASE_SCHEDULERS: list[Callable[[dt.datetime], None]] = []


def _schedule_release(when: dt.datetime) -> None:
    for schedule in HOLD_RELEASE_SCHEDULERS:
        schedule(when)
