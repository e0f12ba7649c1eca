"""Stock, ledger and consignment-agreement pages of a center, and a producer's goods at every center.

Each view parses, checks the permission predicate, calls one service and renders. A center the user
may not see is 404; an action the user may not take on a center they can see is 403. Refused input
re-renders the page with the message and the field it concerns, with a 4xx status and nothing written.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.catalogue import selectors as catalogue
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, parse_id, problem_from_error, problem_from_form
from ocophub.common.text import search_terms

from . import selectors, services
from .forms import (
    AdjustForm,
    LedgerFilterForm,
    ReceiveForm,
    ReturnForm,
    TransferForm,
    receivable_products,
)
from .models import Movement, Stock
from .references import describe_references

PAGE_SIZE = 50
SOON_DAYS = 30  # a lot expiring within this many days is flagged "expires soon"


@dataclass
class StockFilters:
    q: str = ""
    producer: int | None = None
    empty: bool = False

    @classmethod
    def parse(cls, params: QueryDict) -> "StockFilters":
        return cls(
            q=(params.get("q") or "").strip()[:100],
            producer=parse_id(params.get("producer")),
            empty=params.get("empty") == "1",
        )


def percent(rate: Decimal) -> str:
    """A rate as the percentage people read: 0.2000 → "20%", 0.1250 → "12,5%" in Vietnamese."""
    text = format((rate * 100).normalize(), "f")
    if (get_language() or "vi").startswith("vi"):
        text = text.replace(".", ",")
    return f"{text}%"


def center_or_404(request: HttpRequest, slug: str) -> Center:
    center = Center.objects.filter(slug=slug).first()
    if center is None or not permissions.can_view_center_stock(request.user, center):
        raise Http404
    return center


def _stock_row_or_404(center: Center, stock_id: int) -> Stock:
    stock = Stock.objects.filter(pk=stock_id, center=center).select_related("lot", "product").first()
    if stock is None:
        raise Http404
    return stock


def _back(request: HttpRequest) -> QueryDict:
    """The list's query string, carried through a form so that the page comes back as it was."""
    return QueryDict((request.POST.get("back") or "")[:500])


def _to_center(center: Center, back: QueryDict) -> HttpResponseRedirect:
    url = reverse("inventory:center", args=[center.slug])
    query = back.urlencode()
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


# --- the centers a user may see ---------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The centers whose stock the user sees; straight to the center when there is just one."""
    centers = list(selectors.stock_centers(request.user).order_by("name"))
    producer_ids = permissions.scope_ids(request.user, Role.PRODUCER_MEMBER)
    producers = (
        list(Producer.objects.filter(pk__in=producer_ids).order_by("folded_name")) if producer_ids else []
    )
    if not centers and not producers:
        raise Http404
    if len(centers) == 1 and not producers:
        return redirect("inventory:center", centers[0].slug)
    sums: dict[int, Any] = {
        row["center_id"]: row
        for row in Stock.objects.filter(center__in=[c.pk for c in centers], on_hand__gt=0)
        .values("center_id")
        .annotate(units=Sum("on_hand"), value=Sum(F("on_hand") * F("product__list_price")))
    }
    rows = [(c, sums.get(c.pk, {}).get("units") or 0, sums.get(c.pk, {}).get("value") or 0) for c in centers]
    return render(request, "inventory/home.html", {"centers": rows, "producers": producers})


# --- a center's stock ----------------------------------------------------------------------------------


def _stock_query(center: Center, filters: StockFilters) -> QuerySet[Stock]:
    qs = Stock.objects.filter(center=center)
    for term in search_terms(filters.q):
        qs = qs.filter(
            Q(product__folded_name__contains=term)
            | Q(producer__folded_name__contains=term)
            | Q(lot__code__icontains=term)
            | Q(product__gtin=term)
        )
    if filters.producer:
        qs = qs.filter(producer_id=filters.producer)
    return selectors.stock_list(qs, with_empty=filters.empty)


def _center_page(
    request: HttpRequest,
    center: Center,
    *,
    params: QueryDict | None = None,
    status: int = 200,
    receive_form: ReceiveForm | None = None,
    problem: Problem | None = None,
    failed: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    params = request.GET if params is None else params
    filters = StockFilters.parse(params)
    qs = _stock_query(center, filters)
    sums = qs.aggregate(
        units=Sum("on_hand"), held=Sum("reserved"), worth=Sum(F("on_hand") * F("product__list_price"))
    )
    on_hand, reserved = sums["units"] or 0, sums["held"] or 0
    page = Paginator(
        qs.select_related("lot", "product", "producer").annotate(
            value=F("on_hand") * F("product__list_price")
        ),
        PAGE_SIZE,
    ).get_page(params.get("page"))
    can_receive = permissions.can_sell_at(user, center)
    can_manage = permissions.can_manage_center_operations(user, center)
    if can_receive and receive_form is None:
        receive_form = ReceiveForm(
            products=receivable_products(selectors.active_agreements_of(center).values("producer_id"))
        )
    query = params.copy()
    query.pop("page", None)
    today = local_today()
    return render(
        request,
        "inventory/center.html",
        {
            "center": center,
            "page": page,
            "filters": filters,
            "query_string": query.urlencode(),
            "back": params.urlencode(),
            "totals": {
                "on_hand": on_hand,
                "reserved": reserved,
                "available": on_hand - reserved,
                "value": sums["worth"] or 0,
            },
            "producers": Producer.objects.filter(stock__center=center).distinct().order_by("folded_name"),
            "today": today,
            "soon": today + dt.timedelta(days=SOON_DAYS),
            "can_receive": can_receive,
            "can_manage": can_manage,
            "can_manage_agreements": permissions.can_manage_agreements(user, center),
            "receive_form": receive_form,
            "product_matches": receive_form.product_matches() if receive_form is not None else [],
            "product_limit": catalogue.PRODUCT_MATCHES,
            "other_centers": list(Center.objects.exclude(pk=center.pk).order_by("name"))
            if can_manage
            else [],
            "problem": problem,
            "failed": failed or {},
        },
        status=status,
    )


@login_required
@require_GET
def center_stock(request: HttpRequest, slug: str) -> HttpResponse:
    return _center_page(request, center_or_404(request, slug))


@login_required
@require_POST
def receive(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff and managers take in goods from a producer with an active agreement at the center."""
    center = center_or_404(request, slug)
    if not permissions.can_sell_at(request.user, center):
        raise PermissionDenied
    back = _back(request)
    form = ReceiveForm(
        request.POST,
        products=receivable_products(selectors.active_agreements_of(center).values("producer_id")),
    )
    if request.POST.get("find"):  # without scripts, "Find" shows the matches and keeps what was typed
        form.is_valid()
        form.errors.pop("product", None)
        return _center_page(request, center, params=back, receive_form=form)
    if not form.is_valid():
        return _center_page(
            request, center, params=back, status=400, receive_form=form, problem=problem_from_form(form)
        )
    data = form.cleaned_data
    try:
        stock = services.stock_receive(
            actor=request.user,
            center=center,
            product=data["product"],
            quantity=data["quantity"],
            lot_code=data["lot_code"],
            produced_on=data["produced_on"],
            expires_on=data["expires_on"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _center_page(
            request, center, params=back, status=error.status, receive_form=form, problem=problem
        )
    messages.success(
        request,
        _("Received %(quantity)s × %(item)s.") % {"quantity": data["quantity"], "item": stock.lot},
    )
    return _to_center(center, back)


@login_required
@require_GET
def receive_products(request: HttpRequest, slug: str) -> HttpResponse:
    """The receivable products matching what the staff typed, as choices for the receive form (htmx)."""
    center = center_or_404(request, slug)
    if not permissions.can_sell_at(request.user, center):
        raise PermissionDenied
    query = request.GET.get("product_query", "")[:100]
    among = receivable_products(selectors.active_agreements_of(center).values("producer_id"))
    return render(
        request,
        "inventory/_product_choices.html",
        {
            "matches": catalogue.products_matching(query, among=among),
            "query": query,
            "chosen": "",
            "limit": catalogue.PRODUCT_MATCHES,
        },
    )


def _row_action(
    request: HttpRequest, slug: str, stock_id: int, action: str, form_class: type[forms.Form]
) -> tuple[Center, Stock, forms.Form, HttpResponse | None]:
    """Common checks of a manager's action on one stock row; a response when the form is refused."""
    center = center_or_404(request, slug)
    if not permissions.can_manage_center_operations(request.user, center):
        raise PermissionDenied
    stock = _stock_row_or_404(center, stock_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return center, stock, form, _refused(request, center, stock, action, problem_from_form(form), 400)
    return center, stock, form, None


def _refused(
    request: HttpRequest, center: Center, stock: Stock, action: str, problem: Problem, status: int
) -> HttpResponse:
    problem.message = f"{stock.lot}: {problem.message}"
    failed = {"stock": stock.pk, "action": action, "values": request.POST}
    return _center_page(request, center, params=_back(request), status=status, problem=problem, failed=failed)


@login_required
@require_POST
def adjust(request: HttpRequest, slug: str, stock_id: int) -> HttpResponse:
    """Managers correct a count (breakage, loss, recount) with a signed change and a reason."""
    center, stock, form, refused = _row_action(request, slug, stock_id, "adjust", AdjustForm)
    if refused:
        return refused
    delta = form.cleaned_data["delta"]
    try:
        services.stock_adjust(
            actor=request.user, stock=stock, delta=delta, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        problem = problem_from_error(error, form, {"quantity": "delta"})
        return _refused(request, center, stock, "adjust", problem, error.status)
    messages.success(
        request, _("Stock of %(item)s adjusted by %(delta)s.") % {"item": stock.lot, "delta": f"{delta:+d}"}
    )
    return _to_center(center, _back(request))


@login_required
@require_POST
def transfer(request: HttpRequest, slug: str, stock_id: int) -> HttpResponse:
    """Managers send goods of one lot to another center that has an agreement with the producer."""
    center, stock, form, refused = _row_action(request, slug, stock_id, "transfer", TransferForm)
    if refused:
        return refused
    data = form.cleaned_data
    try:
        services.stock_transfer(
            actor=request.user,
            stock=stock,
            to_center=data["to_center"],
            quantity=data["quantity"],
            reason=data["reason"],
        )
    except DomainError as error:
        # the producer's missing agreement is the target center's
        problem = problem_from_error(error, form, {"product": "to_center"})
        return _refused(request, center, stock, "transfer", problem, error.status)
    messages.success(
        request,
        _("%(quantity)s × %(item)s transferred to %(center)s.")
        % {"quantity": data["quantity"], "item": stock.lot, "center": data["to_center"].name},
    )
    return _to_center(center, _back(request))


@login_required
@require_POST
def return_to_producer(request: HttpRequest, slug: str, stock_id: int) -> HttpResponse:
    """Managers hand goods back to their producer."""
    center, stock, form, refused = _row_action(request, slug, stock_id, "return", ReturnForm)
    if refused:
        return refused
    data = form.cleaned_data
    try:
        services.stock_return_to_producer(
            actor=request.user, stock=stock, quantity=data["quantity"], reason=data["reason"]
        )
    except DomainError as error:
        return _refused(request, center, stock, "return", problem_from_error(error, form), error.status)
    messages.success(
        request,
        _("%(quantity)s × %(item)s returned to the producer.")
        % {"quantity": data["quantity"], "item": stock.lot},
    )
    return _to_center(center, _back(request))


# --- the ledger ----------------------------------------------------------------------------------------


@login_required
@require_GET
def ledger(request: HttpRequest, slug: str) -> HttpResponse:
    """Every movement of the center's stock, newest first."""
    center = center_or_404(request, slug)
    products = list(
        Product.objects.filter(stock__center=center)
        .distinct()
        .order_by("folded_name")
        .values_list("pk", "name")
    )
    form = LedgerFilterForm(request.GET, products=products)
    qs = Movement.objects.filter(stock__center=center)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["product"]:
            qs = qs.filter(stock__product_id=form.cleaned_data["product"])
    qs = qs.select_related("stock__lot", "stock__product", "actor").order_by("-at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    links = describe_references(request.user, center, [m.reference for m in page])
    rows = [(movement, links.get(movement.reference)) for movement in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inventory/ledger.html",
        {"center": center, "page": page, "rows": rows, "form": form, "query_string": query.urlencode()},
    )
