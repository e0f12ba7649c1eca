"""The counter (POS) pages for center staff: shifts, the selling screen, receipts, returns.

Only people who sell at a center (its staff and managers) see its counter; for everyone else the center's
counter pages do not exist (404). A shift is seen and closed by its cashier and the center's managers.
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from ocophub.accounts import permissions
from ocophub.centers.models import Center
from ocophub.common.errors import DomainError
from ocophub.common.forms import parse_id

from .. import selectors, services, vietqr
from ..models import BankAccount, PaymentMethod, Sale, Shift
from .pos_basket import (
    Basket,
    basket_clear,
    basket_load,
    basket_rows,
    basket_save,
    product_by_code,
    published_product,
    search,
)

RECENT_SHIFTS = 20
SHIFT_SALES = 100
Page = Callable[..., HttpResponse]


def at_center(view: Page) -> Page:
    """Log in first; then the center must be one where the user sells, else it does not exist here."""

    @wraps(view)
    def wrapper(request: HttpRequest, center_slug: str, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        center = Center.objects.filter(slug=center_slug).first()
        if center is None or not permissions.can_sell_at(request.user, center):
            raise Http404
        return view(request, center, **kwargs)

    return wrapper


def parse_dong(raw: str | None, field: str) -> int | None:
    """A whole number of đồng as typed: "200000", "200.000" and "200 000 ₫" all read 200000."""
    text = "".join((raw or "").split())
    for mark in (".", ",", "₫", "đ", "VND", "vnd"):
        text = text.replace(mark, "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 13:
        raise DomainError(
            _("Enter an amount in đồng, digits only."), fields={field: _("Digits only, e.g. 500000.")}
        )
    return int(text)


def reference_of(client_uuid: uuid.UUID) -> str:
    return Basket(client_uuid=client_uuid).reference


def center_bank_account(center: Center) -> BankAccount | None:
    try:
        account = center.bank_account
    except ObjectDoesNotExist:
        return None
    return account if account.active else None


def error_status(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 else 400


# --- the counter's entry -------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The centers where the user sells; straight to the till when there is only one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    centers = list(
        Center.objects.filter(pk__in=selectors.selling_center_ids(request.user)).order_by("folded_name")
    )
    if not centers:
        raise Http404
    if len(centers) == 1:
        return redirect("pos:till", center_slug=centers[0].slug)
    open_shifts = dict(
        Shift.objects.filter(opened_by=request.user, closed_at__isnull=True, center__in=centers).values_list(
            "center_id", "opened_at"
        )
    )
    rows = [(center, open_shifts.get(center.pk)) for center in centers]
    return render(request, "sales/pos/home.html", {"rows": rows})


# --- the till --------------------------------------------------------------------------------------


def _open_form(request: HttpRequest, center: Center, *, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("opening_float", "")
    context.setdefault("quick_floats", (0, 500_000, 1_000_000, 2_000_000))
    return render(request, "sales/pos/open_shift.html", {"center": center, **context}, status=status)


def _till_context(
    request: HttpRequest,
    center: Center,
    shift: Shift,
    *,
    error: DomainError | None = None,
    flash: str = "",
    flash_error: bool = False,
    payment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    basket = basket_load(request, center)
    already_sold = None
    if basket.client_uuid is not None:
        already_sold = Sale.objects.filter(client_uuid=basket.client_uuid, center=center).first()
        if already_sold is not None:
            # the basket was paid but its answer never came back: the receipt is there, start afresh
            basket_clear(request, center)
            basket = Basket()
    rows = basket_rows(center, basket)
    total = sum(row.amount for row in rows)
    bank = center_bank_account(center)
    qr = ""
    if bank is not None and total > 0 and basket.client_uuid is not None:
        try:
            qr = vietqr.svg(
                vietqr.payload(
                    bank_bin=bank.bank_bin,
                    account=bank.account_number,
                    amount=total,
                    message=basket.reference,
                )
            )
        except ValueError:
            qr = ""
    payment = {"method": PaymentMethod.CASH.value, "tendered": "", "reference": "", **(payment or {})}
    tendered = payment.get("tendered_amount")
    return {
        "center": center,
        "shift": shift,
        "basket": basket,
        "rows": rows,
        "total": total,
        "already_sold": already_sold,
        "bank": bank,
        "qr": qr,
        "payment": payment,
        "change": tendered - total if isinstance(tendered, int) and tendered >= total else None,
        "error": error,
        "flash": flash,
        "flash_error": flash_error,
        "quick_cash": _quick_cash(total),
    }


def _quick_cash(total: int) -> list[int]:
    """The notes a customer is likely to hand over: the total rounded up to 50k, 100k, 200k and 500k."""
    if total <= 0:
        return []
    amounts = sorted({-(-total // step) * step for step in (50_000, 100_000, 200_000, 500_000)} - {total})
    return amounts[:3]


def _till(
    request: HttpRequest, center: Center, shift: Shift, *, status: int = 200, **kwargs: Any
) -> HttpResponse:
    context = _till_context(request, center, shift, **kwargs)
    query = request.GET.get("q", "")[:100]
    context.update(
        query=query,
        results=search(center, query),
        recent=list(Sale.objects.filter(shift=shift).order_by("-created_at", "-pk")[:5]),
    )
    return render(request, "sales/pos/till.html", context, status=status)


@require_GET
@at_center
def till(request: HttpRequest, center: Center) -> HttpResponse:
    """The selling screen in the cashier's open shift, or the form that opens one."""
    shift = services.open_shift_of(request.user, center)
    if shift is None:
        return _open_form(request, center)
    return _till(request, center, shift)


@require_POST
@at_center
def shift_open(request: HttpRequest, center: Center) -> HttpResponse:
    raw = request.POST.get("opening_float", "")
    try:
        opening_float = parse_dong(raw, "opening_float")
        if opening_float is None:
            raise DomainError(
                _("Enter the cash in the drawer, 0 if there is none."),
                fields={"opening_float": _("Required.")},
            )
        services.shift_open(actor=request.user, center=center, opening_float=opening_float)
    except DomainError as error:
        if services.open_shift_of(request.user, center) is not None:
            # a second tap on "open shift": the shift the first one opened is there
            return redirect("pos:till", center_slug=center.slug)
        return _open_form(request, center, status=error_status(error), error=error, opening_float=raw)
    return redirect("pos:till", center_slug=center.slug)


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


@require_GET
@at_center
def product_search(request: HttpRequest, center: Center) -> HttpResponse:
    """The search results alone, for the till's search box."""
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "sales/pos/_results.html",
        {"center": center, "query": query, "results": search(center, query)},
    )


@require_POST
@at_center
def basket(request: HtmxHttpRequest, center: Center) -> HttpResponse:
    """Change the basket: scan a barcode, add a found product, one more or less, remove, empty.

    Answers htmx with the basket panel; a plain form post goes back to the till.
    """
    shift = services.open_shift_of(request.user, center)
    if shift is None:
        response: HttpResponse = redirect("pos:till", center_slug=center.slug)
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("pos:till", kwargs={"center_slug": center.slug})
        return response
    current = basket_load(request, center)
    action = request.POST.get("action", "")
    flash, status = "", 200
    try:
        product_id = int(request.POST.get("product", "0") or 0)
    except ValueError:
        product_id = 0
    if action == "scan":
        code = request.POST.get("code", "").strip()[:40]
        product = product_by_code(code)
        if product is None:
            status = 422
            flash = (
                _("No product on sale has the barcode “%(code)s”.") % {"code": code}
                if code
                else _("Scan or type a barcode.")
            )
        else:
            current.add(product.pk)
            flash = _("Added: %(name)s") % {"name": product.name}
    elif action == "add":
        product = published_product(product_id)
        if product is None:
            status, flash = 422, _("This product is not on sale.")
        else:
            current.add(product.pk)
            flash = _("Added: %(name)s") % {"name": product.name}
    elif action == "increase":
        current.increase(product_id)
    elif action == "decrease":
        current.decrease(product_id)
    elif action == "remove":
        current.remove(product_id)
    elif action == "clear":
        current = Basket()
    else:
        status, flash = 400, _("Unknown action.")
    basket_save(request, center, current)
    if request.htmx:
        context = _till_context(request, center, shift, flash=flash, flash_error=status != 200)
        return render(request, "sales/pos/_basket_htmx.html", context, status=status)
    if status != 200:
        return _till(request, center, shift, status=status, flash=flash, flash_error=True)
    return redirect("pos:till", center_slug=center.slug)


def _posted_lines(values: list[str]) -> list[services.LineIn]:
    lines = []
    for value in values:
        product_id, _sep, quantity = value.partition(":")
        readable = quantity.isascii() and quantity.isdecimal() and len(quantity) <= 7
        if parse_id(product_id) is None or not readable:
            raise DomainError(
                _("The basket was not sent whole; try again."), fields={"lines": _("Unreadable.")}
            )
        lines.append(services.LineIn(int(product_id), int(quantity)))
    return lines


@require_POST
@at_center
def pay(request: HttpRequest, center: Center) -> HttpResponse:
    """Take the payment and book the sale; the same basket id sent again finds the same sale."""
    shift = services.open_shift_of(request.user, center)
    if shift is None:
        messages.error(request, _("Open a shift before selling."))
        return redirect("pos:till", center_slug=center.slug)
    method = request.POST.get("method", "")
    payment: dict[str, Any] = {
        "method": method,
        "tendered": request.POST.get("tendered", "")[:30],
        "reference": request.POST.get("reference", "")[:100],
    }
    try:
        try:
            client_uuid = uuid.UUID(request.POST.get("client_uuid", ""))
        except ValueError as error:
            raise DomainError(
                _("The basket was not sent whole; try again."), fields={"client_uuid": _("Unreadable.")}
            ) from error
        lines = _posted_lines(request.POST.getlist("line"))
        if method == PaymentMethod.TRANSFER and center_bank_account(center) is None:
            raise DomainError(
                _("Bank transfers are not set up for this center."), fields={"method": _("Not set up.")}
            )
        tendered = parse_dong(payment["tendered"], "tendered") if method == PaymentMethod.CASH else None
        payment["tendered_amount"] = tendered
        reference = ""
        if method == PaymentMethod.TRANSFER:
            reference = reference_of(client_uuid)
        elif method == PaymentMethod.CARD:
            reference = payment["reference"]
        sale, created = services.sale_create(
            actor=request.user,
            center=center,
            client_uuid=client_uuid,
            lines=lines,
            method=method,
            tendered=tendered,
            reference=reference,
        )
    except DomainError as error:
        return _till(request, center, shift, status=error_status(error), error=error, payment=payment)
    current = basket_load(request, center)
    if current.client_uuid == client_uuid:
        basket_clear(request, center)
    if not created:
        messages.info(request, _("This sale was already recorded; here is its receipt."))
    return redirect("pos:receipt", center_slug=center.slug, number=sale.number)
