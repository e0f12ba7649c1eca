"""A center's design work: its list of requests, and the moves its managers and designers make on a
request (accept, decline, start, send a proposal, deliver, close, reassign).

The list is the center's managers' and designers' (and the city's, read only): a manager sees every
request of the center, a designer those assigned to them. Each move parses its form, asks its
predicate, calls one service and goes back to the request's page; a refusal re-draws that page with
the service's message beside the field, a 4xx and nothing written. A request the user may not see,
or may see but not move this way, is 404.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocophub.accounts import permissions
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form

from . import selectors, services
from .forms_center import (
    AcceptForm,
    DeclineForm,
    DeliverForm,
    ReassignForm,
    StateFilterForm,
    VersionForm,
)
from .models import DesignRequest, RequestState

PAGE_SIZE = 25


def center_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The center's requests, the next due first, the overdue ones flagged; filtered by state."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    center = Center.objects.filter(slug=slug).first()
    if center is None or not permissions.can_view_studio_board(request.user, center):
        raise Http404
    filters = StateFilterForm(request.GET)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    rows = selectors.center_requests(request.user, center, state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_today()
    shown = list(page.object_list)
    for row in shown:
        row.overdue = row.is_overdue(today)  # type: ignore[attr-defined]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "design/center_list.html",
        {
            "center": center,
            "filters": filters,
            "state": state,
            "page": page,
            "requests": shown,
            "query_string": params.urlencode(),
            "manages": permissions.can_manage_design_requests(request.user, center),
        },
    )


# the forms of the request page's center part, by the key the template reads them under
FORMS: dict[str, type[forms.Form] | None] = {
    "accept": AcceptForm,
    "decline": DeclineForm,
    "start": None,
    "version": VersionForm,
    "deliver": DeliverForm,
    "close": None,
    "reassign": ReassignForm,
}


def _page_again(
    request: HttpRequest, pk: int, *, key: str, form: forms.Form | None, problem: Problem, status: int
) -> HttpResponse:
    """The request's page once more (re-read: nothing of the refused move stays), with the form."""
    design_request = selectors.request_for(request.user, pk)
    if design_request is None:
        raise Http404
    return render(
        request,
        "design/request_detail.html",
        {
            "design_request": design_request,
            **selectors.request_page(design_request),
            "center_bound": {key: form} if form is not None else {},
            "center_problem": problem,
            "center_problem_key": key,
        },
        status=status,
    )


def _move(
    request: HttpRequest,
    pk: int,
    *,
    key: str,
    allowed: Callable[[Any, DesignRequest], bool],
    act: Callable[[DesignRequest, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    design_request = selectors.request_for(request.user, pk)
    if design_request is None or not allowed(request.user, design_request):
        raise Http404
    form_class = FORMS[key]
    form: forms.Form | None = None
    data: dict[str, Any] = {}
    if form_class is not None:
        kwargs: dict[str, Any] = {"data": request.POST, "files": request.FILES}
        if form_class in (AcceptForm, ReassignForm):
            kwargs["center_id"] = design_request.center_id
        form = form_class(**kwargs)
        if not form.is_valid():
            return _page_again(request, pk, key=key, form=form, problem=problem_from_form(form), status=400)
        data = form.cleaned_data
    try:
        act(design_request, data)
    except DomainError as error:
        status = error.status if 400 <= error.status < 500 else 400
        problem = problem_from_error(error, form)
        return _page_again(request, pk, key=key, form=form, problem=problem, status=status)
    messages.success(request, done)
    return redirect("design:request", pk=pk)


def _manages(user: Any, design_request: DesignRequest) -> bool:
    return permissions.can_manage_design_requests(user, design_request.center)


@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        key="accept",
        allowed=_manages,
        act=lambda row, data: services.design_request_accept(
            actor=request.user,
            request=row,
            designer=data["designer"],
            due_on=data["due_on"],
            price=data["price"],
        ),
        done=_("The request is accepted and assigned."),
    )


@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        key="decline",
        allowed=_manages,
        act=lambda row, data: services.design_request_decline(
            actor=request.user, request=row, reason=data["reason"]
        ),
        done=_("The request is declined; the producer is told why."),
    )


@require_POST
def request_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        key="start",
        allowed=permissions.can_work_on_design,
        act=lambda row, data: services.design_request_start(actor=request.user, request=row),
        done=_("The work has started."),
    )


@require_POST
def version_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        key="version",
        allowed=permissions.can_work_on_design,
        act=lambda row, data: services.design_version_send(
            actor=request.user, request=row, note=data["note"], files=data["files"]
        ),
        done=_("The proposal is sent to the producer."),
    )


@require_POST
def request_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        key="deliver",
        allowed=permissions.can_work_on_design,
        act=lambda row, data: services.design_request_deliver(
            actor=request.user, request=row, note=data["note"], files=data["files"]
        ),
        done=_("The final files are delivered."),
    )


@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        key="close",
        allowed=_manages,
        act=lambda row, data: services.design_request_close(actor=request.user, request=row),
        done=_("The request is closed."),
    )


@require_POST
def request_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        key="reassign",
        allowed=_manages,
        act=lambda row, data: services.design_request_reassign(
            actor=request.user,
            request=row,
            designer=data["designer"],
            due_on=data["due_on"],
            reason=data["reason"],
        ),
        done=_("The request is given to another designer."),
    )


def center_actions(user: Any, design_request: DesignRequest, bound: dict[str, Any]) -> dict[str, Any]:
    """The center's forms the user may use on the request in its state (a form sent back with an
    error stays as it was sent)."""
    state = design_request.state
    manages = permissions.can_manage_design_requests(user, design_request.center)
    works = permissions.can_work_on_design(user, design_request)
    shown = {
        "accept": manages and state == RequestState.SUBMITTED,
        "decline": manages and state == RequestState.SUBMITTED,
        "start": works and state == RequestState.ACCEPTED,
        "version": works and state in (RequestState.IN_PROGRESS, RequestState.CHANGES_REQUESTED),
        "deliver": works and state == RequestState.APPROVED,
        "close": manages and state == RequestState.DELIVERED,
        "reassign": manages and design_request.is_open,
    }
    made: dict[str, Any] = {}
    for key, show in shown.items():
        if not show:
            continue
        if key in bound:
            made[key] = bound[key]
        elif key == "accept":
            wished = design_request.wished_on
            made[key] = AcceptForm(
                center_id=design_request.center_id,
                initial={
                    "due_on": wished if wished and wished >= local_today() else None,
                    "price": f"{design_request.budget:,}".replace(",", "."),
                },
            )
        elif key == "reassign":
            made[key] = ReassignForm(
                center_id=design_request.center_id, initial={"designer": design_request.designer_id}
            )
        else:
            form_class = FORMS[key]
            made[key] = form_class() if form_class is not None else True
    return made
