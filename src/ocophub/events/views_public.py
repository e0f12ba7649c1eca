"""The public pages of events under /su-kien/: the calendar (a list and a month), an event's page with
its sessions, registering a party (or joining the waiting list of a full session), the ticket page
that the ticket's unguessable code opens and the iCalendar files (views_ticket).

Anyone may register, signed in or not; the ticket page is reached by its code alone (the e-mailed
link), as the shop's order page is by its token. Payment by VietQR is confirmed by the center's staff
when the transfer arrives, as for the shop's orders.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ocophub.accounts import permissions
from ocophub.centers.models import PUBLIC_STATUSES
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form
from ocophub.common.idempotency import run_once

from . import selectors, services
from .forms_public import CalendarFilterForm, RegistrationForm
from .models import (
    EVENT_LANGUAGES,
    EventState,
    PaymentMethod,
    Registration,
    Session,
    SessionState,
    WaitlistEntry,
    WaitlistState,
)
from .selectors import SessionSeats

PAGE_SIZE = 20
MAX_PAGE = 200
# a month holds at most this many sessions on its page (the filters narrow it)
MONTH_LIMIT = 300
EVENT_SESSIONS = 60


# --- the calendar -----------------------------------------------------------------------------------


def _filter_form(request: HttpRequest) -> CalendarFilterForm:
    return CalendarFilterForm(request.GET, english=request.LANGUAGE_CODE == "en")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _session_filters(form: CalendarFilterForm) -> dict[str, Any]:
    data = form.cleaned_data
    price = data.get("gia") or ""
    return {
        "center_id": form.center_ids[data["center"]][0] if data.get("center") else None,
        "craft_id": form.craft_ids[data["craft"]] if data.get("craft") else None,
        "kind": data.get("kind") or None,
        "free": {"mien-phi": True, "co-phi": False}.get(price),
        "public_centers": True,
    }


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _calendar_context(request: HttpRequest, form: CalendarFilterForm) -> dict[str, Any]:
    valid = form.is_valid()
    center = form.cleaned_data.get("center") if valid else ""
    return {
        "form": form,
        "valid": valid,
        "center_slug": center,
        "center_name": form.center_ids[center][1] if center else "",
        "filters_query": _query_without(request, "page", "thang"),
    }


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "")
    return min(int(text), MAX_PAGE) if text.isascii() and text.isdecimal() and 0 < len(text) < 5 else 1


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """The coming sessions as a list, a page at a time (from today, or from the first day asked)."""
    form = _filter_form(request)
    context = _calendar_context(request, form)
    rows: list[SessionSeats] = []
    number = _page_number(request)
    if context["valid"]:
        data = form.cleaned_data
        now = timezone.now()
        since = max(_start_of(data["tu"]), now) if data.get("tu") else now
        until = _start_of(data["den"] + dt.timedelta(days=1)) if data.get("den") else None
        rows = selectors.sessions_with_seats(
            **_session_filters(form),
            since=since,
            until=until,
            limit=PAGE_SIZE + 1,
            offset=(number - 1) * PAGE_SIZE,
        )
    context.update(
        view="list",
        rows=rows[:PAGE_SIZE],
        number=number,
        has_next=len(rows) > PAGE_SIZE,
        has_previous=number > 1,
        page_query=_query_without(request, "page"),
        now=timezone.now(),
    )
    return render(request, "events/public/calendar.html", context, status=200 if context["valid"] else 400)


@dataclass
class Day:
    day: dt.date
    in_month: bool
    is_today: bool
    rows: list[SessionSeats] = field(default_factory=list)


def _month_grid(first: dt.date, rows: list[SessionSeats]) -> list[list[Day]]:
    """The month's weeks, Monday first, each day with its sessions (by their local start day)."""
    today = local_today()
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    start = first - dt.timedelta(days=first.weekday())
    end = next_month + dt.timedelta(days=(7 - next_month.weekday()) % 7)
    days: dict[dt.date, Day] = {}
    day = start
    while day < end:
        days[day] = Day(day, day.month == first.month, day == today)
        day += dt.timedelta(days=1)
    for row in rows:
        starts = timezone.localdate(row.session.starts_at)
        if starts in days:
            days[starts].rows.append(row)
    ordered = list(days.values())
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]


def _month_link(request: HttpRequest, first: dt.date) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["thang"] = f"{first:%Y-%m}"
    return f"{reverse('events:month')}?{query.urlencode()}"


@require_safe
def month(request: HttpRequest) -> HttpResponse:
    """One month's sessions as a grid of days (?thang=yyyy-mm, this month by default)."""
    form = _filter_form(request)
    context = _calendar_context(request, form)
    today = local_today()
    first = today.replace(day=1)
    rows: list[SessionSeats] = []
    if context["valid"]:
        data = form.cleaned_data
        first = data.get("thang") or first
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        since, until = _start_of(first), _start_of(next_month)
        if data.get("tu"):
            since = max(since, _start_of(data["tu"]))
        if data.get("den"):
            until = min(until, _start_of(data["den"] + dt.timedelta(days=1)))
        if since < until:
            rows = selectors.sessions_with_seats(
                **_session_filters(form), since=since, until=until, limit=MONTH_LIMIT + 1
            )
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    context.update(
        view="month",
        first=first,
        weeks=_month_grid(first, rows[:MONTH_LIMIT]),
        count=len(rows[:MONTH_LIMIT]),
        cut=len(rows) > MONTH_LIMIT,
        previous_link=_month_link(request, previous) if previous.year >= 2000 else "",
        next_link=_month_link(request, following) if following.year <= 2100 else "",
        this_month_link=_month_link(request, today.replace(day=1)),
        weekdays=[WEEKDAYS_ABBR[i] for i in range(7)],
        now=timezone.now(),
    )
    return render(request, "events/public/month.html", context, status=200 if context["valid"] else 400)


# --- an event's page --------------------------------------------------------------------------------


def _map_points(event: Any) -> list[dict[str, Any]]:
    """The place on the center pages' map: the event's own address when set, else the center."""
    if not settings.MAP_TILE_URL:
        return []
    center = event.center
    lat, lng = event.latitude, event.longitude
    name = event.address or center.name
    if lat is None or lng is None:
        lat, lng, name = center.latitude, center.longitude, center.name
    if lat is None or lng is None:
        return []
    return [
        {
            "name": name,
            "lat": float(lat),
            "lng": float(lng),
            "status": center.status,
            "label": event.title,
            "counted": True,
            "url": "",
        }
    ]


@require_safe
def event_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A published event with its sessions still to come; a cancelled one says so and takes nobody."""
    event = selectors.public_event(slug)
    if event is None:
        raise Http404
    sessions = (
        selectors.sessions_with_seats(event_id=event.pk, since=timezone.now(), limit=EVENT_SESSIONS + 1)
        if event.state == EventState.PUBLISHED
        else []
    )
    return render(
        request,
        "events/public/event.html",
        {
            "event": event,
            "cancelled": event.state == EventState.CANCELLED,
            "sessions": sessions[:EVENT_SESSIONS],
            "more_sessions": len(sessions) > EVENT_SESSIONS,
            "languages": [EVENT_LANGUAGES.get(code, code) for code in event.languages or []],
            "map_points": _map_points(event),
            "now": timezone.now(),
        },
    )


# --- registering ------------------------------------------------------------------------------------


def _public_session(slug: str, session_id: int) -> Session:
    session = (
        Session.objects.select_related("event__center", "capacity")
        .filter(
            pk=session_id,
            event__slug=slug,
            event__state__in=selectors.PUBLIC_EVENT_STATES,
            event__center__status__in=PUBLIC_STATUSES,
        )
        .first()
    )
    if session is None:
        raise Http404
    return session


def _closed_reason(session: Session) -> str:
    """Why the session takes nobody now, or "" while it is open (the services' own words)."""
    if session.state != SessionState.SCHEDULED:
        return _("This session is cancelled.")
    if session.event.state != EventState.PUBLISHED:
        return _("This event is not open for registration.")
    if session.starts_at <= timezone.now():
        return _("This session has already started or is over.")
    return ""


def _initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "key": uuid.uuid4().hex,
        "party_size": 1,
        "payment_method": PaymentMethod.VIETQR,
    }
    user = request.user
    if permissions.is_authenticated(user):
        initial.update(name=user.full_name, email=user.email or "", phone=user.phone or "")
    return initial


def _customer(request: HttpRequest) -> Any:
    return request.user if permissions.is_authenticated(request.user) else None


@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """Register a party for a session; a full session offers its waiting list instead.

    Nothing is written unless every detail is right (the services check them); the same form sent
    twice leads to the registration made the first time (its hidden key)."""
    session = _public_session(slug, session_id)
    free = selectors.free_seats_of(session)
    waitlist = free <= 0
    status = 200
    problem: Problem | None = None
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        waitlist = request.POST.get("action") == "waitlist"
        if not form.is_valid():
            problem, status = problem_from_form(form), 400
        else:
            data = form.cleaned_data
            details = {
                "session": session,
                "party_size": data["party_size"],
                "name": data["name"],
                "email": data["email"],
                "phone": data["phone"],
                "customer": _customer(request),
            }
            try:
                if waitlist:
                    entry = services.waitlist_join(actor=request.user, **details)
                    return _joined(request, session, entry)
                code = _register_once(request, session, details, data)
                return redirect("events:ticket", code=code)
            except services.RegistrationFull as full:
                problem, status, waitlist = problem_from_error(full, form), full.status, True
                free = full.free
            except DomainError as error:
                problem, status = problem_from_error(error, form), error.status
    else:
        form = RegistrationForm(initial=_initial(request))
    return render(
        request,
        "events/public/register.html",
        {
            "session": session,
            "event": session.event,
            "free": free,
            "total": session.capacity.total if session.capacity else 0,
            "waitlist": waitlist,
            "closed": _closed_reason(session),
            "form": form,
            "problem": problem,
            "max_party": int(getattr(settings, "EVENTS_MAX_PARTY", 20)),
        },
        status=status,
    )


def _register_once(
    request: HttpRequest, session: Session, details: dict[str, Any], data: dict[str, Any]
) -> str:
    method = data["payment_method"] or (PaymentMethod.VIETQR if not session.is_free else "")

    def work() -> tuple[int, dict[str, str]]:
        registration = services.registration_create(actor=request.user, payment_method=method, **details)
        return 201, {"code": registration.code}

    body = {k: v for k, v in data.items() if k != "key"} | {"session": session.pk}
    _status, answer = run_once(f"events-register:{session.pk}", data["key"] or None, body, work)
    return str(answer["code"])


def _joined(request: HttpRequest, session: Session, entry: WaitlistEntry) -> HttpResponse:
    if entry.state == WaitlistState.OFFERED and entry.registration_id:
        # seats freed meanwhile were offered at once: the offer is on the ticket page
        messages.success(request, _("Seats have just become free: they are held for you. Take them below."))
        return redirect("events:ticket", code=Registration.objects.get(pk=entry.registration_id).code)
    position = selectors.waitlist_position(entry)
    messages.success(
        request,
        _(
            "You are on the waiting list (number %(n)s). When seats become free we offer them by e-mail to "
            "%(email)s, for a limited time."
        )
        % {"n": position or 1, "email": entry.email},
    )
    return redirect("events:event", slug=session.event.slug)
