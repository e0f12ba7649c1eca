"""E-mails to registered and waiting parties, sent after the commit (never while a lock is held)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocophub.common.money import format_vnd

from .models import PaymentMethod, Registration, RegistrationState, Session, WaitlistEntry


def _when(session: Session) -> str:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return f"{start:%d/%m/%Y %H:%M}–{end:%H:%M}"


def ticket_link(code: str) -> str:
    """The ticket page's address (absolute with SITE_URL): the code is the key, as the shop's token."""
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{reverse('events:ticket', args=[code])}"


def _send(to: str, subject: str, lines: list[str]) -> None:
    send_mail(subject, "\n".join(lines) + "\n", settings.DEFAULT_FROM_EMAIL, [to])


def registration_made(registration_id: int) -> None:
    """The ticket (confirmed) or the transfer to make (held for payment)."""
    registration = Registration.objects.select_related("session__event__center").get(pk=registration_id)
    session = registration.session
    with translation.override("vi"):
        lines = [
            _("Hello %(name)s,") % {"name": registration.name},
            "",
            f"{session.event.title} — {_when(session)}",
            f"{session.event.address or session.event.center.name}",
            _("People: %(n)s") % {"n": registration.party_size},
        ]
        if registration.state == RegistrationState.HELD:
            lines += [
                _("Amount: %(amount)s") % {"amount": format_vnd(registration.amount, "vi")},
                _("Pay by bank transfer before %(until)s, or the seats go to the next visitor.")
                % {"until": f"{timezone.localtime(registration.expires_at):%H:%M %d/%m/%Y}"}
                if registration.expires_at
                else "",
                _("Transfer message: %(code)s") % {"code": registration.code},
                _("Pay and follow your registration here: %(link)s")
                % {"link": ticket_link(registration.code)},
            ]
            subject = _("Seats held: %(title)s") % {"title": session.event.title}
        else:
            lines.append(_("Ticket code: %(code)s") % {"code": registration.code})
            if registration.payment_method == PaymentMethod.DOOR and registration.amount:
                lines.append(
                    _("Pay %(amount)s at the door.") % {"amount": format_vnd(registration.amount, "vi")}
                )
            lines.append(_("Show this code (or its QR code on the ticket page) at the entrance."))
            lines.append(_("Your ticket: %(link)s") % {"link": ticket_link(registration.code)})
            subject = _("Your ticket: %(title)s") % {"title": session.event.title}
        _send(registration.email, subject, lines)


def registration_cancelled(registration_id: int) -> None:
    registration = Registration.objects.select_related("session__event").get(pk=registration_id)
    with translation.override("vi"):
        _send(
            registration.email,
            _("Registration cancelled: %(title)s") % {"title": registration.session.event.title},
            [
                _("Hello %(name)s,") % {"name": registration.name},
                "",
                _("Your registration %(code)s for %(when)s is cancelled.")
                % {"code": registration.code, "when": _when(registration.session)},
            ],
        )


def registration_expired(registration_id: int) -> None:
    registration = Registration.objects.select_related("session__event").get(pk=registration_id)
    with translation.override("vi"):
        _send(
            registration.email,
            _("Seats released: %(title)s") % {"title": registration.session.event.title},
            [
                _("Hello %(name)s,") % {"name": registration.name},
                "",
                _("No payment came in time, so the seats held for you on %(when)s were released.")
                % {"when": _when(registration.session)},
            ],
        )


def waitlist_offered(entry_id: int) -> None:
    entry = WaitlistEntry.objects.select_related("session__event", "registration").get(pk=entry_id)
    if entry.offered_until is None or entry.registration is None:
        return
    with translation.override("vi"):
        _send(
            entry.email,
            _("Seats free for you: %(title)s") % {"title": entry.session.event.title},
            [
                _("Hello %(name)s,") % {"name": entry.name},
                "",
                _(
                    "%(n)s seats on %(when)s are held for you until %(until)s. "
                    "Take them before then, or they go to the next in line."
                )
                % {
                    "n": entry.party_size,
                    "when": _when(entry.session),
                    "until": f"{timezone.localtime(entry.offered_until):%H:%M %d/%m/%Y}",
                },
                _("Take the seats here: %(link)s") % {"link": ticket_link(entry.registration.code)},
                # the code also takes the offer through the API (POST …/registrations/{code}/accept)
                _("Ticket code: %(code)s") % {"code": entry.registration.code},
            ],
        )


def session_cancelled(
    session_id: int, registration_ids: list[int], entry_ids: list[int], reason: str
) -> None:
    """Every registered party (told of the full refund) and every waiting one."""
    session = Session.objects.select_related("event").get(pk=session_id)
    with translation.override("vi"):
        subject = _("Session cancelled: %(title)s") % {"title": session.event.title}
        for registration in Registration.objects.filter(pk__in=registration_ids).order_by("pk"):
            _send(
                registration.email,
                subject,
                [
                    _("Hello %(name)s,") % {"name": registration.name},
                    "",
                    _("The session of %(when)s is cancelled: %(reason)s")
                    % {"when": _when(session), "reason": reason},
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
                    _("The session of %(when)s is cancelled: %(reason)s")
                    % {"when": _when(session), "reason": reason},
                ],
            )


def parties_messaged(registration_ids: list[int], subject: str, message: str) -> None:
    """The center's own message to the registered parties of a session."""
    for registration in Registration.objects.filter(pk__in=registration_ids).order_by("pk"):
        send_mail(subject, message + "\n", settings.DEFAULT_FROM_EMAIL, [registration.email])
