"""Checkout at one center, and the pages where the customer follows an order."""

import re
import uuid
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
from ocophub.centers.models import Center
from ocophub.common.errors import DomainError
from ocophub.common.idempotency import run_once
from ocophub.common.ratelimit import client_address

from ... import services, vietqr
from ...forms_shop import Basket, CheckoutForm
from ...models import UNPAID_STATUSES, BankAccount, Fulfilment, Order, OrderStatus, PaymentTiming
from .basket import basket_groups, public_center

PAGE_SIZE = 25


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
    center = public_center(slug)
    basket = Basket(request.session, request.user)
    groups = basket_groups(basket, [center.pk])
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            order_data = services.Checkout(
                center_id=center.pk,
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
