"""A center's sessions for its staff: adding one or a recurring series to an event, then each session's
page of registrations (its head counts, the waiting list), its edit, cancel and message forms, the
payments taken at the door or confirmed by transfer, and the attendee list in Excel."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ocophub.centers.models import Center
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form

from . import exports, selectors_center, services
from .forms_center import (
    REFUND_RULES,
    MessageForm,
    PaymentForm,
    ReasonForm,
    RecurrenceForm,
    SessionEditForm,
    SessionForm,
    rule_key,
)
from .models import PaymentMethod, RegistrationState, Session, SessionState
from .views_center import center_for, event_write, status_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_ALIASES = {"starts_at": "day", "ends_at": "end"}
RECURRENCE_ALIASES = {"duration": "end", "rule": "weekdays", "starts_at": "starts_on", "ends_at": "end"}


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


@require_POST
def session_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One session of the event: its day, times, seats, price, what is made, cancellation rule."""

    def act(event: Any, data: dict[str, Any]) -> Session:
        return services.session_create(
            actor=request.user,
            event=event,
            starts_at=_aware(data["day"], data["start"]),
            ends_at=_aware(data["day"], data["end"]),
            capacity=data["capacity"],
            price=data["price"] or 0,
            makes=data["makes"],
            refund_rule=REFUND_RULES[data["refund_rule"]],
        )

    return event_write(
        request,
        slug,
        pk,
        key="session",
        form_class=SessionForm,
        act=act,
        done=lambda session: (
            _("The session of %(day)s is added.")
            % {"day": f"{timezone.localtime(session.starts_at):%d/%m/%Y %H:%M}"}
        ),
        aliases=SESSION_ALIASES,
    )


@require_POST
def sessions_recurring(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Sessions repeating daily or on chosen weekdays, until a day or for a count: all or none."""

    def act(event: Any, data: dict[str, Any]) -> list[Session]:
        first = dt.datetime.combine(data["starts_on"], data["start"])
        rule: dict[str, Any] = {"freq": data["freq"]}
        if data["freq"] == "weekly":
            rule["byweekday"] = data["weekdays"]
        return services.sessions_create_recurring(
            actor=request.user,
            event=event,
            rule=rule,
            starts_on=data["starts_on"],
            start_time=data["start"],
            duration=dt.datetime.combine(data["starts_on"], data["end"]) - first,
            capacity=data["capacity"],
            price=data["price"] or 0,
            until=data["until"],
            count=data["count"],
            makes=data["makes"],
            refund_rule=REFUND_RULES[data["refund_rule"]],
        )

    return event_write(
        request,
        slug,
        pk,
        key="recurrence",
        form_class=RecurrenceForm,
        act=act,
        done=lambda made: (
            ngettext("%(n)s session is added.", "%(n)s sessions are added.", len(made)) % {"n": len(made)}
        ),
        aliases=RECURRENCE_ALIASES,
    )


def _session_or_404(center: Center, pk: int) -> Session:
    session = selectors_center.center_session(center, pk)
    if session is None:
        raise Http404
    return session


def session_page(
    request: HttpRequest,
    center: Center,
    session: Session,
    *,
    status: int = 200,
    key: str = "",
    problem: Problem | None = None,
    **bound: Any,
) -> HttpResponse:
    """The session's registrations, waiting list and head counts, with the staff's forms."""
    data = selectors_center.session_registrations(session)
    edit_form = bound.get("edit_form") or SessionEditForm(
        initial={
            "capacity": data.seats.total if data.seats else 0,
            "price": session.price,
            "makes": session.makes,
            "refund_rule": rule_key(session.refund_rule),
        }
    )
    cancelled = session.state == SessionState.CANCELLED
    message_form = bound.get("message_form") or MessageForm(
        initial={"subject": _("About %(title)s") % {"title": session.event.title}} if not cancelled else {}
    )
    return render(
        request,
        "events/center/session.html",
        {
            "center": center,
            "event": session.event,
            "session": session,
            "data": data,
            "active_people": data.people.get(RegistrationState.HELD, 0)
            + data.people.get(RegistrationState.CONFIRMED, 0),
            "confirmed_people": data.people.get(RegistrationState.CONFIRMED, 0),
            "held_people": data.people.get(RegistrationState.HELD, 0),
            "edit_form": edit_form,
            "cancel_form": bound.get("cancel_form") or ReasonForm(),
            "message_form": message_form,
            "pay_form": PaymentForm(),
            "problem": problem,
            "problem_key": key,
            "open_form": key,
            "started": session.starts_at <= timezone.now(),
            "cancelled": cancelled,
            "vietqr": PaymentMethod.VIETQR,
            "door": PaymentMethod.DOOR,
        },
        status=status,
    )


@require_GET
def session_registrations(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    return session_page(request, center, _session_or_404(center, pk))


def _session_write(
    request: HttpRequest,
    slug: str,
    pk: int,
    *,
    key: str,
    form_class: type,
    act: Any,
    done: Any,
) -> HttpResponse:
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    session = _session_or_404(center, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return session_page(
            request,
            center,
            session,
            status=400,
            key=key,
            problem=problem_from_form(form),
            **{f"{key}_form": form},
        )
    try:
        result = act(session, form.cleaned_data)
    except DomainError as error:
        problem = problem_from_error(error, form)
        return session_page(
            request,
            center,
            _session_or_404(center, pk),
            status=status_of(error),
            key=key,
            problem=problem,
            **{f"{key}_form": form},
        )
    messages.success(request, done(result) if callable(done) else done)
    return redirect("events_center:session", slug=center.slug, pk=session.pk)


@require_POST
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def act(session: Session, data: dict[str, Any]) -> Session:
        return services.session_update(
            actor=request.user,
            session=session,
            capacity=data["capacity"],
            price=data["price"] or 0,
            makes=data["makes"],
            refund_rule=REFUND_RULES[data["refund_rule"]],
        )

    return _session_write(
        request, slug, pk, key="edit", form_class=SessionEditForm, act=act, done=_("The session is saved.")
    )


@require_POST
def session_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _session_write(
        request,
        slug,
        pk,
        key="cancel",
        form_class=ReasonForm,
        act=lambda session, data: services.session_cancel(
            actor=request.user, session=session, reason=data["reason"]
        ),
        done=_("The session is cancelled: every party is refunded in full and told by e-mail."),
    )


@require_POST
def session_message(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _session_write(
        request,
        slug,
        pk,
        key="message",
        form_class=MessageForm,
        act=lambda session, data: services.session_message_parties(
            actor=request.user, session=session, subject=data["subject"], message=data["message"]
        ),
        done=lambda n: (
            ngettext("The message is sent to %(n)s party.", "The message is sent to %(n)s parties.", n)
            % {"n": n}
        ),
    )


@require_GET
def session_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The session's attendee list as an Excel file."""
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    session = _session_or_404(center, pk)
    response = HttpResponse(exports.attendees_workbook(session), content_type=XLSX)
    day = timezone.localtime(session.starts_at)
    response["Content-Disposition"] = f'attachment; filename="nguoi-tham-du-{session.pk}-{day:%Y-%m-%d}.xlsx"'
    return response


def _registration_write(request: HttpRequest, slug: str, pk: int, *, act: Any, done: str) -> HttpResponse:
    center = center_for(request, slug)
    if isinstance(center, HttpResponse):
        return center
    registration = selectors_center.center_registration(center, pk)
    if registration is None:
        raise Http404
    session = _session_or_404(center, registration.session_id)
    try:
        act(registration)
    except DomainError as error:
        return session_page(
            request,
            center,
            session,
            status=status_of(error),
            key=f"registration-{registration.pk}",
            problem=problem_from_error(error),
        )
    messages.success(request, done % {"code": registration.code, "name": registration.name})
    return redirect("events_center:session", slug=center.slug, pk=session.pk)


@require_POST
def registration_pay(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A transfer seen on the center's account (VietQR), or the money taken at the door."""
    form = PaymentForm(request.POST)
    reference = form.cleaned_data["reference"] if form.is_valid() else ""

    def act(registration: Any) -> Any:
        if registration.payment_method == PaymentMethod.DOOR:
            return services.registration_pay_at_door(actor=request.user, registration=registration)
        return services.registration_pay(actor=request.user, registration=registration, reference=reference)

    return _registration_write(
        request, slug, pk, act=act, done=_("The payment of %(name)s (%(code)s) is recorded.")
    )


@require_POST
def registration_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "").strip()[:300] or _("Cancelled by the center.")
    return _registration_write(
        request,
        slug,
        pk,
        act=lambda registration: services.registration_cancel(
            actor=request.user, registration=registration, reason=reason
        ),
        done=_("The registration of %(name)s (%(code)s) is cancelled."),
    )
