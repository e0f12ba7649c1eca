"""Funding of the centers, entered by the unit officers for their units and by the city for any:
commitments by source and the disbursements paid against them.

Each view parses, checks the scope, calls one service and renders. A center or commitment outside the
user's units is 404, as are these pages for anyone who is neither a unit officer nor a city administrator.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import permissions
from ocophub.centers import selectors as centers
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form
from ocophub.common.money import format_vnd

from . import selectors, services
from .forms_officer import CommitmentForm, DisbursementForm
from .models import Commitment

PAGE_SIZE = 25


@dataclass
class CommitmentRow:
    commitment: Commitment
    disbursed: int

    @property
    def remaining(self) -> int:
        return self.commitment.amount - self.disbursed


def _centers_or_404(request: HttpRequest) -> QuerySet[Center]:
    """The centers whose funding the user enters: the city's are all of them, an officer's those of
    their units; anyone else finds no such page."""
    if not (permissions.is_city_admin(request.user) or permissions.officer_unit_ids(request.user)):
        raise Http404
    return centers.editable_centers(request.user)


def _funding_page(
    request: HttpRequest,
    scope: QuerySet[Center],
    *,
    form: CommitmentForm | None = None,
    pay_form: DisbursementForm | None = None,
    pay_for: int | None = None,
    status: int = 200,
    problem: Problem | None = None,
) -> HttpResponse:
    commitments = Commitment.objects.filter(center__in=scope).select_related("center__commune__parent")
    page = Paginator(commitments.order_by("-committed_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    commitment_list = list(page)
    paid = selectors.disbursed_by_commitment(commitment_list)
    rows = [CommitmentRow(c, paid.get(c.pk, 0)) for c in commitment_list]
    totals = selectors.funding_totals(commitments, "source")
    today = local_today()
    return render(
        request,
        "programme/officer/funding.html",
        {
            "page": page,
            "rows": rows,
            "totals": totals,
            "committed": sum(row.committed for row in totals),
            "disbursed": sum(row.disbursed for row in totals),
            "remaining": sum(row.outstanding for row in totals),
            "form": form or CommitmentForm(centers=scope, initial={"committed_on": today}),
            "pay_form": pay_form,
            "pay_for": pay_for,
            "today": today,
            "problem": problem,
        },
        status=status,
    )


@login_required
@require_GET
def funding(request: HttpRequest) -> HttpResponse:
    """The commitments of the unit's centers, newest first, with what was paid and the totals by source."""
    return _funding_page(request, _centers_or_404(request))


@login_required
@require_POST
def commitment_create(request: HttpRequest) -> HttpResponse:
    scope = _centers_or_404(request)
    form = CommitmentForm(request.POST, centers=scope)
    if not form.is_valid():
        return _funding_page(request, scope, form=form, status=400, problem=problem_from_form(form))
    data = form.cleaned_data
    try:
        commitment = services.commitment_create(
            actor=request.user,
            center=data["center"],
            source=data["source"],
            amount=data["amount"],
            committed_on=data["committed_on"],
            document=data["document"],
            funder=data["funder"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _funding_page(request, scope, form=form, status=error.status, problem=problem)
    messages.success(
        request,
        _("Commitment of %(amount)s to %(center)s recorded.")
        % {"amount": format_vnd(commitment.amount), "center": commitment.center.name},
    )
    return redirect("programme_officer:funding")


@login_required
@require_POST
def disbursement_create(request: HttpRequest, commitment_id: int) -> HttpResponse:
    """A payment against a commitment of the unit; the total paid may not go above the commitment."""
    scope = _centers_or_404(request)
    commitment = (
        Commitment.objects.filter(pk=commitment_id, center__in=scope).select_related("center").first()
    )
    if commitment is None:
        raise Http404
    form = DisbursementForm(request.POST, prefix=f"pay-{commitment.pk}")
    if not form.is_valid():
        return _funding_page(
            request, scope, pay_form=form, pay_for=commitment.pk, status=400, problem=problem_from_form(form)
        )
    data = form.cleaned_data
    try:
        disbursement = services.disbursement_create(
            actor=request.user,
            commitment=commitment,
            amount=data["amount"],
            disbursed_on=data["disbursed_on"],
            document=data["document"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _funding_page(
            request, scope, pay_form=form, pay_for=commitment.pk, status=error.status, problem=problem
        )
    messages.success(
        request,
        _("Disbursement of %(amount)s to %(center)s recorded.")
        % {"amount": format_vnd(disbursement.amount), "center": commitment.center.name},
    )
    return redirect("programme_officer:funding")
