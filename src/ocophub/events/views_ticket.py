"""The ticket's public pages (/su-kien/ve/<code>/, opened by the ticket's unguessable code alone):
the ticket with its QR code or the VietQR transfer, cancelling, a waiting list's offer taken up, the
iCalendar files, and a center's feed."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ocophub.centers.models import PUBLIC_STATUSES, Center
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error
from ocophub.common.money import format_vnd, round_vnd

from . import selectors, services, tickets
from .forms_public import AcceptForm
from .models import (
    ACTIVE_STATES,
    CheckIn,
    PaymentMethod,
    Registration,
    RegistrationState,
    WaitlistEntry,
    WaitlistState,
)

# --- the ticket -------------------------------------------------------------------------------------


def _registration(code: str) -> Registration:
    registration = selectors.registration_by_code(code)
    if registration is None or registration.code != code:
        raise Http404
    return registration


def _refund_preview(registration: Registration, paid_left: int) -> tuple[int, int]:
    """The percent and the đồng the visitor gets back by cancelling now (the session's rule)."""
    percent = services.refund_share(registration.session)
    return percent, round_vnd(Decimal(paid_left) * percent / 100) if paid_left > 0 else 0


@require_safe
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    """The ticket: its QR code once confirmed, the VietQR transfer while unpaid, the waiting list's
    offer to take up, the iCalendar file and the cancel button (with what comes back)."""
    registration = _registration(code)
    return _render_ticket(request, registration)


def _render_ticket(
    request: HttpRequest, registration: Registration, *, problem: Problem | None = None, status: int = 200
) -> HttpResponse:
    session = registration.session
    now = timezone.now()
    balance = selectors.balance_of(registration)
    entry = WaitlistEntry.objects.filter(registration=registration).first()
    offer = entry if entry is not None and entry.state == WaitlistState.OFFERED else None
    checked_in = CheckIn.objects.filter(registration=registration).first()
    active = registration.state in ACTIVE_STATES
    can_cancel = active and session.starts_at > now and checked_in is None
    paid_left = balance.paid - balance.refunded
    percent, refund_amount = _refund_preview(registration, paid_left) if can_cancel else (0, 0)
    confirmed = registration.state == RegistrationState.CONFIRMED
    return render(
        request,
        "events/public/ticket.html",
        {
            "registration": registration,
            "session": session,
            "event": session.event,
            "balance": balance,
            "offer": offer,
            "offer_open": offer is not None and offer.offered_until is not None and offer.offered_until > now,
            "accept_form": AcceptForm(initial={"payment_method": PaymentMethod.VIETQR}),
            "transfer": tickets.transfer_of(registration) if offer is None else None,
            "qr": tickets.ticket_qr_svg(registration, scale=6).decode() if confirmed else "",
            "checked_in": checked_in,
            "can_cancel": can_cancel,
            "refund_percent": percent,
            "refund_amount": refund_amount,
            "refund_rule": sorted(session.refund_rule or [], key=lambda tier: -int(tier["days"])),
            "hold_over": registration.state == RegistrationState.HELD
            and registration.expires_at is not None
            and registration.expires_at < now,
            "started": session.starts_at <= now,
            "states": RegistrationState,
            "problem": problem,
        },
        status=status,
    )


@require_POST
def ticket_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """The visitor cancels: the seats go back and what was paid comes back by the session's rule."""
    registration = _registration(code)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except DomainError as error:
        registration.refresh_from_db()
        return _render_ticket(request, registration, problem=problem_from_error(error), status=error.status)
    balance = selectors.balance_of(registration)
    if balance.refunded:
        messages.success(
            request,
            _("Your registration is cancelled; %(amount)s is refunded to you.")
            % {"amount": format_vnd(balance.refunded)},
        )
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:ticket", code=registration.code)


@require_POST
def offer_accept(request: HttpRequest, code: str) -> HttpResponse:
    """The waiting party takes up the seats the offer holds (paid by VietQR, at the door, or free)."""
    registration = _registration(code)
    entry = WaitlistEntry.objects.filter(registration=registration).first()
    if entry is None:
        raise Http404
    form = AcceptForm(request.POST)
    method = (
        form.cleaned_data["payment_method"] if form.is_valid() else request.POST.get("payment_method", "")
    )
    try:
        services.waitlist_accept(
            actor=request.user, entry=entry, payment_method=method or PaymentMethod.VIETQR
        )
    except DomainError as error:
        registration.refresh_from_db()
        return _render_ticket(request, registration, problem=problem_from_error(error), status=error.status)
    messages.success(request, _("The seats are yours."))
    return redirect("events:ticket", code=registration.code)


def _calendar_response(data: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def ticket_ics(request: HttpRequest, code: str) -> HttpResponse:
    registration = _registration(code)
    return _calendar_response(
        tickets.registration_ics(registration), f"ve-{registration.code}.ics", attachment=True
    )


@require_safe
def center_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """A public center's published sessions as an iCalendar feed that calendar apps subscribe to."""
    center = Center.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).first()
    if center is None:
        raise Http404
    response = _calendar_response(tickets.center_feed_ics(center), f"{center.slug}.ics", attachment=False)
    response["Cache-Control"] = "public, max-age=900"
    return response
