"""E-mails to booked and waiting parties, sent after the commit (never while a lock is held)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocophub.common.money import format_vnd

from .models import Booking, BookingState, Departure, WaitlistEntry


def _when(departure: Departure) -> str:
    return f"{timezone.localtime(departure.starts_at):%H:%M %d/%m/%Y}"


def _send(to: str, subject: str, lines: list[str]) -> None:
    send_mail(subject, "\n".join(lines) + "\n", settings.DEFAULT_FROM_EMAIL, [to])


def booking_made(booking_id: int) -> None:
    """The ticket (confirmed), the transfer to make (held), or "the operator will answer" (on request)."""
    booking = Booking.objects.select_related("departure__tour__operator").get(pk=booking_id)
    departure = booking.departure
    tour = departure.tour
    with translation.override("vi"):
        lines = [
            _("Hello %(name)s,") % {"name": booking.name},
            "",
            f"{tour.title} — {_when(departure)}",
            _("Meeting point: %(place)s") % {"place": tour.meeting_point},
            _("Adults: %(adults)s, children: %(children)s")
            % {"adults": booking.adults, "children": booking.children},
            _("Total: %(amount)s") % {"amount": format_vnd(booking.total, "vi")},
        ]
        if booking.state == BookingState.PENDING:
            lines.append(_("The operator confirms your booking soon; we will write to you."))
            subject = _("Booking received: %(title)s") % {"title": tour.title}
        elif booking.state == BookingState.HELD:
            if booking.expires_at:
                lines.append(
                    _("Pay by bank transfer before %(until)s, or the seats go to the next visitor.")
                    % {"until": f"{timezone.localtime(booking.expires_at):%H:%M %d/%m/%Y}"}
                )
            lines.append(_("Transfer message: %(code)s") % {"code": booking.code})
            subject = _("Seats held: %(title)s") % {"title": tour.title}
        else:
            lines.append(_("Ticket code: %(code)s") % {"code": booking.code})
            lines.append(_("Show this code (or its QR code on the ticket page) to the guide."))
            subject = _("Your ticket: %(title)s") % {"title": tour.title}
        _send(booking.email, subject, lines)


def booking_cancelled(booking_id: int) -> None:
    booking = Booking.objects.select_related("departure__tour").get(pk=booking_id)
    with translation.override("vi"):
        _send(
            booking.email,
            _("Booking cancelled: %(title)s") % {"title": booking.departure.tour.title},
            [
                _("Hello %(name)s,") % {"name": booking.name},
                "",
                _("Your booking %(code)s for %(when)s is cancelled.")
                % {"code": booking.code, "when": _when(booking.departure)},
            ],
        )


def booking_expired(booking_id: int) -> None:
    booking = Booking.objects.select_related("departure__tour").get(pk=booking_id)
    with translation.override("vi"):
        _send(
            booking.email,
            _("Seats released: %(title)s") % {"title": booking.departure.tour.title},
            [
                _("Hello %(name)s,") % {"name": booking.name},
                "",
                _(
                    "The seats held for you on %(when)s were released: "
                    "the booking was not paid or confirmed in time."
                )
                % {"when": _when(booking.departure)},
            ],
        )


def waitlist_offered(entry_id: int) -> None:
    entry = WaitlistEntry.objects.select_related("departure__tour").get(pk=entry_id)
    if entry.offered_until is None:
        return
    with translation.override("vi"):
        _send(
            entry.email,
            _("Seats free for you: %(title)s") % {"title": entry.departure.tour.title},
            [
                _("Hello %(name)s,") % {"name": entry.name},
                "",
                _(
                    "%(n)s seats on %(when)s are held for you until %(until)s. "
                    "Take them before then, or they go to the next in line."
                )
                % {
                    "n": entry.party,
                    "when": _when(entry.departure),
                    "until": f"{timezone.localtime(entry.offered_until):%H:%M %d/%m/%Y}",
                },
            ],
        )


def departure_cancelled(departure_id: int, booking_ids: list[int], entry_ids: list[int], reason: str) -> None:
    """Every booked party (told of the full refund) and every waiting one."""
    departure = Departure.objects.select_related("tour").get(pk=departure_id)
    with translation.override("vi"):
        subject = _("Departure cancelled: %(title)s") % {"title": departure.tour.title}
        for booking in Booking.objects.filter(pk__in=booking_ids).order_by("pk"):
            _send(
                booking.email,
                subject,
                [
                    _("Hello %(name)s,") % {"name": booking.name},
                    "",
                    _("The departure of %(when)s is cancelled: %(reason)s")
                    % {"when": _when(departure), "reason": reason},
                    _("Everything you paid is refunded."),
                ],
            )
        for entry in WaitlistEntry.objects.filter(pk__in=entry_ids).order_by("pk"):
            _send(
                entry.email,
                subject,
                [
                    _("Hello %(name)s,") % {"name": entry.name},
                    "",
                    _("The departure of %(when)s is cancelled: %(reason)s")
                    % {"when": _when(departure), "reason": reason},
                ],
            )
