"""The work pages of tours, under /lam-viec/tour/: the Department of Tourism's operators, and an
operator's tours with their itineraries (stops picked by a search, the planner's proposed order, the
timeline).

Each write parses its form, calls one service and goes back to its page; a refusal re-draws the page
with the service's message beside the field, a 4xx and nothing written. Another operator's objects
are 404; a visitor is sent to the login page. Departures, bookings and the guide's check-in are in
views_work_departures, the operators in views_work_operators, the itinerary's writes in
views_work_stops."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form

from . import planner, selectors, services
from .forms_work import StopForm, TourForm, tiers_text
from .models import RUNNING_STATES, Operator, StopKind, Tour, TourState, TourStop

LIST_LIMIT = 200
MATCHES = 10
# less travel saved than this (minutes) is no reason to change the order
SAVING_WORTH = 0.5


def status_of(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 else 400


def signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def operator_for(
    request: HttpRequest,
    operator_id: int,
    allowed: Callable[[Any, Operator], bool] = permissions.can_manage_operator_tours,
) -> Operator | HttpResponse:
    """The operator of the page, or the login page for a visitor; 404 for whoever may not work there."""
    login = signed_in(request)
    if login:
        return login
    operator = Operator.objects.filter(pk=operator_id).first()
    if operator is None or not allowed(request.user, operator):
        raise Http404
    return operator


def department(request: HttpRequest) -> HttpResponse | None:
    """None for the Department of Tourism (and the city's administrators); else login or 404."""
    login = signed_in(request)
    if login:
        return login
    if not permissions.can_manage_operators(request.user):
        raise Http404
    return None


def tour_of(operator: Operator, pk: int) -> Tour:
    return get_object_or_404(Tour, pk=pk, operator=operator)


# --- the start page and the department's operators ---------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The operators the user works for; the department goes to its list of operators."""
    login = signed_in(request)
    if login:
        return login
    if permissions.can_manage_operators(request.user):
        return redirect("tours_work:operators")
    ids = permissions.scope_ids(request.user, Role.OPERATOR_MEMBER)
    if not ids:
        raise Http404
    operators = list(Operator.objects.filter(pk__in=ids).order_by("folded_name", "pk"))
    if len(operators) == 1:
        return redirect("tours_work:tours", operator=operators[0].pk)
    return render(request, "tours/work/home.html", {"operators": operators})


@require_GET
def tour_list(request: HttpRequest, operator: int) -> HttpResponse:
    """The operator's tours, newest first (at most LIST_LIMIT), with their stops and running
    departures counted: one query."""
    found = operator_for(request, operator, permissions.can_view_operator_tours)
    if isinstance(found, HttpResponse):
        return found
    state = request.GET.get("state", "")
    rows = selectors.tours_of_operator(found).annotate(
        stop_count=Count("stops", distinct=True),
        departure_count=Count(
            "departures",
            filter=Q(departures__state__in=RUNNING_STATES, departures__starts_at__gte=timezone.now()),
            distinct=True,
        ),
    )
    if state in TourState.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    tours = list(rows[:LIST_LIMIT])
    return render(
        request,
        "tours/work/tour_list.html",
        {
            "operator": found,
            "tours": tours,
            "state": state,
            "states": TourState.choices,
            "can_manage": permissions.can_manage_operator_tours(request.user, found),
        },
    )


def _tour_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {name: data[name] for name in TourForm.base_fields}
    return fields


def tour_initial(tour: Tour) -> dict[str, Any]:
    initial = {name: getattr(tour, name) for name in TourForm.base_fields}
    initial["refund_rule"] = tiers_text(tour.refund_rule)
    for name in ("meeting_latitude", "meeting_longitude"):
        initial[name] = "" if initial[name] is None else str(initial[name])
    return initial


def tour_page(
    request: HttpRequest,
    operator: Operator,
    tour: Tour | None,
    *,
    status: int = 200,
    key: str = "",
    problem: Problem | None = None,
    **bound: Any,
) -> HttpResponse:
    """The tour's page (the create page when `tour` is None): its form, its itinerary with the form to
    add a stop, the timeline; departures have their own section from views_work_departures."""
    from .forms_work import DepartureForm, DepartureRecurrenceForm, TourPhotoForm

    form = bound.get("tour_form") or (
        TourForm(initial=tour_initial(tour))
        if tour
        else TourForm(initial={"languages": ["vi"], "children_need_adult": True, "cutoff_hours": 24})
    )
    context: dict[str, Any] = {
        "operator": operator,
        "tour": tour,
        "form": form,
        "problem": problem,
        "problem_key": key,
        "can_manage": permissions.can_manage_operator_tours(request.user, operator),
    }
    if tour is not None:
        stops = selectors.itinerary(tour)
        context.update(
            {
                "stops": stops,
                "timeline": _timeline(tour, stops),
                "stop_form": bound.get("stop_form") or StopForm(),
                "photos": list(tour.photos.all()),
                "photo_form": bound.get("photo_form") or TourPhotoForm(),
                "departure_form": bound.get("departure_form") or DepartureForm(),
                "recurrence_form": bound.get("recurrence_form") or DepartureRecurrenceForm(),
                "departures": selectors.departures_with_seats(
                    timezone.localdate(), timezone.localdate() + dt.timedelta(days=366), tour=tour
                )[:50],
                "open_form": key,
            }
        )
    return render(request, "tours/work/tour_form.html", context, status=status)


def tour_create(request: HttpRequest, operator: int) -> HttpResponse:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    if request.method != "POST":
        return tour_page(request, found, None)
    form = TourForm(request.POST)
    if not form.is_valid():
        return tour_page(
            request, found, None, status=400, key="tour", problem=problem_from_form(form), tour_form=form
        )
    try:
        tour = services.tour_create(actor=request.user, operator=found, **_tour_fields(form.cleaned_data))
    except DomainError as error:
        problem = problem_from_error(error, form)
        return tour_page(
            request, found, None, status=status_of(error), key="tour", problem=problem, tour_form=form
        )
    messages.success(request, _("The tour is saved as a draft. Add its stops, then publish it."))
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


def tour_edit(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    allowed = permissions.can_manage_operator_tours if request.method == "POST" else None
    found = operator_for(request, operator, allowed or permissions.can_view_operator_tours)
    if isinstance(found, HttpResponse):
        return found
    tour = tour_of(found, pk)
    if request.method != "POST":
        return tour_page(request, found, tour)
    form = TourForm(request.POST)
    if not form.is_valid():
        return tour_page(
            request, found, tour, status=400, key="tour", problem=problem_from_form(form), tour_form=form
        )
    try:
        services.tour_update(actor=request.user, tour=tour, **_tour_fields(form.cleaned_data))
    except DomainError as error:
        problem = problem_from_error(error, form)
        return tour_page(
            request, found, tour, status=status_of(error), key="tour", problem=problem, tour_form=form
        )
    messages.success(request, _("The tour is saved."))
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


def _tour_move(request: HttpRequest, operator: int, pk: int, write: Callable[..., Any], done: str) -> Any:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    tour = tour_of(found, pk)
    try:
        write(actor=request.user, tour=tour)
    except DomainError as error:
        return tour_page(
            request, found, tour, status=status_of(error), key="state", problem=problem_from_error(error)
        )
    messages.success(request, done)
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


@require_POST
def tour_publish(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    return _tour_move(request, operator, pk, services.tour_publish, _("The tour is published."))


@require_POST
def tour_archive(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    return _tour_move(request, operator, pk, services.tour_archive, _("The tour is archived."))


# --- the itinerary ------------------------------------------------------------------------------------

PLACE_FIELD = {StopKind.CENTER: "center", StopKind.VILLAGE: "craft_village", StopKind.WORKSHOP: "session"}


def stop_data(stop: TourStop) -> dict[str, Any]:
    """A stop as stops_set takes it, to write the itinerary again with one stop more or less."""
    data: dict[str, Any] = {
        "kind": stop.kind,
        "minutes": stop.minutes,
        "title": stop.title,
        "note": stop.note,
        "latitude": stop.latitude,
        "longitude": stop.longitude,
    }
    field = PLACE_FIELD.get(stop.kind)  # type: ignore[call-overload]
    if field:
        data[field] = getattr(stop, f"{field}_id")
    return data


def stop_name(stop: TourStop) -> str:
    """What a stop is called on the pages: its own title, else its place's name, else its kind."""
    if stop.title:
        return stop.title
    if stop.center is not None:
        return stop.center.name
    if stop.craft_village is not None:
        return stop.craft_village.name
    if stop.session is not None:
        return stop.session.event.title
    return str(stop.get_kind_display()).capitalize()


def _start_of(tour: Tour) -> dt.datetime:
    """When the timeline starts: the next departure, else tomorrow at 08:00."""
    upcoming = (
        tour.departures.filter(state__in=RUNNING_STATES, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if upcoming:
        return upcoming
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(8, 0)))


def _meeting(tour: Tour) -> planner.Point | None:
    if tour.meeting_latitude is None or tour.meeting_longitude is None:
        return None
    return planner.Point(float(tour.meeting_latitude), float(tour.meeting_longitude))


def _timeline(tour: Tour, stops: list[TourStop]) -> dict[str, Any] | None:
    """The itinerary in its order: arrival times, legs and warnings (places known only)."""
    meeting = _meeting(tour)
    if meeting is None or not stops:
        return None
    placed, unplaced = planner.plan_stops(stops)
    walk = planner.timeline(placed, meeting, meeting, _start_of(tour))
    by_pk: dict[Any, TourStop] = {stop.pk: stop for stop in stops}
    rows = [
        {
            "stop": by_pk[plan_stop.key],
            "name": stop_name(by_pk[plan_stop.key]),
            "arrives": at,
            "leg": round(leg),
        }
        for plan_stop, at, leg in zip(placed, walk.arrivals, walk.legs, strict=False)
    ]
    names = {plan_stop.label: stop_name(by_pk[plan_stop.key]) for plan_stop in placed}
    return {
        "rows": rows,
        "travel": round(walk.travel_minutes),
        "ends_at": walk.ends_at,
        "warnings": [(names.get(w.label, w.label), w.message) for w in walk.warnings],
        "unplaced": [stop_name(stop) for stop in unplaced],
        "back_leg": round(walk.legs[-1]) if walk.legs else 0,
    }


def proposed_order(tour: Tour, stops: list[TourStop]) -> dict[str, Any]:
    """The planner's order of the placed stops between the meeting point and back; the stops with
    no place (meals, free time) keep their positions. With the travel saved and the warnings."""
    meeting = _meeting(tour)
    if meeting is None:
        raise DomainError(
            _("Give the meeting point's latitude and longitude first: the planner starts and ends there."),
            fields={"meeting_latitude": _("Required for the planner.")},
        )
    placed, _unplaced = planner.plan_stops(stops)
    starts_at = _start_of(tour)
    now = planner.timeline(placed, meeting, meeting, starts_at)
    best = planner.plan(placed, meeting, meeting, starts_at)
    by_pk: dict[Any, TourStop] = {stop.pk: stop for stop in stops}
    placed_keys = {stop.key for stop in placed}
    queue = [by_pk[stop.key] for stop in best.order]
    order = [queue.pop(0) if stop.pk in placed_keys else stop for stop in stops]
    if now.travel_minutes - best.travel_minutes < SAVING_WORTH:
        # the same travel (the reverse of a loop costs the same): keep the order as it is
        order, best = list(stops), now
    return {
        "order": order,
        "current_travel": round(now.travel_minutes),
        "proposed_travel": round(best.travel_minutes),
        "saved": round(now.travel_minutes - best.travel_minutes),
        "warnings": [(stop_name(by_pk[w.key]), w.message) for w in best.warnings],
        "arrivals": dict(zip([stop.key for stop in best.order], best.arrivals, strict=False)),
        "exact": best.exact,
        "changed": [stop.pk for stop in order] != [stop.pk for stop in stops],
    }
