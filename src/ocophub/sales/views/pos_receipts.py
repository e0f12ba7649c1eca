"""The counter's receipts, returns against them, and shifts (summary and closing).

A receipt or shift the user may not see is 404, as for the rest of the counter (see `pos.py`).
"""

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ocophub.accounts import permissions
from ocophub.centers.models import Center
from ocophub.common.errors import DomainError
from ocophub.common.idempotency import run_once
from ocophub.common.money import format_vnd

from .. import services
from ..models import REFUND_APPROVAL_MINUTES, PaymentState, Refund, Sale, Shift
from ..selectors import shift_summary
from ..services.counter import refundable, returned_quantities
from .pos import RECENT_SHIFTS, SHIFT_SALES, at_center, center_bank_account, error_status, parse_dong

# --- receipts and returns ------------------------------------------------------------------------


def _sale(center: Center, number: str) -> Sale:
    sale = Sale.objects.filter(center=center, number=number).select_related("seller", "shift").first()
    if sale is None:
        raise Http404
    return sale


def _receipt_lines(sale: Sale) -> list[dict[str, Any]]:
    """One line per product and price: a product sold from two lots is one line for the customer."""
    merged: dict[tuple[int, int], dict[str, Any]] = {}
    for line in sale.lines.select_related("product"):
        row = merged.setdefault(
            (line.product_id, line.unit_price),
            {"product": line.product, "unit_price": line.unit_price, "quantity": 0, "amount": 0},
        )
        row["quantity"] += line.quantity
        row["amount"] += line.amount
    return list(merged.values())


@require_GET
@at_center
def receipt(request: HttpRequest, center: Center, number: str) -> HttpResponse:
    sale = _sale(center, number)
    payments = list(sale.payments.filter(state=PaymentState.SUCCEEDED))
    returns = list(sale.returns.select_related("actor").prefetch_related("lines__sale_line__product"))
    refunds = list(
        Refund.objects.filter(payment__sale=sale, state=PaymentState.SUCCEEDED)
        .select_related("payment", "ret", "approved_by")
        .order_by("created_at", "pk")
    )
    refunded = sum(refund.amount for refund in refunds)
    left = sum(payment.amount for payment in payments) - refunded
    returnable = any(
        line.quantity > sum(r.quantity for r in line.returns.all())
        for line in sale.lines.prefetch_related("returns")
    )
    return render(
        request,
        "sales/pos/receipt.html",
        {
            "center": center,
            "sale": sale,
            "lines": _receipt_lines(sale),
            "payments": payments,
            "returns": returns,
            "refunds": refunds,
            "refunded": refunded,
            "net": sale.total - refunded,
            "returnable": returnable,
            "refundable": left > 0,
            "can_approve": left > 0 and permissions.can_approve_refunds(request.user, center),
            "bank": center_bank_account(center),
        },
    )


def _returnable_lines(sale: Sale) -> list[dict[str, Any]]:
    back = returned_quantities(sale)
    return [
        {
            "line": line,
            "sold": line.quantity,
            "returned": back.get(line.pk, 0),
            "left": line.quantity - back.get(line.pk, 0),
        }
        for line in sale.lines.select_related("product", "stock__lot")
    ]


@require_http_methods(["GET", "POST"])
@at_center
def sale_return(request: HttpRequest, center: Center, number: str) -> HttpResponse:
    """Goods back against a receipt: at most what was sold less what already came back; money refunded."""
    sale = _sale(center, number)
    rows = _returnable_lines(sale)
    context: dict[str, Any] = {
        "center": center,
        "sale": sale,
        "rows": rows,
        "any_left": any(row["left"] > 0 for row in rows),
        "reason": "",
        "restock": True,
        "posted": {},
        "form_key": uuid.uuid4(),
    }
    if request.method == "GET":
        return render(request, "sales/pos/return.html", context)
    reason = request.POST.get("reason", "")[:300]
    restock = request.POST.get("restock") == "on"
    posted = {row["line"].pk: request.POST.get(f"qty_{row['line'].pk}", "").strip() for row in rows}
    form_key = request.POST.get("form_key", "")[:100]
    context.update(reason=reason, restock=restock, posted=posted, form_key=form_key or uuid.uuid4())
    try:
        lines: dict[int, int] = {}
        for line_id, raw in posted.items():
            if not raw:
                continue
            if not (raw.isascii() and raw.isdigit()):
                raise DomainError(
                    _("Quantities are whole numbers."), fields={f"lines.{line_id}": _("A whole number.")}
                )
            if int(raw) > 0:
                lines[line_id] = int(raw)

        def book() -> tuple[int, dict[str, Any]]:
            ret = services.return_create(
                actor=request.user, sale=sale, lines=lines, reason=reason, restock=restock
            )
            return 201, {"number": ret.number, "amount": ret.amount}

        # the form's key makes a second tap (or a resent form) find the return the first one booked
        body = {"sale": sale.pk, "lines": sorted(lines.items()), "reason": reason, "restock": restock}
        _status, booked = run_once(f"pos-return:{request.user.pk}", form_key, body, book)
    except DomainError as error:
        context["error"] = error
        if error.code == "idempotency_key_reused":
            context["form_key"] = uuid.uuid4()
        return render(request, "sales/pos/return.html", context, status=error_status(error))
    messages.success(
        request,
        _("Return %(number)s recorded; %(amount)s refunded.")
        % {"number": booked["number"], "amount": format_vnd(booked["amount"])},
    )
    return redirect("pos:receipt", center_slug=center.slug, number=sale.number)


# --- refunds without goods ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@at_center
def sale_refund(request: HttpRequest, center: Center, number: str) -> HttpResponse:
    """Money back against a receipt with no goods coming back: a manager of the center directly, a
    cashier with the code of a manager's one-time approval for this receipt."""
    sale = _sale(center, number)
    context: dict[str, Any] = {
        "center": center,
        "sale": sale,
        "left": refundable(sale),
        "needs_code": not permissions.can_refund_without_goods(request.user, center),
        "minutes": REFUND_APPROVAL_MINUTES,
        "amount": "",
        "reason": "",
        "approval_code": "",
        "form_key": uuid.uuid4(),
    }
    if request.method == "GET":
        return render(request, "sales/pos/refund.html", context)
    raw = request.POST.get("amount", "")[:30]
    reason = request.POST.get("reason", "")[:300]
    code = request.POST.get("approval_code", "")[:20]
    form_key = request.POST.get("form_key", "")[:100]
    context.update(amount=raw, reason=reason, approval_code=code, form_key=form_key or uuid.uuid4())
    try:
        amount = parse_dong(raw, "amount")
        if amount is None:
            raise DomainError(_("Enter the amount to refund."), fields={"amount": _("Required.")})

        def book() -> tuple[int, dict[str, Any]]:
            refunds = services.refund_create(
                actor=request.user, sale=sale, amount=amount, reason=reason, approval_code=code
            )
            return 201, {"amount": sum(refund.amount for refund in refunds)}

        # the form's key makes a second tap (or a resent form) find the refund the first one booked
        body = {
            "sale": sale.pk,
            "amount": amount,
            "reason": reason,
            "code": services.approval_code_read(code),
        }
        _status, booked = run_once(f"pos-refund:{request.user.pk}", form_key, body, book)
    except DomainError as error:
        context["error"] = error
        if error.code == "idempotency_key_reused":
            context["form_key"] = uuid.uuid4()
        return render(request, "sales/pos/refund.html", context, status=error_status(error))
    messages.success(
        request, _("%(amount)s refunded without goods.") % {"amount": format_vnd(booked["amount"])}
    )
    return redirect("pos:receipt", center_slug=center.slug, number=sale.number)


@require_http_methods(["GET", "POST"])
@at_center
def refund_approve(request: HttpRequest, center: Center, number: str) -> HttpResponse:
    """A manager of the center approves one refund without goods against a receipt, up to an amount:
    the page shows a short code, once, for the cashier to type into the refund form."""
    if not permissions.can_approve_refunds(request.user, center):
        raise Http404
    sale = _sale(center, number)
    context: dict[str, Any] = {
        "center": center,
        "sale": sale,
        "left": refundable(sale),
        "minutes": REFUND_APPROVAL_MINUTES,
        "max_amount": "",
    }
    if request.method == "GET":
        return render(request, "sales/pos/refund_approve.html", context)
    raw = request.POST.get("max_amount", "")[:30]
    context["max_amount"] = raw
    try:
        max_amount = parse_dong(raw, "max_amount")
        if max_amount is None:
            raise DomainError(
                _("Enter the largest amount you approve."), fields={"max_amount": _("Required.")}
            )
        approval, code = services.refund_approval_issue(actor=request.user, sale=sale, max_amount=max_amount)
    except DomainError as error:
        context["error"] = error
        return render(request, "sales/pos/refund_approve.html", context, status=error_status(error))
    context.update(approval=approval, code=services.approval_code_show(code))
    response = render(request, "sales/pos/refund_approve.html", context)
    response["Cache-Control"] = "no-store"  # the code is shown once; the browser keeps no copy of it
    return response


# --- shifts ----------------------------------------------------------------------------------------


def _shift(request: HttpRequest, center: Center, shift_id: int) -> Shift:
    shift = (
        Shift.objects.filter(pk=shift_id, center=center)
        .select_related("center", "opened_by", "closed_by")
        .first()
    )
    if shift is None or not permissions.can_close_shift(request.user, shift):
        raise Http404
    return shift


@require_http_methods(["GET", "POST"])
@at_center
def shift_close(request: HttpRequest, center: Center, shift_id: int) -> HttpResponse:
    """Count the drawer and close: the variance is what was counted less what was expected."""
    shift = _shift(request, center, shift_id)
    if shift.closed_at is not None:
        return redirect("pos:shift", center_slug=center.slug, shift_id=shift.pk)
    context: dict[str, Any] = {
        "center": center,
        "summary": shift_summary(shift),
        "counted": "",
        "notes": "",
        "notes_max": 2000,
        "denominations": DENOMINATIONS,
    }
    if request.method == "GET":
        return render(request, "sales/pos/shift_close.html", context)
    raw = request.POST.get("counted_cash", "")[:30]
    notes = request.POST.get("notes", "")[:2000]
    context.update(counted=raw, notes=notes)
    try:
        counted = parse_dong(raw, "counted_cash")
        if counted is None:
            raise DomainError(
                _("Enter the cash counted in the drawer."), fields={"counted_cash": _("Required.")}
            )
        services.shift_close(actor=request.user, shift=shift, counted_cash=counted, notes=notes)
    except DomainError as error:
        context["error"] = error
        return render(request, "sales/pos/shift_close.html", context, status=error_status(error))
    return redirect("pos:shift", center_slug=center.slug, shift_id=shift.pk)


# Vietnamese banknotes in circulation, for the counting helper on the closing form
DENOMINATIONS = (500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000)


@require_GET
@at_center
def shift_detail(request: HttpRequest, center: Center, shift_id: int) -> HttpResponse:
    """A shift's summary and sales; the center's managers also see its recent shifts."""
    shift = _shift(request, center, shift_id)
    sales = list(
        Sale.objects.filter(shift=shift)
        .prefetch_related("payments")
        .order_by("-created_at", "-pk")[:SHIFT_SALES]
    )
    recent = None
    if permissions.can_manage_center_operations(request.user, center):
        recent = list(
            Shift.objects.filter(center=center).select_related("opened_by", "closed_by")[:RECENT_SHIFTS]
        )
    return render(
        request,
        "sales/pos/shift.html",
        {"center": center, "summary": shift_summary(shift), "sales": sales, "recent": recent},
    )
