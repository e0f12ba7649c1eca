"""The public tour pages under /tour/: the list of tours, a tour's page (its itinerary, map and next
departures), booking a party (or joining the waiting list of a full departure), and the e-ticket that
the booking's unguessable code opens, with its iCalendar file.

Anyone may book, signed in or not. Payment is a VietQR transfer to the operator, who records it when
it arrives (as the centers do for events); the ticket's QR code then appears.
"""

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ocophub.accounts import permissions
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form
from ocophub.common.idempotency import run_once
from ocophub.common.money import format_vnd, round_vnd

from . import selectors_public as public
from . import services, tickets
from .forms_public import BookingForm, TourFilterForm
from .models import (
    ACTIVE_STATES,
    Booking,
    BookingState,
    BookingType,
    CheckIn,
    Departure,
    DepartureState,
    Tour,
    WaitlistEntry,
    WaitlistState,
)
from .selectors import DepartureSeats
from .services.base import max_party
from .services.bookings import departure_open_check

PAGE_SIZE = 12
MAX_PAGE = 200
LANGUAGES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "fr": "Français",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
}


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "")
    return min(int(text), MAX_PAGE) if text.isascii() and text.isdecimal() and 0 < len(text) < 5 else 1


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_safe
def tour_list(request: HttpRequest) -> HttpResponse:
    """The published tours, filtered by craft, village, center and days of departure, a page at a time."""
    form = TourFilterForm(request.GET, english=request.LANGUAGE_CODE == "en")
    valid = form.is_valid()
    number = _page_number(request)
    cards: list[dict[str, Any]] = []
    has_next = False
    if valid:
        data = form.cleaned_data
        rows = list(
            public.filtered_tours(
                craft_id=form.craft_ids[data["craft"]] if data.get("craft") else None,
                village_id=form.village_ids[data["lang"]] if data.get("lang") else None,
                center_id=form.center_ids[data["center"]] if data.get("center") else None,
                since=data.get("tu"),
                until=data.get("den"),
            )[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1]
        )
        has_next = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        departures = public.coming_departures([t.pk for t in rows])
        cards = [{"tour": t, "next": public.next_bookable(departures.get(t.pk, []))} for t in rows]
    return render(
        request,
        "tours/public/list.html",
        {
            "form": form,
            "cards": cards,
            "number": number,
            "has_next": has_next,
            "has_previous": number > 1,
            "filters_query": _query_without(request, "page"),
        },
        status=200 if valid else 400,
    )


def _tour(slug: str) -> Tour:
    tour = public.public_tour(slug)
    if tour is None:
        raise Http404
    return tour


def _map_points(tour: Tour, timeline: dict[str, Any]) -> list[dict[str, Any]]:
    """The itinerary for the route map: the meeting point (no number), then the stops with a place,
    numbered in their order. Drawn on a plain background when no tile server is set."""
    points = []
    if tour.meeting_latitude is not None and tour.meeting_longitude is not None:
        points.append(
            {
                "name": tour.meeting_point,
                "lat": float(tour.meeting_latitude),
                "lng": float(tour.meeting_longitude),
                "label": _("Meeting point"),
                "number": 0,
                "counted": True,
                "url": "",
            }
        )
    for row in timeline["rows"]:
        lat, lng, _status = row["place"]
        if lat is None or lng is None:
            continue
        stop = row["stop"]
        points.append(
            {
                "name": f"{stop.position}. {stop.title or _place_name(stop)}",
                "lat": float(lat),
                "lng": float(lng),
                "label": str(stop.get_kind_display()).capitalize(),
                "number": stop.position,
                "counted": True,
                "url": "",
            }
        )
    return points if len(points) > 1 or settings.MAP_TILE_URL else []


def _place_name(stop: Any) -> str:
    if stop.center is not None:
        return str(stop.center.name)
    if stop.craft_village is not None:
        return str(stop.craft_village.name)
    if stop.session_id:
        return str(stop.session.event.title)
    return str(stop.get_kind_display())


def _refund_rule(tour: Tour) -> list[dict[str, int]]:
    return sorted(tour.refund_rule or [], key=lambda tier: -int(tier["days"]))


@require_safe
def tour_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A published tour: what it offers, its rules, the timeline and map of its stops, and the coming
    departures with their free seats (a full one leads to its waiting list)."""
    tour = _tour(slug)
    departures = public.coming_departures([tour.pk]).get(tour.pk, [])
    first = public.next_bookable(departures) or (departures[0] if departures else None)
    timeline = tickets.timeline_of(tour, first.departure.starts_at if first else None)
    now = timezone.now()
    return render(
        request,
        "tours/public/tour.html",
        {
            "tour": tour,
            "photos": list(tour.photos.all()),
            "departures": [(row, public.bookable(row, now)) for row in departures],
            "timeline": timeline,
            "timeline_departure": first.departure if first else None,
            "map_points": _map_points(tour, timeline),
            "languages": [LANGUAGES.get(code, code) for code in tour.languages or []],
            "refund_rule": _refund_rule(tour),
            "on_request": tour.booking_type == BookingType.ON_REQUEST,
        },
    )


# --- booking ----------------------------------------------------------------------------------------


def _departure(slug: str, departure_id: int) -> Departure:
    departure = (
        Departure.objects.select_related("tour__operator", "capacity")
        .filter(pk=departure_id, tour__slug=slug, tour__in=public.public_tours())
        .first()
    )
    if departure is None:
        raise Http404
    return departure


def _seats_of(departure: Departure) -> DepartureSeats:
    rows = public.coming_departures([departure.tour_id], limit=10_000).get(departure.tour_id, [])
    found = next((row for row in rows if row.departure.pk == departure.pk), None)
    return found or DepartureSeats(departure, 0, departure.capacity.total if departure.capacity else 0)


def _closed_reason(departure: Departure) -> str:
    """Why the departure takes nobody now (the services' own words), or "" while it is open."""
    errors: dict[str, str] = {}
    departure_open_check(departure, errors, timezone.now())
    return errors.get("departure", "")


def _initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"key": uuid.uuid4().hex, "adults": 2, "children": 0}
    user = request.user
    if permissions.is_authenticated(user):
        initial.update(name=user.full_name, email=user.email or "", phone=user.phone or "")
    return initial


def _customer(request: HttpRequest) -> Any:
    return request.user if permissions.is_authenticated(request.user) else None


@require_http_methods(["GET", "HEAD", "POST"])
def book(request: HttpRequest, slug: str, departure_id: int) -> HttpResponse:
    """Book a party on a departure; a full one offers its waiting list instead. Nothing is written
    unless every detail is right (the services check them); the same form sent twice leads to the
    booking made the first time (its hidden key)."""
    departure = _departure(slug, departure_id)
    row = _seats_of(departure)
    free = row.free
    waitlist = free <= 0 or departure.state == DepartureState.SOLD_OUT
    status = 200
    problem: Problem | None = None
    if request.method == "POST":
        form = BookingForm(request.POST)
        waitlist = request.POST.get("action") == "waitlist"
        if not form.is_valid():
            problem, status = problem_from_form(form), 400
        else:
            data = form.cleaned_data
            details = {
                "departure": departure,
                "adults": data["adults"],
                "children": data["children"] if data["children"] is not None else 0,
                "name": data["name"],
                "email": data["email"],
                "phone": data["phone"],
                "customer": _customer(request),
            }
            try:
                if waitlist:
                    entry = services.waitlist_join(actor=request.user, **details)
                    return _joined(request, departure, entry)
                code = _book_once(request, departure, details, data)
                return redirect("tours:ticket", code=code)
            except services.BookingFull as full:
                problem, status, waitlist, free = problem_from_error(full, form), full.status, True, full.free
            except DomainError as error:
                problem, status = problem_from_error(error, form), error.status
    else:
        form = BookingForm(initial=_initial(request))
    tour = departure.tour
    return render(
        request,
        "tours/public/book.html",
        {
            "departure": departure,
            "tour": tour,
            "free": free,
            "total": row.vehicle_total,
            "waitlist": waitlist,
            "closed": _closed_reason(departure),
            "form": form,
            "problem": problem,
            "max_party": max_party(),
            "on_request": tour.booking_type == BookingType.ON_REQUEST,
        },
        status=status,
    )


def _book_once(
    request: HttpRequest, departure: Departure, details: dict[str, Any], data: dict[str, Any]
) -> str:
    def work() -> tuple[int, dict[str, str]]:
        booking = services.booking_create(actor=request.user, **details)
        return 201, {"code": booking.code}

    body = {k: v for k, v in data.items() if k != "key"} | {"departure": departure.pk}
    _status, answer = run_once(f"tours-book:{departure.pk}", data["key"] or None, body, work)
    return str(answer["code"])


def _joined(request: HttpRequest, departure: Departure, entry: WaitlistEntry) -> HttpResponse:
    if entry.state == WaitlistState.OFFERED and entry.booking_id:
        messages.success(request, _("Seats have just become free: they are held for you. Take them below."))
        return redirect("tours:ticket", code=Booking.objects.get(pk=entry.booking_id).code)
    position = WaitlistEntry.objects.filter(
        departure=departure, state=WaitlistState.WAITING, pk__lte=entry.pk
    ).count()
    messages.success(
        request,
        _(
            "You are on the waiting list (number %(n)s). When seats become free we offer them by e-mail to "
            "%(email)s, for a limited time."
        )
        % {"n": position or 1, "email": entry.email},
    )
    return redirect("tours:tour", slug=departure.tour.slug)


# --- the ticket -------------------------------------------------------------------------------------


def _booking(code: str) -> Booking:
    booking = (
        Booking.objects.select_related("departure__tour__operator", "departure__capacity")
        .filter(code=code)
        .first()
    )
    if booking is None or booking.code != code:
        raise Http404
    return booking


@require_safe
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    """The e-ticket: its QR code once confirmed, the VietQR transfer while unpaid, the waiting list's
    offer to take up, the iCalendar file and the cancel button (with what comes back)."""
    return _render_ticket(request, _booking(code))


def _render_ticket(
    request: HttpRequest, booking: Booking, *, problem: Problem | None = None, status: int = 200
) -> HttpResponse:
    departure = booking.departure
    tour = departure.tour
    now = timezone.now()
    paid, refunded = services.paid_of(booking), services.refunded_of(booking)
    due = max(booking.total - paid, 0)
    entry = WaitlistEntry.objects.filter(booking=booking).first()
    offer = entry if entry is not None and entry.state == WaitlistState.OFFERED else None
    checked_in = CheckIn.objects.filter(booking=booking).first()
    can_cancel = booking.state in ACTIVE_STATES and departure.starts_at > now and checked_in is None
    percent = services.refund_share(departure) if can_cancel else 0
    paid_left = paid - refunded
    confirmed = booking.state == BookingState.CONFIRMED
    return render(
        request,
        "tours/public/ticket.html",
        {
            "booking": booking,
            "departure": departure,
            "tour": tour,
            "paid": paid,
            "refunded": refunded,
            "due": due,
            "offer": offer,
            "offer_open": offer is not None and offer.offered_until is not None and offer.offered_until > now,
            "transfer": tickets.transfer_of(booking, due) if offer is None else None,
            "qr": tickets.ticket_qr_svg(booking, scale=6).decode() if confirmed else "",
            "checked_in": checked_in,
            "can_cancel": can_cancel,
            "refund_percent": percent,
            "refund_amount": round_vnd(Decimal(paid_left) * percent / 100) if paid_left > 0 else 0,
            "refund_rule": _refund_rule(tour),
            "hold_over": booking.state == BookingState.HELD
            and booking.expires_at is not None
            and booking.expires_at < now,
            "started": departure.starts_at <= now,
            "states": BookingState,
            "problem": problem,
        },
        status=status,
    )


@require_POST
def ticket_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """The visitor cancels: the seats go back and what was paid comes back by the tour's rule."""
    booking = _booking(code)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except DomainError as error:
        booking.refresh_from_db()
        return _render_ticket(request, booking, problem=problem_from_error(error), status=error.status)
    refunded = services.refunded_of(booking)
    if refunded:
        messages.success(
            request,
            _("Your booking is cancelled; %(amount)s is refunded to you.") % {"amount": format_vnd(refunded)},
        )
    else:
        messages.success(request, _("Your booking is cancelled."))
    return redirect("tours:ticket", code=booking.code)


@require_POST
def offer_accept(request: HttpRequest, code: str) -> HttpResponse:
    """The waiting party takes up the seats the offer holds."""
    booking = _booking(code)
    entry = WaitlistEntry.objects.filter(booking=booking).first()
    if entry is None:
        raise Http404
    try:
        services.waitlist_accept(actor=request.user, entry=entry)
    except DomainError as error:
        booking.refresh_from_db()
        return _render_ticket(request, booking, problem=problem_from_error(error), status=error.status)
    messages.success(request, _("The seats are yours."))
    return redirect("tours:ticket", code=booking.code)


@require_safe
def ticket_ics(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking(code)
    response = HttpResponse(tickets.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tour-{booking.code}.ics"'
    return response
