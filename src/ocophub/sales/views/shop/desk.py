"""The centers' order desk: a center's online orders and the moves of their pipeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import permissions
from ocophub.centers.models import Center
from ocophub.common.errors import DomainError

from ... import services
from ...forms_shop import CollectForm, PayForm, ReasonForm, StatusFilter
from ...models import ORDER_TRANSITIONS, UNPAID_STATUSES, Fulfilment, Order, OrderStatus, PaymentTiming
from ...selectors import new_order_count
from .checkout import PAGE_SIZE


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
