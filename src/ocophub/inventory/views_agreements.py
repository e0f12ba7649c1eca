"""Consignment-agreement pages of a center, and a producer's goods at every center.

Each view parses, checks the permission predicate, calls one service and renders. A center the user
may not see is 404; an action the user may not take on a center they can see is 403.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import permissions
from ocophub.catalogue import selectors as catalogue
from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError

from . import services
from .forms import AgreementEndForm, AgreementForm
from .models import Agreement, AgreementState, Stock
from .views import SOON_DAYS, Problem, center_or_404, percent, problem_from_error, problem_from_form

# --- agreements ----------------------------------------------------------------------------------------


def _agreements_page(
    request: HttpRequest,
    center: Center,
    *,
    status: int = 200,
    form: AgreementForm | None = None,
    problem: Problem | None = None,
) -> HttpResponse:
    can_manage = permissions.can_manage_agreements(request.user, center)
    if can_manage and form is None:
        form = AgreementForm(initial={"starts_on": local_today()})
    elif not can_manage:
        form = None
    agreements = list(
        Agreement.objects.filter(center=center)
        .select_related("producer")
        .order_by(F("ends_on").desc(nulls_first=True), "producer__folded_name", "-starts_on")
    )
    for agreement in agreements:
        agreement.percent = percent(agreement.commission_rate)
    return render(
        request,
        "inventory/agreements.html",
        {
            "center": center,
            "agreements": agreements,
            "can_manage": can_manage,
            "form": form,
            "producer_matches": form.producer_matches() if form is not None else [],
            "producer_limit": catalogue.PRODUCER_MATCHES,
            "problem": problem,
            "ended": AgreementState.ENDED,
        },
        status=status,
    )


@login_required
@require_GET
def agreements(request: HttpRequest, slug: str) -> HttpResponse:
    return _agreements_page(request, center_or_404(request, slug))


@login_required
@require_GET
def agreement_producers(request: HttpRequest, slug: str) -> HttpResponse:
    """The producers matching what the manager typed, as choices for the agreement form (htmx)."""
    center = center_or_404(request, slug)
    if not permissions.can_manage_agreements(request.user, center):
        raise PermissionDenied
    query = request.GET.get("producer_query", "")[:100]
    return render(
        request,
        "inventory/_producer_choices.html",
        {
            "matches": catalogue.producers_matching(query),
            "query": query,
            "chosen": "",
            "limit": catalogue.PRODUCER_MATCHES,
        },
    )


@login_required
@require_POST
def agreement_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Managers and the city sign a consignment agreement with a producer."""
    center = center_or_404(request, slug)
    if not permissions.can_manage_agreements(request.user, center):
        raise PermissionDenied
    form = AgreementForm(request.POST)
    if request.POST.get("find"):  # without scripts, "Find" shows the matches and keeps what was typed
        form.is_valid()
        form.errors.pop("producer", None)
        return _agreements_page(request, center, form=form)
    if not form.is_valid():
        return _agreements_page(request, center, status=400, form=form, problem=problem_from_form(form))
    data = form.cleaned_data
    try:
        agreement = services.agreement_create(
            actor=request.user,
            producer=data["producer"],
            center=center,
            commission_rate=data["commission_rate"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            notes=data["notes"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _agreements_page(request, center, status=error.status, form=form, problem=problem)
    messages.success(
        request,
        _("Agreement with %(producer)s signed, commission %(rate)s.")
        % {"producer": agreement.producer.name, "rate": percent(agreement.commission_rate)},
    )
    return redirect("inventory:agreements", center.slug)


@login_required
@require_POST
def agreement_end(request: HttpRequest, slug: str, agreement_id: int) -> HttpResponse:
    """An agreement ends; its producer's goods can no longer be received at the center."""
    center = center_or_404(request, slug)
    if not permissions.can_manage_agreements(request.user, center):
        raise PermissionDenied
    agreement = Agreement.objects.filter(pk=agreement_id, center=center).select_related("producer").first()
    if agreement is None:
        raise Http404
    form = AgreementEndForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.agreement_move(
            actor=request.user, agreement=agreement, to_state=AgreementState.ENDED, reason=reason
        )
    except DomainError as error:
        return _agreements_page(request, center, status=error.status, problem=problem_from_error(error))
    messages.success(request, _("Agreement with %(producer)s ended.") % {"producer": agreement.producer.name})
    return redirect("inventory:agreements", center.slug)


# --- a producer's goods ------------------------------------------------------------------------------


@dataclass
class CenterGoods:
    center: Center
    rows: list[Stock] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)

    @property
    def on_hand(self) -> int:
        return sum(row.on_hand for row in self.rows)

    @property
    def reserved(self) -> int:
        return sum(row.reserved for row in self.rows)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@login_required
@require_GET
def producer_goods(request: HttpRequest, slug: str) -> HttpResponse:
    """A producer's goods and agreements at every center, for its members and the city."""
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None or not permissions.can_view_producer_goods(request.user, producer):
        raise Http404
    by_center: dict[int, CenterGoods] = {}
    rows = (
        Stock.objects.filter(producer=producer, on_hand__gt=0)
        .select_related("center", "lot", "product")
        .order_by("center__name", "product__folded_name", F("lot__expires_on").asc(nulls_last=True), "pk")
    )
    for row in rows:
        by_center.setdefault(row.center_id, CenterGoods(row.center)).rows.append(row)
    for agreement in (
        Agreement.objects.filter(producer=producer)
        .select_related("center")
        .order_by("center__name", "-starts_on")
    ):
        agreement.percent = percent(agreement.commission_rate)
        by_center.setdefault(agreement.center_id, CenterGoods(agreement.center)).agreements.append(agreement)
    today = local_today()
    return render(
        request,
        "inventory/producer.html",
        {
            "producer": producer,
            "centers": sorted(by_center.values(), key=lambda goods: goods.center.name),
            "today": today,
            "soon": today + dt.timedelta(days=SOON_DAYS),
            "active": AgreementState.ACTIVE,
        },
    )
