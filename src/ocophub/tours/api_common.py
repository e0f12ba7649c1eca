"""What the tours API's operations share: the answers' shapes, the tour, departure or booking a caller
may see or act on (another operator's are 404, never "forbidden")."""

import datetime as dt
from typing import Any

from django.db.models import DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.common.errors import NotFound
from ocophub.inventory.api import center_ref
from ocophub.sales import vietqr

from . import planner, selectors
from .models import (
    ACTIVE_STATES,
    Booking,
    BookingState,
    Departure,
    DepartureState,
    Operator,
    PaymentState,
    Refund,
    StopKind,
    Tour,
    TourState,
)
from .models import Payment as TourPayment
from .services.base import clean_code

NEXT_DEPARTURES = 20
DETAIL_DAYS = 92


def number(value: Any) -> float | None:
    return float(value) if value is not None else None


def operator_out(operator: Operator) -> dict[str, Any]:
    return {
        name: getattr(operator, name)
        for name in (
            "id",
            "name",
            "kind",
            "licence_number",
            "contact_name",
            "phone",
            "email",
            "bank_bin",
            "bank_name",
            "account_number",
            "account_holder",
            "is_active",
            "is_illustrative",
        )
    }


def tour_out(tour: Tour) -> dict[str, Any]:
    """A tour as the lists show it (read with its operator)."""
    return {
        "id": tour.pk,
        "slug": tour.slug,
        "title": tour.title,
        "summary": tour.summary,
        "operator": {"id": tour.operator.pk, "name": tour.operator.name},
        "state": tour.state,
        "state_label": str(TourState(tour.state).label),
        "languages": list(tour.languages or []),
        "meeting_point": tour.meeting_point,
        "meeting_latitude": number(tour.meeting_latitude),
        "meeting_longitude": number(tour.meeting_longitude),
        "adult_price": tour.adult_price,
        "child_price": tour.child_price,
        "booking_type": tour.booking_type,
        "is_illustrative": tour.is_illustrative,
    }


def departure_out(row: selectors.DepartureSeats) -> dict[str, Any]:
    d = row.departure
    return {
        "id": d.pk,
        "tour_id": d.tour_id,
        "starts_at": d.starts_at,
        "state": d.state,
        "state_label": str(DepartureState(d.state).label),
        "seats": row.vehicle_total,
        "free_seats": row.free if d.state == DepartureState.SCHEDULED else 0,
    }


def departure_seats(departure: Departure) -> selectors.DepartureSeats:
    """One departure with its free seats (three queries)."""
    day = timezone.localdate(departure.starts_at)
    for row in selectors.departures_with_seats(day, day, tour=departure.tour, running_only=False):
        if row.departure.pk == departure.pk:
            return row
    raise Http404


def stops_out(tour: Tour, starts_at: dt.datetime | None) -> tuple[list[dict[str, Any]], Any]:
    """The itinerary in order with the planner's timeline from the meeting point and back (two queries:
    the stops, their centers' opening hours). The plan is None when no stop has a known place."""
    stops = selectors.itinerary(tour)
    placed, _unplaced = planner.plan_stops(stops)
    by_key: dict[Any, int] = {p.key: n for n, p in enumerate(placed)}
    plan = None
    if placed:
        first = placed[0].point
        start = (
            planner.Point(float(tour.meeting_latitude), float(tour.meeting_longitude))
            if tour.meeting_latitude is not None and tour.meeting_longitude is not None
            else first
        )
        plan = planner.timeline(placed, start, start, starts_at)
    warnings = {w.key: w.message for w in plan.warnings} if plan else {}
    out = []
    for stop in stops:
        n = by_key.get(stop.pk)
        village = stop.craft_village
        out.append(
            {
                "id": stop.pk,
                "position": stop.position,
                "kind": stop.kind,
                "kind_label": str(StopKind(stop.kind).label),
                "title": stop.title,
                "minutes": stop.minutes,
                "note": stop.note,
                "center": center_ref(stop.center) if stop.center else None,
                "village": {"id": village.pk, "slug": village.slug, "name": village.name}
                if village
                else None,
                "session_id": stop.session_id,
                "latitude": number(placed[n].latitude) if n is not None else None,
                "longitude": number(placed[n].longitude) if n is not None else None,
                "arrives_at": plan.arrivals[n] if plan and n is not None and plan.arrivals else None,
                "travel_minutes": round(plan.legs[n], 1) if plan and n is not None else None,
                "warning": warnings.get(stop.pk),
            }
        )
    return out, plan


def tour_detail(tour: Tour) -> dict[str, Any]:
    """One tour with its itinerary (timed on the next departure) and its next departures with seats."""
    today = timezone.localdate()
    rows = [
        r
        for r in selectors.departures_with_seats(today, today + dt.timedelta(days=DETAIL_DAYS), tour=tour)
        if r.departure.starts_at > timezone.now() and r.departure.state == DepartureState.SCHEDULED
    ][:NEXT_DEPARTURES]
    stops, plan = stops_out(tour, rows[0].departure.starts_at if rows else None)
    return {
        **tour_out(tour),
        "description": tour.description,
        "included": tour.included,
        "excluded": tour.excluded,
        "children_need_adult": tour.children_need_adult,
        "cutoff_hours": tour.cutoff_hours,
        "refund_rule": list(tour.refund_rule or []),
        "stops": stops,
        "travel_minutes": round(plan.travel_minutes, 1) if plan else None,
        "ends_at": plan.ends_at if plan else None,
        "next_departures": [departure_out(r) for r in rows],
    }


# --- who may see or act on what --------------------------------------------------------------------


def reads_everything(user: Any) -> bool:
    """The tourism department and the city's administrators read every operator's tours."""
    return permissions.can_manage_operators(user)


def visible_tours(user: Any) -> QuerySet[Tour]:
    """Published tours; an operator's members also see its drafts and archived ones; the city all."""
    rows = Tour.objects.select_related("operator")
    if reads_everything(user):
        return rows
    own = member_operator_ids(user)
    return rows.filter(Q(state=TourState.PUBLISHED) | Q(operator_id__in=own))


def member_operator_ids(user: Any) -> list[int]:
    if not permissions.is_authenticated(user):
        return []
    return sorted(permissions.scope_ids(user, Role.OPERATOR_MEMBER))


def managed_tour(request: HttpRequest, tour_id: int) -> Tour:
    """The tour, when the caller manages its operator's tours; 404 otherwise."""
    tour = Tour.objects.select_related("operator").filter(pk=tour_id).first()
    if tour is None or not permissions.can_manage_operator_tours(request.user, tour.operator):
        raise Http404
    return tour


def viewed_tour(request: HttpRequest, tour_id: int) -> Tour:
    """The tour, when the caller may read its operator's departures and bookings; 404 otherwise."""
    tour = Tour.objects.select_related("operator").filter(pk=tour_id).first()
    if tour is None or not permissions.can_view_operator_tours(request.user, tour.operator):
        raise Http404
    return tour


def managed_departure(request: HttpRequest, departure_id: int) -> Departure:
    departure = Departure.objects.select_related("tour__operator", "capacity").filter(pk=departure_id).first()
    if departure is None or not permissions.can_manage_operator_tours(request.user, departure.tour.operator):
        raise Http404
    return departure


def viewed_departure(request: HttpRequest, departure_id: int) -> Departure:
    departure = Departure.objects.select_related("tour__operator", "capacity").filter(pk=departure_id).first()
    if departure is None or not permissions.can_view_operator_tours(request.user, departure.tour.operator):
        raise Http404
    return departure


# --- bookings --------------------------------------------------------------------------------------


def bookings_read() -> QuerySet[Booking]:
    """Bookings with what `booking_out` shows: departure, tour, operator, check-in, and the paid and
    refunded sums (subqueries), in one query."""
    paid = (
        TourPayment.objects.filter(booking=OuterRef("pk"), state=PaymentState.SUCCEEDED)
        .values("booking")
        .annotate(n=Sum("amount"))
        .values("n")
    )
    refunded = (
        Refund.objects.filter(payment__booking=OuterRef("pk"), state=PaymentState.SUCCEEDED)
        .values("payment__booking")
        .annotate(n=Sum("amount"))
        .values("n")
    )
    money = DecimalField(max_digits=20, decimal_places=0)
    return Booking.objects.select_related("departure__tour__operator", "check_in").annotate(
        paid_sum=Coalesce(Subquery(paid, output_field=money), Value(0), output_field=IntegerField()),
        refunded_sum=Coalesce(Subquery(refunded, output_field=money), Value(0), output_field=IntegerField()),
    )


def booking_by_code(code: str) -> Booking:
    cleaned = clean_code(code)
    found = bookings_read().filter(code=cleaned).first() if cleaned else None
    if found is None:
        raise NotFound(_("No ticket has this code."), fields={"code": _("Unknown ticket.")})
    return found


def checked_in_at(booking: Booking) -> Any:
    try:
        return booking.check_in.at
    except Booking.check_in.RelatedObjectDoesNotExist:
        return None


def money(booking: Booking) -> tuple[int, int, int]:
    paid = int(getattr(booking, "paid_sum", 0) or 0)
    refunded = int(getattr(booking, "refunded_sum", 0) or 0)
    due = max(booking.total - paid, 0) if booking.state in ACTIVE_STATES else 0
    return paid, refunded, due


def booking_row(booking: Booking) -> dict[str, Any]:
    paid, refunded, _due = money(booking)
    return {
        "code": booking.code,
        "state": booking.state,
        "state_label": str(BookingState(booking.state).label),
        "adults": booking.adults,
        "children": booking.children,
        "name": booking.name,
        "email": booking.email,
        "phone": booking.phone,
        "total": booking.total,
        "paid": paid,
        "refunded": refunded,
        "checked_in_at": checked_in_at(booking),
        "created_at": booking.created_at,
    }


def payment_qr(booking: Booking, due: int) -> str | None:
    operator = booking.departure.tour.operator
    if booking.state != BookingState.HELD or due <= 0 or not operator.bank_bin or not operator.account_number:
        return None
    try:
        return vietqr.payload(
            bank_bin=operator.bank_bin, account=operator.account_number, amount=due, message=booking.code
        )
    except ValueError:
        return None  # an account recorded with a malformed BIN or number: no code rather than a wrong one


def booking_out(booking: Booking) -> dict[str, Any]:
    """One booking read by `bookings_read`: no further query."""
    _paid, _refunded, due = money(booking)
    departure = booking.departure
    tour = departure.tour
    return {
        **booking_row(booking),
        "departure": {
            "id": departure.pk,
            "tour": {"id": tour.pk, "slug": tour.slug, "name": tour.title},
            "starts_at": departure.starts_at,
            "state": departure.state,
            "meeting_point": tour.meeting_point,
        },
        "due": due,
        "expires_at": booking.expires_at
        if booking.state in (BookingState.HELD, BookingState.PENDING)
        else None,
        "payment_qr": payment_qr(booking, due),
    }


def booking_answer(booking: Booking) -> dict[str, Any]:
    """The booking as it stands after a write, read again (one query)."""
    return booking_out(bookings_read().get(pk=booking.pk))


def managed_booking(request: HttpRequest, code: str) -> Booking:
    booking = booking_by_code(code)
    if not permissions.can_manage_operator_tours(request.user, booking.departure.tour.operator):
        raise Http404
    return booking
