"""Tickets: the QR code of a registration's code, its iCalendar file, and a center's iCalendar feed.

The QR code carries the ticket code alone (a keyboard-wedge scanner types it into the check-in
field); it never changes, so it is drawn once and kept in the cache (catalogue.qr).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from ocophub.catalogue.qr import qr_svg
from ocophub.centers.models import Center
from ocophub.sales import vietqr
from ocophub.sales.models import BankAccount

if TYPE_CHECKING:  # icalendar (4 MB) is imported when a file is made
    from icalendar import Calendar
    from icalendar import Event as VEvent

from .models import EventState, PaymentMethod, Registration, RegistrationState, Session, SessionState

FEED_PAST_DAYS = 30
FEED_LIMIT = 500


def ticket_payload(registration: Registration) -> str:
    return registration.code


def ticket_qr_svg(registration: Registration, scale: int = 4) -> bytes:
    """The ticket's QR code as SVG, drawn once per code and cached: a regular QR code (never a Micro
    QR code, which phone cameras and the browser's BarcodeDetector do not read)."""
    return qr_svg(ticket_payload(registration), scale=scale, full=True)


def transfer_of(registration: Registration) -> dict[str, Any] | None:
    """The VietQR transfer that pays a held registration: payload, SVG and message; None when there is
    nothing to pay this way or the center has no usable account."""
    if registration.state != RegistrationState.HELD or registration.payment_method != PaymentMethod.VIETQR:
        return None
    if registration.amount <= 0:
        return None
    center_id = registration.session.event.center_id
    account = BankAccount.objects.filter(center_id=center_id, active=True).first()
    if account is None:
        return None
    try:
        text = vietqr.payload(
            bank_bin=account.bank_bin,
            account=account.account_number,
            amount=registration.amount,
            message=registration.code,
        )
    except ValueError:
        return None
    return {
        "account": account,
        "payload": text,
        "svg": vietqr.svg(text),
        "message": vietqr.fold_message(registration.code),
    }


def _where(session: Session) -> str:
    event = session.event
    return event.address or ", ".join(part for part in (event.center.name, event.center.address) if part)


def _vevent(session: Session, uid: str, summary: str, description: str) -> VEvent:
    from icalendar import Event as VEvent

    item = VEvent()
    item.add("uid", uid)
    item.add("dtstamp", timezone.now().astimezone(dt.UTC))
    item.add("dtstart", session.starts_at.astimezone(dt.UTC))
    item.add("dtend", session.ends_at.astimezone(dt.UTC))
    item.add("summary", summary)
    item.add("location", _where(session))
    if description:
        item.add("description", description)
    event = session.event
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    elif event.center.latitude is not None and event.center.longitude is not None:
        item.add("geo", (float(event.center.latitude), float(event.center.longitude)))
    return item


def _calendar(name: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//OCOP Hub//events//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _host() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").split("//", 1)[-1].split("/", 1)[0]


def registration_ics(registration: Registration) -> bytes:
    """The registration's session as an iCalendar file (one VEVENT), with the ticket code."""
    registration = Registration.objects.select_related("session__event__center").get(pk=registration.pk)
    session = registration.session
    calendar = _calendar(session.event.title)
    description = f"{registration.name} × {registration.party_size} · {registration.code}"
    calendar.add_component(
        _vevent(session, f"registration-{registration.code}@{_host()}", session.event.title, description)
    )
    return calendar.to_ical()


def center_feed_ics(center: Center) -> bytes:
    """The center's published sessions from a month back onwards, as an iCalendar feed: one query."""
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    sessions = (
        Session.objects.filter(
            event__center=center,
            event__state=EventState.PUBLISHED,
            state=SessionState.SCHEDULED,
            ends_at__gt=since,
        )
        .select_related("event__center")
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )
    calendar = _calendar(center.name)
    for session in sessions:
        calendar.add_component(
            _vevent(session, f"session-{session.pk}@{_host()}", session.event.title, session.makes)
        )
    return calendar.to_ical()
