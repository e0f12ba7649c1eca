"""Pages of the online shop: the basket, checkout per center, order pages, and the centers' order desk.

Customers buy from one center per checkout, because the goods are held on that center's shelves and
collected or sent from there. Guests reach their order through its secret token; staff of the center
handle its orders (anyone else gets 404).
"""

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocophub.accounts import permissions
from ocophub.accounts.models import User
from ocophub.catalogue.models import Product, ProductStatus
from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.errors import DomainError
from ocophub.common.forms import parse_id
from ocophub.common.idempotency import run_once
from ocophub.common.ratelimit import client_address
from ocophub.inventory.selectors import available_at

from .. import services, vietqr
from ..forms_shop import (
    Basket,
    CheckoutForm,
    CollectForm,
    PayForm,
    ReasonForm,
    StatusFilter,
    parse_quantity,
)
from ..models import (
    ORDER_TRANSITIONS,
    UNPAID_STATUSES,
    BankAccount,
    Fulfilment,
    Order,
    OrderStatus,
    PaymentTiming,
)
from ..selectors import new_order_count

PAGE_SIZE = 25


@dataclass
class BasketLine:
    product: Product
    quantity: int
    available: int

    @property
    def amount(self) -> int:
        return self.quantity * (self.product.list_price or 0)

    @property
    def over(self) -> bool:
        return self.quantity > self.available


@dataclass
class BasketGroup:
    """The part of the basket bought from one center."""

    center: Center
    lines: list[BasketLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def over(self) -> bool:
        return any(line.over for line in self.lines)


def _groups(basket: Basket, center_ids: list[int] | None = None) -> list[BasketGroup]:
    """The basket grouped by center, with today's prices and availability.

    Lines of products no longer on sale and of centers no longer selling are dropped from the basket.
    """
    wanted = basket.center_ids() if center_ids is None else center_ids
    centers = {
        c.pk: c
        for c in Center.objects.filter(pk__in=wanted, status__in=PUBLIC_STATUSES).prefetch_related("hours")
    }
    product_ids = {p for c in wanted for p in basket.items(c)}
    products = {
        p.pk: p
        for p in Product.objects.filter(
            pk__in=product_ids, status=ProductStatus.PUBLISHED, list_price__isnull=False
        ).select_related("producer")
    }
    groups = []
    for center_id in wanted:
        items = basket.items(center_id)
        center = centers.get(center_id)
        gone = {p for p in items if center is None or p not in products}
        if gone:
            basket.forget(center_id, gone)
        if center is None or len(gone) == len(items):
            continue
        available = available_at(center_id, [p for p in items if p not in gone])
        group = BasketGroup(center)
        for product_id, quantity in items.items():
            if product_id not in gone:
                group.lines.append(BasketLine(products[product_id], quantity, available.get(product_id, 0)))
        group.lines.sort(key=lambda line: line.product.name)
        groups.append(group)
    return sorted(groups, key=lambda g: g.center.name)


def _public_center(slug: str) -> Center:
    center = Center.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).first()
    if center is None:
        raise Http404
    return center


def _render_basket(request: HttpRequest, basket: Basket, status: int = 200) -> HttpResponse:
    return render(
        request, "sales/shop/basket.html", {"groups": _groups(basket), "basket": basket}, status=status
    )


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Put a product into the basket of one center. Bad input shows the basket with the reason (400)."""
    basket = Basket(request.session, request.user)
    center = Center.objects.filter(slug=request.POST.get("center", ""), status__in=PUBLIC_STATUSES).first()
    product_id = parse_id(request.POST.get("product"))
    product = (
        Product.objects.filter(pk=product_id, status=ProductStatus.PUBLISHED).first()
        if product_id is not None
        else None
    )
    try:
        if center is None or product is None:
            raise DomainError(_("This product is not sold at this center."))
        if product.list_price is None:
            raise DomainError(_("“%(name)s” has no price yet: ask the center.") % {"name": product.name})
        quantity = parse_quantity(request.POST.get("quantity", "1"))
        basket.add(center.pk, product.pk, quantity)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_basket(request, basket, status=error.status)
    messages.success(
        request,
        _("Added %(quantity)s × %(name)s to your basket at %(center)s.")
        % {"quantity": quantity, "name": product.name, "center": center.name},
    )
    return redirect("shop:basket")


@require_http_methods(["GET", "POST"])
def basket_page(request: HttpRequest) -> HttpResponse:
    """The basket; a POST changes the quantities of one center's lines or removes one line."""
    basket = Basket(request.session, request.user)
    if request.method == "POST":
        center_id = request.POST.get("center", "")
        if parse_id(center_id) is None or int(center_id) not in basket.center_ids():
            messages.error(request, _("That part of the basket is already empty."))
            return _render_basket(request, basket, status=400)
        items = basket.items(int(center_id))
        remove = request.POST.get("remove", "")
        try:
            if remove:
                basket.put(int(center_id), parse_id(remove) or 0, 0)
                messages.success(request, _("Removed from your basket."))
            else:
                wanted = {
                    product_id: parse_quantity(request.POST.get(f"qty-{product_id}", q), allow_zero=True)
                    for product_id, q in items.items()
                }
                for product_id, quantity in wanted.items():
                    basket.put(int(center_id), product_id, quantity)
                messages.success(request, _("Basket updated."))
        except DomainError as error:
            messages.error(request, error.message)
            return _render_basket(request, basket, status=error.status)
        return redirect("shop:basket")
    return _render_basket(request, basket)


def _hours(center: Center) -> list[tuple[str, Any, Any]]:
    return [(WEEKDAYS[h.weekday], h.opens, h.closes) for h in center.hours.all()]


def _checkout_once(request: HttpRequest, center: Center, key: str) -> tuple[str, str | None]:
    """The idempotency scope and key of a checkout form: the form's random key within this browser session."""
    session = request.session.session_key
    if not session or not re.fullmatch(r"[0-9a-f]{32}", key or ""):
        return f"shop-checkout:{center.pk}", None
    return f"shop-checkout:{center.pk}:{session}", key


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, slug: str) -> HttpResponse:
    """Contact details and pick-up or delivery; placing the order holds the goods at the center.

    A double submission of the same form (its hidden key) leads to the order placed the first time.
    """
    center = _public_center(slug)
    basket = Basket(request.session, request.user)
    groups = _groups(basket, [center.pk])
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            order_data = services.Checkout(
                center=center,
                lines=basket.lines(center.pk),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                fulfilment=data["fulfilment"],
                payment_timing=data["payment_timing"] or PaymentTiming.ADVANCE,
                address=data["address"],
                commune=data["commune"],
                note=data["note"],
                client_ip=client_address(request),
            )

            def work() -> tuple[int, dict[str, str]]:
                order = services.order_place(actor=request.user, data=order_data)
                return 201, {"token": str(order.token)}

            try:
                _status, answer = run_once(*_checkout_once(request, center, data["key"]), {}, work)
            except DomainError as error:
                status = error.status
                messages.error(request, error.message)
                for message in form.add_domain_error(error):
                    messages.error(request, message)
            else:
                basket.clear(center.pk)
                return redirect("shop:order", token=answer["token"])
        else:
            messages.error(request, _("Some details are missing or wrong."))
    else:
        if not groups:
            messages.info(request, _("Your basket at this center is empty."))
            return redirect("shop:basket")
        user = request.user
        initial: dict[str, Any] = {"key": uuid.uuid4().hex}
        if permissions.is_authenticated(user):
            initial.update(name=user.full_name, email=user.email or "", phone=user.phone or "")
        form = CheckoutForm(initial=initial)
        status = 200
    return render(
        request,
        "sales/shop/checkout.html",
        {
            "center": center,
            "group": groups[0] if groups else None,
            "form": form,
            "hours": _hours(center),
            "pickup": Fulfilment.PICKUP,
            "delivery": Fulfilment.DELIVERY,
            "pickup_hours": services.pickup_hold_hours(),
        },
        status=status,
    )


def _order_by_token(token: uuid.UUID) -> Order:
    order = Order.objects.select_related("center", "commune", "customer").filter(token=token).first()
    if order is None:
        raise Http404
    return order


def _transfer(order: Order) -> dict[str, Any] | None:
    """The VietQR code and its details for paying an order still awaiting payment."""
    account = BankAccount.objects.filter(center_id=order.center_id, active=True).first()
    if order.status != OrderStatus.AWAITING_PAYMENT or account is None or order.total <= 0:
        return None
    try:
        text = vietqr.payload(
            bank_bin=account.bank_bin,
            account=account.account_number,
            amount=order.total,
            message=order.number,
        )
    except ValueError:  # an account stored in a shape banks do not accept: no code rather than an error
        return None
    return {
        "account": account,
        "payload": text,
        "svg": vietqr.svg(text),
        "message": vietqr.fold_message(order.number),
    }


@require_GET
def order_page(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The customer's page of an order, reachable by its secret token (the e-mailed link)."""
    order = _order_by_token(token)
    return render(
        request,
        "sales/shop/order.html",
        {
            "order": order,
            "lines": list(order.lines.select_related("product")),
            "events": list(order.events.select_related("actor").order_by("at", "pk")),
            "transfer": _transfer(order),
            "hold_over": order.status == OrderStatus.AWAITING_PAYMENT and order.hold_until < timezone.now(),
            "can_cancel": order.status in UNPAID_STATUSES,
            "hours": _hours(order.center) if order.fulfilment == Fulfilment.PICKUP else [],
            "statuses": OrderStatus,
        },
    )


@require_POST
def order_cancel(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The customer calls off an unpaid order; the goods go back on the shelf."""
    order = _order_by_token(token)
    try:
        services.order_cancel(actor=request.user, order=order, reason=_("Cancelled by the customer."))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your order is cancelled."))
    return redirect("shop:order", token=order.token)


@login_required
@require_GET
def my_orders(request: HttpRequest) -> HttpResponse:
    """The logged-in customer's own orders, newest first."""
    assert isinstance(request.user, User), "login_required lets only a signed-in user through"
    qs = Order.objects.filter(customer=request.user).select_related("center").order_by("-created_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sales/shop/my_orders.html", {"page": page, "orders": list(page.object_list)})


def _staff_center(request: HttpRequest, slug: str) -> Center:
    center = Center.objects.filter(slug=slug).first()
    if center is None or not permissions.can_sell_at(request.user, center):
        raise Http404
    return center


@login_required
@require_GET
def center_orders(request: HttpRequest, slug: str) -> HttpResponse:
    """A center's online orders for its staff, filtered by status, newest first."""
    center = _staff_center(request, slug)
    filters = StatusFilter(request.GET, choices=list(OrderStatus.choices))
    qs = Order.objects.filter(center=center).order_by("-created_at", "-pk")
    status = filters.cleaned_data.get("status") if filters.is_valid() else ""
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sales/shop/center_orders.html",
        {
            "center": center,
            "filters": filters,
            "status": status,
            "query_string": f"status={status}" if status else "",
            "page": page,
            "orders": list(page.object_list),
            "now": timezone.now(),
            "new_count": new_order_count(center.pk),
        },
    )


def _staff_order(request: HttpRequest, slug: str, number: str) -> Order:
    center = _staff_center(request, slug)
    order = Order.objects.select_related("center", "commune", "customer").filter(center=center, number=number)
    found = order.first()
    if found is None:
        raise Http404
    return found


def _actions(order: Order) -> list[str]:
    """The moves the pipeline allows from the order's status, for its kind of fulfilment."""
    allowed = list(ORDER_TRANSITIONS.get(order.status, ()))
    if order.fulfilment == Fulfilment.PICKUP:
        allowed = [a for a in allowed if a != OrderStatus.SHIPPED]
    else:
        allowed = [a for a in allowed if a != OrderStatus.READY]
    return allowed


def _render_center_order(
    request: HttpRequest,
    order: Order,
    *,
    pay_form: PayForm | None = None,
    reason_form: ReasonForm | None = None,
    collect_form: CollectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "sales/shop/center_order.html",
        {
            "order": order,
            "center": order.center,
            "lines": list(order.lines.select_related("product", "stock__lot")),
            "events": list(order.events.select_related("actor").order_by("at", "pk")),
            "payments": list(order.payments.all()),
            "actions": _actions(order),
            "pay_form": pay_form or PayForm(),
            "collect_form": collect_form or CollectForm(),
            "reason_form": reason_form or ReasonForm(),
            "statuses": OrderStatus,
            "hold_over": order.status in UNPAID_STATUSES and order.hold_until < timezone.now(),
        },
        status=status,
    )


@login_required
@require_GET
def center_order(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    return _render_center_order(request, _staff_order(request, slug, number))


@login_required
@require_POST
def center_order_act(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    """One move of the pipeline: payment received, ready, shipped, completed, cancelled or refunded."""
    order = _staff_order(request, slug, number)
    action = request.POST.get("action", "")
    pay_form = PayForm(request.POST if action == OrderStatus.PAID else None)
    reason_form = ReasonForm(
        request.POST if action in (OrderStatus.CANCELLED, OrderStatus.REFUNDED) else None
    )
    collecting = action == OrderStatus.COMPLETED and order.payment_timing == PaymentTiming.AT_PICKUP
    collect_form = CollectForm(request.POST if collecting else None)
    try:
        if action not in _actions(order):
            raise DomainError(
                _("That step is not possible for an order that is “%(state)s”.")
                % {"state": order.get_status_display()},
            )
        if action == OrderStatus.PAID:
            if not pay_form.is_valid():
                raise DomainError(_("Choose how the order was paid."))
            services.order_pay(
                actor=request.user,
                order=order,
                method=pay_form.cleaned_data["method"],
                reference=pay_form.cleaned_data["reference"],
            )
        elif action in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
            reason = reason_form.cleaned_data["reason"] if reason_form.is_valid() else ""
            if not reason.strip():
                reason_form.add_error("reason", _("Required."))
                raise DomainError(_("Say why."), fields={"reason": _("Required.")})
            service = services.order_cancel if action == OrderStatus.CANCELLED else services.order_refund
            service(actor=request.user, order=order, reason=reason)
        elif collecting:
            if not collect_form.is_valid():
                raise DomainError(_("Choose cash or card."), fields={"method": _("Required.")})
            services.order_collect(
                actor=request.user, order=order, method=collect_form.cleaned_data["method"]
            )
        else:
            services.order_move(actor=request.user, order=order, to_state=action)
    except DomainError as error:
        messages.error(request, error.message)
        order.refresh_from_db()
        if collecting and error.fields.get("method") and collect_form.is_bound and collect_form.is_valid():
            collect_form.add_error("method", error.fields["method"])
        return _render_center_order(
            request,
            order,
            pay_form=pay_form,
            reason_form=reason_form,
            collect_form=collect_form,
            status=error.status,
        )
    messages.success(
        request,
        _("Order %(number)s is now “%(state)s”.")
        % {"number": order.number, "state": OrderStatus(action).label},
    )
    return redirect("shop:center_order", slug=slug, number=number)
