"""An operator's itinerary editor: stops added, removed and moved, the planner's proposed order applied,
places picked by a search."""

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.centers.models import Center
from ocophub.common.errors import DomainError
from ocophub.common.forms import parse_id, problem_from_error, problem_from_form
from ocophub.common.text import fold
from ocophub.events.models import Session, SessionState
from ocophub.places.models import CraftVillage

from . import selectors, services
from .forms_work import StopForm
from .models import Operator, StopKind, Tour
from .views_work import (
    MATCHES,
    PLACE_FIELD,
    operator_for,
    proposed_order,
    status_of,
    stop_data,
    tour_of,
    tour_page,
)


def _itinerary_write(request: HttpRequest, found: Operator, tour: Tour, stops: list[dict[str, Any]]) -> Any:
    try:
        services.stops_set(actor=request.user, tour=tour, stops=stops)
    except DomainError as error:
        form = StopForm(request.POST) if "kind" in request.POST else None
        if form is not None:
            form.is_valid()
        problem = problem_from_error(
            error, form, lambda name: name.rsplit(".", 1)[-1] if "." in name else name
        )
        return tour_page(
            request, found, tour, status=status_of(error), key="stop", problem=problem, stop_form=form
        )
    return None


@require_POST
def stop_add(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    """A stop at the end of the itinerary: a center, a craft village or a workshop session picked by
    the search, or a meal or free time."""
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    tour = tour_of(found, pk)
    form = StopForm(request.POST)
    if not form.is_valid():
        return tour_page(
            request, found, tour, status=400, key="stop", problem=problem_from_form(form), stop_form=form
        )
    data = form.cleaned_data
    new: dict[str, Any] = {
        "kind": data["kind"],
        "minutes": data["minutes"],
        "title": data["title"],
        "note": data["note"],
    }
    field = PLACE_FIELD.get(data["kind"])
    if field:
        place = parse_id(data["place"])
        if place is None:
            form.add_error("title", _("Search and pick the place of the stop."))
            return tour_page(
                request, found, tour, status=400, key="stop", problem=problem_from_form(form), stop_form=form
            )
        new[field] = place
    stops = [stop_data(stop) for stop in selectors.itinerary(tour)] + [new]
    refused = _itinerary_write(request, found, tour, stops)
    if refused:
        return refused
    messages.success(request, _("The stop is added."))
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


@require_POST
def stop_remove(request: HttpRequest, operator: int, pk: int, stop: int) -> HttpResponse:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    tour = tour_of(found, pk)
    stops = selectors.itinerary(tour)
    if not any(row.pk == stop for row in stops):
        raise Http404
    refused = _itinerary_write(request, found, tour, [stop_data(row) for row in stops if row.pk != stop])
    if refused:
        return refused
    messages.success(request, _("The stop is removed."))
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


@require_POST
def stop_move(request: HttpRequest, operator: int, pk: int, stop: int) -> HttpResponse:
    """Move a stop one place up (or down with direction=down)."""
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    tour = tour_of(found, pk)
    ids = [row.pk for row in selectors.itinerary(tour)]
    if stop not in ids:
        raise Http404
    at = ids.index(stop)
    to = at + 1 if request.POST.get("direction") == "down" else at - 1
    if 0 <= to < len(ids):
        ids[at], ids[to] = ids[to], ids[at]
        return _reorder(request, found, tour, ids, _("The stop is moved."))
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


def _reorder(request: HttpRequest, found: Operator, tour: Tour, ids: list[int], done: str) -> HttpResponse:
    try:
        services.stops_reorder(actor=request.user, tour=tour, order=ids)
    except DomainError as error:
        return tour_page(
            request, found, tour, status=status_of(error), key="stop", problem=problem_from_error(error)
        )
    messages.success(request, done)
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


def stops_plan(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    """GET: the planner's proposed order, the travel it saves, the opening-hours warnings. POST
    (order=<id>…): apply that order."""
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    tour = tour_of(found, pk)
    if request.method == "POST":
        ids = [parse_id(raw) for raw in request.POST.getlist("order")][: services_max_stops()]
        if None in ids:
            ids = []
        return _reorder(request, found, tour, [i for i in ids if i], _("The proposed order is applied."))
    stops = selectors.itinerary(tour)
    try:
        proposal = proposed_order(tour, stops)
    except DomainError as error:
        return tour_page(request, found, tour, status=400, key="plan", problem=problem_from_error(error))
    return render(
        request,
        "tours/work/plan.html",
        {"operator": found, "tour": tour, "proposal": proposal, "stops": stops},
    )


def services_max_stops() -> int:
    return 60


@require_GET
def place_choices(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    """The htmx search of a stop's place: at most MATCHES centers, craft villages, or scheduled
    workshop sessions to come, by name."""
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    tour_of(found, pk)
    kind = request.GET.get("kind", "")
    query = fold(request.GET.get("q", "")[:100])
    matches: list[tuple[int, str]] = []
    if query and kind == StopKind.CENTER:
        matches = [
            (c.pk, c.name)
            for c in Center.objects.filter(folded_name__contains=query).order_by("folded_name")[:MATCHES]
        ]
    elif query and kind == StopKind.VILLAGE:
        matches = [
            (v.pk, v.name)
            for v in CraftVillage.objects.filter(folded_name__contains=query).order_by("folded_name")[
                :MATCHES
            ]
        ]
    elif query and kind == StopKind.WORKSHOP:
        sessions = (
            Session.objects.filter(state=SessionState.SCHEDULED, starts_at__gte=timezone.now())
            .filter(
                Q(event__title__icontains=request.GET.get("q", "")[:100])
                | Q(event__center__folded_name__contains=query)
            )
            .select_related("event__center")
            .order_by("starts_at")[:MATCHES]
        )
        matches = [
            (
                s.pk,
                f"{s.event.title} · {s.event.center.name} · {timezone.localtime(s.starts_at):%d/%m/%Y %H:%M}",
            )
            for s in sessions
        ]
    return render(
        request, "tours/work/_place_matches.html", {"matches": matches, "query": query, "kind": kind}
    )
