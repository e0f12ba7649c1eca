"""The producer's side of the design studio: its requests, a new request, and its moves on a request's
page (approve, ask for changes, withdraw, the portfolio consent, a design set on a product) and the
comment thread.

Each view parses, checks a predicate of accounts.permissions, calls one design service and renders. A
producer the user is not a member of is 404; so is a request the user may see but not act on (house
rule: a refused move tells nothing). Refused input re-renders the page with the message beside the
field, a 4xx status and nothing written; an illegal move is 409.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.catalogue.models import Producer, Product, ProductStatus
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, parse_id, problem_from_error, problem_from_form
from ocophub.common.money import format_vnd
from ocophub.programme.models import Commitment

from . import selectors, services
from .forms_producer import (
    COMMITMENT_CHOICES_LIMIT,
    PRODUCT_CHOICES_LIMIT,
    ApproveForm,
    CancelForm,
    ChangesForm,
    CommentForm,
    PortfolioForm,
    RequestForm,
)
from .models import DRAWING_STATES, DesignFile, DesignRequest, FileRole
from .panels_producer import product_design_form
from .services.checks import WORKING_CENTER_STATES

PAGE_SIZE = 25


def _producer_or_404(request: HttpRequest, slug: str) -> Producer:
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None or not permissions.can_request_design(request.user, producer):
        raise Http404
    return producer


def _several(request: HttpRequest) -> bool:
    return len(permissions.scope_ids(request.user, Role.PRODUCER_MEMBER)) > 1


# --- the producer's requests ----------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The menu's link: straight to the producer's requests, or a choice when the user has several."""
    ids = permissions.scope_ids(request.user, Role.PRODUCER_MEMBER)
    producers = list(Producer.objects.filter(pk__in=ids).order_by("folded_name", "pk")) if ids else []
    if not producers:
        raise Http404
    if len(producers) == 1:
        return redirect("design_producer:list", producers[0].slug)
    return render(request, "design/producer_choose.html", {"producers": producers})


@login_required
@require_GET
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The producer's requests, newest first, with each one's state, due date and overdue flag."""
    producer = _producer_or_404(request, slug)
    rows = (
        DesignRequest.objects.filter(producer=producer)
        .select_related("center")
        .only("number", "title", "kind", "state", "due_on", "submitted_at", "center__name", "center__slug")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_today()
    for row in page:
        row.overdue = row.is_overdue(today)  # type: ignore[attr-defined]
    return render(
        request,
        "design/producer_list.html",
        {"producer": producer, "current": "design", "several": _several(request), "page": page},
    )


# --- a new request --------------------------------------------------------------------------------


def _working_centers() -> list[tuple[int, str]]:
    return list(
        Center.objects.filter(status__in=WORKING_CENTER_STATES)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def _product_choices(producer: Producer) -> tuple[list[tuple[int, str]], bool]:
    """The producer's products that are not archived, by name, at most PRODUCT_CHOICES_LIMIT; and
    whether there are more."""
    rows = list(
        Product.objects.filter(producer=producer)
        .exclude(status=ProductStatus.ARCHIVED)
        .order_by("folded_name", "pk")
        .values_list("pk", "name")[: PRODUCT_CHOICES_LIMIT + 1]
    )
    return rows[:PRODUCT_CHOICES_LIMIT], len(rows) > PRODUCT_CHOICES_LIMIT


def commitment_choices(center_id: int | None) -> list[tuple[int, str]]:
    """A center's newest funding commitments, each with what is left of it for design subsidies
    (two queries, whatever the number of requests drawing on them)."""
    if center_id is None:
        return []
    commitments = list(
        Commitment.objects.filter(center_id=center_id).order_by("-committed_on", "-pk")[
            :COMMITMENT_CHOICES_LIMIT
        ]
    )
    used: dict[int, int] = {}
    drawing = DesignRequest.objects.filter(
        commitment__in=[row.pk for row in commitments], state__in=DRAWING_STATES
    ).values_list("commitment_id", "budget", "price", "subsidy_percent")
    for commitment_id, budget, price, percent in drawing:
        cost = price if price is not None else budget
        used[commitment_id] = used.get(commitment_id, 0) + cost * percent // 100
    choices = []
    for row in commitments:
        left = max(int(row.amount) - used.get(row.pk, 0), 0)
        label = _("%(document)s — %(source)s — %(left)s left") % {
            "document": row.document,
            "source": row.get_source_display(),
            "left": format_vnd(left),
        }
        choices.append((row.pk, label))
    return choices


def _request_form(
    producer: Producer, data: Any = None, files: Any = None
) -> tuple[RequestForm, bool, int | None]:
    centers = _working_centers()
    center_id = parse_id(data.get("center")) if data is not None else None
    if center_id is None and len(centers) == 1:
        center_id = centers[0][0]
    products, more = _product_choices(producer)
    initial = {"center": center_id} if data is None and center_id else None
    form = RequestForm(
        data,
        files,
        centers=centers,
        products=products,
        commitments=commitment_choices(center_id),
        initial=initial,
    )
    # the commitment list follows the chosen center
    form.fields["center"].widget.attrs.update(
        {
            "hx-get": reverse("design_producer:commitments", args=[producer.slug]),
            "hx-trigger": "change",
            "hx-target": "#id_commitment",
            "hx-swap": "outerHTML",
        }
    )
    return form, more, center_id


def _new_page(
    request: HttpRequest,
    producer: Producer,
    form: RequestForm,
    more: bool,
    *,
    problem: Problem | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "design/producer_new.html",
        {
            "producer": producer,
            "current": "design",
            "several": _several(request),
            "form": form,
            "more_products": more,
            "product_limit": PRODUCT_CHOICES_LIMIT,
            "problem": problem,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, slug: str) -> HttpResponse:
    producer = _producer_or_404(request, slug)
    if request.method != "POST":
        form, more, _center = _request_form(producer)
        return _new_page(request, producer, form, more)
    form, more, _center = _request_form(producer, request.POST, request.FILES)
    if not form.is_valid():
        return _new_page(request, producer, form, more, problem=problem_from_form(form), status=400)
    data = form.cleaned_data
    center = Center.objects.filter(pk=data["center"]).first()
    products = list(
        Product.objects.filter(pk__in=data["products"]).exclude(status=ProductStatus.ARCHIVED).order_by("pk")
    )
    commitment = Commitment.objects.filter(pk=data["commitment"]).first() if data["commitment"] else None
    if center is None:
        form.add_error("center", _("Choose one of the listed centers."))
    if len(products) != len(data["products"]):
        form.add_error("products", _("Choose among the listed products."))
    if data["commitment"] and commitment is None:
        form.add_error("commitment", _("Choose one of the options."))
    if form.errors or center is None:
        return _new_page(request, producer, form, more, problem=problem_from_form(form), status=400)
    try:
        created = services.design_request_submit(
            actor=request.user,
            producer=producer,
            center=center,
            kind=data["kind"],
            title=data["title"],
            products=products,
            brief=data["brief"],
            wished_on=data["wished_on"],
            budget=data["budget"],
            payer=data["payer"],
            subsidy_percent=data["subsidy_percent"],
            commitment=commitment,
            references=data["references"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _new_page(request, producer, form, more, problem=problem, status=error.status)
    messages.success(
        request,
        _("Request %(number)s is sent to %(center)s.") % {"number": created.number, "center": center.name},
    )
    return redirect("design:request", created.pk)


@login_required
@require_GET
def commitment_options(request: HttpRequest, slug: str) -> HttpResponse:
    """The commitment select of the new-request form for the chosen center (htmx swaps it in)."""
    _producer_or_404(request, slug)
    center_id = parse_id(request.GET.get("center"))
    if (
        center_id is not None
        and not Center.objects.filter(pk=center_id, status__in=WORKING_CENTER_STATES).exists()
    ):
        center_id = None
    return render(
        request,
        "design/producer_commitments.html",
        {"choices": commitment_choices(center_id), "selected": None},
    )


# --- the producer's moves on a request ------------------------------------------------------------


def _decidable_or_404(request: HttpRequest, pk: int) -> DesignRequest:
    """A request the user decides on; one they may only see, or not at all, is 404."""
    design_request = selectors.request_for(request.user, pk)
    if design_request is None or not permissions.can_decide_design(request.user, design_request):
        raise Http404
    return design_request


def _request_page(
    request: HttpRequest, design_request: DesignRequest, status: int, **extra: Any
) -> HttpResponse:
    """The request's page again, with the refused form and its message."""
    fresh = DesignRequest.objects.select_related("producer", "center", "designer").get(pk=design_request.pk)
    return render(
        request,
        "design/request_detail.html",
        {"design_request": fresh, **selectors.request_page(fresh), **extra},
        status=status,
    )


def _refused(
    request: HttpRequest,
    design_request: DesignRequest,
    move: str,
    form: Any,
    problem: Problem,
    status: int,
) -> HttpResponse:
    return _request_page(
        request,
        design_request,
        status,
        producer_bound={move: form},
        producer_problem={move: problem},
    )


def _done(request: HttpRequest, design_request: DesignRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("design:request", design_request.pk)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    design_request = _decidable_or_404(request, pk)
    form = ApproveForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.design_request_approve(
            actor=request.user,
            request=design_request,
            accept_terms=bool(data.get("accept_terms")),
            portfolio_allowed=bool(data.get("portfolio_allowed")),
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _refused(request, design_request, "approve", form, problem, error.status)
    return _done(request, design_request, _("The design is approved; the designer prepares the final files."))


@login_required
@require_POST
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    design_request = _decidable_or_404(request, pk)
    form = ChangesForm(request.POST)
    if not form.is_valid():
        return _refused(request, design_request, "changes", form, problem_from_form(form), 400)
    try:
        services.design_changes_request(
            actor=request.user, request=design_request, comment=form.cleaned_data["comment"]
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _refused(request, design_request, "changes", form, problem, error.status)
    return _done(request, design_request, _("Your changes are sent to the designer."))


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    design_request = _decidable_or_404(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _refused(request, design_request, "cancel", form, problem_from_form(form), 400)
    try:
        services.design_request_cancel(
            actor=request.user, request=design_request, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _refused(request, design_request, "cancel", form, problem, error.status)
    return _done(request, design_request, _("The request is withdrawn."))


@login_required
@require_POST
def portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    design_request = _decidable_or_404(request, pk)
    form = PortfolioForm(request.POST)
    form.is_valid()
    allowed = bool(form.cleaned_data.get("portfolio_allowed"))
    try:
        services.design_portfolio_set(actor=request.user, request=design_request, allowed=allowed)
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _refused(request, design_request, "portfolio", form, problem, error.status)
    if allowed:
        return _done(request, design_request, _("The center may show this design in its portfolio."))
    return _done(request, design_request, _("The design is kept out of the center's portfolio."))


@login_required
@require_POST
def product_design(request: HttpRequest, pk: int) -> HttpResponse:
    design_request = _decidable_or_404(request, pk)
    page = selectors.request_page(design_request)
    form = product_design_form(design_request, page["products"], page["versions"], request.POST)
    if not form.is_valid():
        return _refused(request, design_request, "product_design", form, problem_from_form(form), 400)
    data = form.cleaned_data
    product = next(row for row in page["products"] if row.pk == data["product"])
    chosen = (
        DesignFile.objects.filter(pk=data["file"], request=design_request, role=FileRole.FINAL).first()
        if data["file"]
        else None
    )
    try:
        services.product_design_set(
            actor=request.user, request=design_request, product=product, kind=data["kind"], file=chosen
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _refused(request, design_request, "product_design", form, problem, error.status)
    return _done(
        request,
        design_request,
        _("%(product)s now shows this design as its %(kind)s.")
        % {"product": product.name, "kind": _kind_word(data["kind"])},
    )


def _kind_word(kind: str) -> str:
    return _("label") if kind == "label" else _("package")


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who works on the request writes in its thread; the city, which reads it, is 404 here."""
    design_request = selectors.request_for(request.user, pk)
    if design_request is None or not permissions.can_comment_on_design(request.user, design_request):
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        problem = problem_from_form(form)
        return _request_page(request, design_request, 400, comment_form=form, comment_problem=problem)
    try:
        services.design_comment_add(
            actor=request.user, request=design_request, body=form.cleaned_data["body"]
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _request_page(
            request, design_request, error.status, comment_form=form, comment_problem=problem
        )
    messages.success(request, _("Your comment is added."))
    return redirect(f"{reverse('design:request', args=[design_request.pk])}#thread")
