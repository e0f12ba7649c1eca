"""A center's events for its staff, under /lam-viec/trung-tam/<slug>/su-kien/: the list, creating and
editing an event (featured products and producers picked by a search), photos, publishing, cancelling.

Each write parses its form, calls one service and goes back to the event's page; a refusal re-draws
the page with the service's message beside the field, a 4xx and nothing written. The sessions and
their registrations are in views_center_sessions, the door's check-in in views_checkin.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import permissions
from ocophub.catalogue import selectors as catalogue
from ocophub.centers.models import Center
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, parse_id, problem_from_error, problem_from_form

from . import selectors_center, services
from .forms_center import (
    EventForm,
    PhotoForm,
    ReasonForm,
    RecurrenceForm,
    SessionForm,
    featured_producers,
    featured_products,
)
from .models import Event, EventState


def center_for(
    request: HttpRequest,
    slug: str,
    allowed: Callable[[Any, Center], bool] = permissions.can_manage_center_events,
) -> Center | HttpResponse:
    """The center of the page, or the login page for a visitor; 404 for whoever may not work there."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    center = Center.objects.filter(slug=slug).first()
    if center is None or not allowed(request.user, center):
        raise Http404
    return center


def status_of(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 else 400


def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Drafts, published and cancelled events of the center, newest first, by pages of 20."""
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    state = request.GET.get("state", "")
    if state not in EventState.values:
        state = ""
    before = parse_id(request.GET.get("before"))
    page = selectors_center.center_events(center, state=state, before=before)
    return render(
        request,
        "events/center/event_list.html",
        {
            "center": center,
            "page": page,
            "state": state,
            "states": EventState.choices,
            "first_page": before is None,
        },
    )


def _chosen(form: EventForm, event: Event | None) -> tuple[list[Any], list[Any]]:
    """The featured products and producers the page shows ticked: what was sent, else the event's."""
    data: Any = form.data
    if form.is_bound:
        product_ids = [i for i in map(parse_id, data.getlist("products")) if i][:50]
        producer_ids = [i for i in map(parse_id, data.getlist("producers")) if i][:50]
        return (
            list(featured_products().filter(pk__in=product_ids).select_related("producer").order_by("name")),
            list(featured_producers().filter(pk__in=producer_ids).order_by("name")),
        )
    if event is None:
        return [], []
    featured = selectors_center.featured_of(event)
    return featured.products, featured.producers


def event_form_initial(event: Event) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "address": event.address,
        "latitude": "" if event.latitude is None else str(event.latitude),
        "longitude": "" if event.longitude is None else str(event.longitude),
        "languages": event.languages,
    }


def event_page(
    request: HttpRequest,
    center: Center,
    event: Event | None,
    *,
    status: int = 200,
    key: str = "",
    problem: Problem | None = None,
    **bound: Any,
) -> HttpResponse:
    """The event's page (the create page when `event` is None): its form, photos, sessions and the
    forms to add sessions, each bound to what was sent when it is the one refused."""
    form = bound.get("event_form") or (
        EventForm(initial=event_form_initial(event)) if event else EventForm(initial={"languages": ["vi"]})
    )
    chosen_products, chosen_producers = _chosen(form, event)
    context: dict[str, Any] = {
        "center": center,
        "event": event,
        "form": form,
        "chosen_products": chosen_products,
        "chosen_producers": chosen_producers,
        "product_matches": bound.get("product_matches", []),
        "producer_matches": bound.get("producer_matches", []),
        "problem": problem,
        "problem_key": key,
        "limit": catalogue.PRODUCT_MATCHES,
    }
    if event is not None:
        context.update(
            {
                "sessions": selectors_center.event_sessions(event),
                "photos": list(event.photos.all()),
                "photo_form": bound.get("photo_form") or PhotoForm(),
                "cancel_form": bound.get("cancel_form") or ReasonForm(),
                "session_form": bound.get("session_form") or SessionForm(),
                "recurrence_form": bound.get("recurrence_form") or RecurrenceForm(),
                "open_form": key,
            }
        )
    return render(request, "events/center/event_form.html", context, status=status)


def _matches(request: HttpRequest) -> dict[str, Any]:
    """Without scripts, "Find" sends the whole form: the matches of what was typed, nothing saved."""
    found: dict[str, Any] = {}
    if request.POST.get("find") == "products":
        found["product_matches"] = catalogue.products_matching(
            request.POST.get("product_query", "")[:100], featured_products()
        )
    if request.POST.get("find") == "producers":
        found["producer_matches"] = catalogue.producers_matching(request.POST.get("producer_query", "")[:100])
    return found


def _event_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "title": data["title"],
        "description": data["description"],
        "address": data["address"],
        "latitude": data["latitude"],
        "longitude": data["longitude"],
        "languages": data["languages"],
    }


def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new draft event of the center (published once its sessions are set)."""
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    if request.method != "POST":
        return event_page(request, center, None)
    form = EventForm(request.POST)
    if request.POST.get("find"):
        return event_page(request, center, None, event_form=form, **_matches(request))
    if not form.is_valid():
        return event_page(
            request, center, None, status=400, key="event", problem=problem_from_form(form), event_form=form
        )
    data = form.cleaned_data
    try:
        event = services.event_create(
            actor=request.user,
            center=center,
            products=data["products"],
            producers=data["producers"],
            **_event_fields(data),
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return event_page(
            request, center, None, status=status_of(error), key="event", problem=problem, event_form=form
        )
    messages.success(request, _("The event is saved as a draft. Add its sessions, then publish it."))
    return redirect("events_center:event", slug=center.slug, pk=event.pk)


def _event_or_404(center: Center, pk: int) -> Event:
    event = selectors_center.center_event(center, pk)
    if event is None:
        raise Http404
    return event


def event_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The event's page: edit its details, photos and sessions."""
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    event = _event_or_404(center, pk)
    if request.method != "POST":
        return event_page(request, center, event)
    form = EventForm(request.POST)
    if request.POST.get("find"):
        return event_page(request, center, event, event_form=form, **_matches(request))
    if not form.is_valid():
        return event_page(
            request, center, event, status=400, key="event", problem=problem_from_form(form), event_form=form
        )
    data = form.cleaned_data
    try:
        services.event_update(
            actor=request.user,
            event=event,
            products=data["products"],
            producers=data["producers"],
            **_event_fields(data),
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return event_page(
            request, center, event, status=status_of(error), key="event", problem=problem, event_form=form
        )
    messages.success(request, _("The event is saved."))
    return redirect("events_center:event", slug=center.slug, pk=event.pk)


def event_write(
    request: HttpRequest,
    slug: str,
    pk: int,
    *,
    key: str,
    form_class: type | None,
    act: Callable[[Event, dict[str, Any]], Any],
    done: str | Callable[[Any], str],
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """A write on the event from its page: the form, one service, back to the page (or the page
    again with the refusal, a 4xx and nothing written)."""
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    event = _event_or_404(center, pk)
    form = form_class(request.POST, request.FILES) if form_class else None
    data: dict[str, Any] = {}
    if form is not None:
        if not form.is_valid():
            return event_page(
                request,
                center,
                event,
                status=400,
                key=key,
                problem=problem_from_form(form),
                **{f"{key}_form": form},
            )
        data = form.cleaned_data
    try:
        result = act(event, data)
    except DomainError as error:
        problem = problem_from_error(error, form, aliases)
        return event_page(
            request,
            center,
            Event.objects.get(pk=event.pk),
            status=status_of(error),
            key=key,
            problem=problem,
            **({f"{key}_form": form} if form is not None else {}),
        )
    messages.success(request, done(result) if callable(done) else done)
    return redirect("events_center:event", slug=center.slug, pk=event.pk)


@require_POST
def event_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return event_write(
        request,
        slug,
        pk,
        key="publish",
        form_class=None,
        act=lambda event, data: services.event_publish(actor=request.user, event=event),
        done=_("The event is published: visitors can see it and register."),
    )


@require_POST
def event_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return event_write(
        request,
        slug,
        pk,
        key="cancel",
        form_class=ReasonForm,
        act=lambda event, data: services.event_cancel(actor=request.user, event=event, reason=data["reason"]),
        done=_("The event is cancelled; its coming sessions are cancelled and the parties told."),
    )


@require_POST
def event_photo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return event_write(
        request,
        slug,
        pk,
        key="photo",
        form_class=PhotoForm,
        act=lambda event, data: services.event_photo_add(
            actor=request.user, event=event, image=data["image"], caption=data["caption"]
        ),
        done=_("The photo is added."),
    )


@require_GET
def product_choices(request: HttpRequest, slug: str) -> HttpResponse:
    """Published products matching what was typed, as boxes to tick (htmx)."""
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    query = request.GET.get("product_query", "")[:100]
    return render(
        request,
        "events/center/_product_matches.html",
        {
            "product_matches": catalogue.products_matching(query, featured_products()),
            "query": query,
            "limit": catalogue.PRODUCT_MATCHES,
        },
    )


@require_GET
def producer_choices(request: HttpRequest, slug: str) -> HttpResponse:
    """Active producers matching what was typed, as boxes to tick (htmx)."""
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    query = request.GET.get("producer_query", "")[:100]
    return render(
        request,
        "events/center/_producer_matches.html",
        {
            "producer_matches": catalogue.producers_matching(query),
            "query": query,
            "limit": catalogue.PRODUCER_MATCHES,
        },
    )
