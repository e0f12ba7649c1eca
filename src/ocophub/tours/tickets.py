"""Tour tickets: the QR code of a booking's code, the VietQR transfer that pays it (to the operator's
account) and its iCalendar file."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from ocophub.catalogue.qr import qr_svg
from ocophub.sales import vietqr

from . import planner
from . import selectors as tour_selectors
from .models import Booking, BookingState, Tour


def ticket_qr_svg(booking: Booking, scale: int = 4) -> bytes:
    """The ticket's QR code (the code alone, a regular QR code), drawn once per code and cached."""
    return qr_svg(booking.code, scale=scale, full=True)


def transfer_of(booking: Booking, due: int) -> dict[str, Any] | None:
    """The VietQR transfer of what is due on a held booking, to the operator's account; None when
    nothing is due this way or the operator has no usable account."""
    operator = booking.departure.tour.operator
    if booking.state != BookingState.HELD or due <= 0 or not operator.bank_bin or not operator.account_number:
        return None
    try:
        text = vietqr.payload(
            bank_bin=operator.bank_bin, account=operator.account_number, amount=due, message=booking.code
        )
    except ValueError:
        return None
    return {
        "operator": operator,
        "payload": text,
        "svg": vietqr.svg(text),
        "message": vietqr.fold_message(booking.code),
    }


def timeline_of(tour: Tour, starts_at: dt.datetime | None) -> dict[str, Any]:
    """The itinerary as the tour page shows it: each stop with its arrival, planned minutes, the travel
    to it and its opening-hours warning; the legs from the meeting point and back to it."""
    stops = tour_selectors.itinerary(tour)
    placed, unplaced = planner.plan_stops(stops)
    if tour.meeting_latitude is not None and tour.meeting_longitude is not None:
        start = planner.Point(float(tour.meeting_latitude), float(tour.meeting_longitude))
    elif placed:
        start = placed[0].point
    else:
        start = None
    rows: list[dict[str, Any]] = []
    plan = None
    if start is not None and placed:
        plan = planner.timeline(placed, start, start, starts_at)
    by_key = {stop.key: n for n, stop in enumerate(placed)}
    warnings = {w.key: w.message for w in plan.warnings} if plan else {}
    # the great-circle distance × the road factor of each leg, in whole km, as the travel time uses
    route = [start, *(stop.point for stop in placed), start] if start is not None else []
    kms = [
        round(planner.distance_km(a, b) * planner.road_factor())
        for a, b in zip(route, route[1:], strict=False)
    ]
    for stop in stops:
        n = by_key.get(stop.pk)
        rows.append(
            {
                "stop": stop,
                "arrives_at": plan.arrivals[n] if plan and n is not None and plan.arrivals else None,
                "travel": round(plan.legs[n]) if plan and n is not None else None,
                "km": kms[n] if plan and n is not None else None,
                "warning": warnings.get(stop.pk, ""),
                "place": _place_of(stop),
            }
        )
    return {
        "rows": rows,
        "back": round(plan.legs[-1]) if plan else None,
        "back_km": kms[-1] if plan and kms else None,
        "ends_at": plan.ends_at if plan else None,
        "travel": round(plan.travel_minutes) if plan else None,
        "placed": placed,
        "unplaced": unplaced,
    }


def _place_of(stop: Any) -> tuple[Any, Any, str]:
    if stop.latitude is not None and stop.longitude is not None:
        return stop.latitude, stop.longitude, ""
    if stop.center is not None:
        return stop.center.latitude, stop.center.longitude, stop.center.status
    if stop.session_id:
        center = stop.session.event.center
        return center.latitude, center.longitude, center.status
    return None, None, ""


def booking_ics(booking: Booking) -> bytes:
    """The booking's departure as an iCalendar file (one VEVENT), with the ticket code."""
    departure = booking.departure
    tour = departure.tour
    timeline = timeline_of(tour, departure.starts_at)
    ends_at = timeline["ends_at"] or departure.starts_at + dt.timedelta(hours=8)
    from icalendar import Calendar  # imported when a file is made (4 MB in memory)
    from icalendar import Event as VEvent

    calendar = Calendar()
    calendar.add("prodid", "-//OCOP Hub//tours//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", tour.title)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    item = VEvent()
    host = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").split("//", 1)[-1].split("/", 1)[0]
    item.add("uid", f"tour-booking-{booking.code}@{host}")
    item.add("dtstamp", timezone.now().astimezone(dt.UTC))
    item.add("dtstart", departure.starts_at.astimezone(dt.UTC))
    item.add("dtend", ends_at.astimezone(dt.UTC))
    item.add("summary", tour.title)
    item.add("location", tour.meeting_point)
    item.add("description", f"{booking.name} × {booking.party} · {booking.code}")
    if tour.meeting_latitude is not None and tour.meeting_longitude is not None:
        item.add("geo", (float(tour.meeting_latitude), float(tour.meeting_longitude)))
    calendar.add_component(item)
    return calendar.to_ical()
