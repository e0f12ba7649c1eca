"""What the events API's operations share: the answers' shapes, the event, session or registration a
caller may see or act on, and the field names a service's refusal is told in."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from pydantic import BaseModel

from ocophub.accounts import permissions
from ocophub.common.errors import DomainError, NotFound
from ocophub.inventory.api import center_ref
from ocophub.sales import vietqr
from ocophub.seats.selectors import Seats

from . import selectors
from .models import (
    ACTIVE_STATES,
    Event,
    EventKind,
    EventState,
    PaymentMethod,
    Registration,
    RegistrationState,
    Session,
    SessionState,
)
from .services._base import clean_code


@contextmanager
def client_field_names(names: dict[str, str]) -> Iterator[None]:
    """A service's refusal, its fields named as the client sent them (`session_id`, not `session`)."""
    try:
        yield
    except DomainError as exc:
        exc.fields = {names.get(name, name): message for name, message in exc.fields.items()}
        raise


def as_json(schema: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """The answer as the client receives it, so that an Idempotency-Key replay is byte for byte the same."""
    return schema.model_validate(data).model_dump(mode="json")


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def event_out(event: Event) -> dict[str, Any]:
    """An event as the lists show it; `first_starts_at` and `min_price` when annotated."""
    return {
        "id": event.pk,
        "slug": event.slug,
        "kind": event.kind,
        "kind_label": str(EventKind(event.kind).label),
        "title": event.title,
        "state": event.state,
        "state_label": str(EventState(event.state).label),
        "center": center_ref(event.center),
        "address": event.address,
        "latitude": _number(event.latitude),
        "longitude": _number(event.longitude),
        "languages": list(event.languages or []),
        "is_illustrative": event.is_illustrative,
        "first_starts_at": getattr(event, "first_starts_at", None),
        "min_price": getattr(event, "min_price", None),
    }


def session_out(session: Session, counters: Seats | None) -> dict[str, Any]:
    return {
        "id": session.pk,
        "event_id": session.event_id,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "state": session.state,
        "state_label": str(SessionState(session.state).label),
        "price": session.price,
        "is_free": session.is_free,
        "makes": session.makes,
        "refund_rule": list(session.refund_rule or []),
        "seats": counters.total if counters else 0,
        "free_seats": max(counters.free, 0) if counters and session.state == SessionState.SCHEDULED else 0,
    }


def sessions_out(sessions: list[Session]) -> list[dict[str, Any]]:
    """Sessions with their seats, in one query for all of them."""
    counters = selectors.seats_by_session(sessions)
    return [session_out(s, counters.get(s.pk)) for s in sessions]


# --- who may see or act on what --------------------------------------------------------------------


def can_manage(user: Any, event: Event) -> bool:
    return permissions.can_manage_center_events(user, event.center)


def visible_event(request: HttpRequest, **where: Any) -> Event:
    """The event, when the caller may see it (published, or of a center they work at); 404 otherwise."""
    event = selectors.visible_events(request.user).filter(**where).first()
    if event is None:
        raise Http404
    return event


def managed_event(request: HttpRequest, event_id: int) -> Event:
    """The event, when the caller manages its center's events; 404 otherwise (never "forbidden")."""
    event = Event.objects.select_related("center").filter(pk=event_id).first()
    if event is None or not can_manage(request.user, event):
        raise Http404
    return event


def visible_session(request: HttpRequest, session_id: int) -> Session:
    session = Session.objects.select_related("event__center").filter(pk=session_id).first()
    if session is None:
        raise Http404
    event = session.event
    if event.state != EventState.PUBLISHED and not (
        can_manage(request.user, event) or permissions.can_view_city_overview(request.user)
    ):
        raise Http404
    return session


def managed_session(request: HttpRequest, session_id: int) -> Session:
    session = Session.objects.select_related("event__center").filter(pk=session_id).first()
    if session is None or not can_manage(request.user, session.event):
        raise Http404
    return session


# --- registrations ---------------------------------------------------------------------------------


def registrations_read() -> QuerySet[Registration]:
    """Registrations with what `registration_out` shows: their session, event, center and its bank
    account, check-in, and the paid and refunded sums, all in one query."""
    return selectors.registrations_with_money(
        Registration.objects.select_related("session__event__center__bank_account", "check_in")
    )


def registration_by_code(code: str) -> Registration:
    cleaned = clean_code(code)
    found = registrations_read().filter(code=cleaned).first() if cleaned else None
    if found is None:
        raise NotFound(_("No ticket has this code."), fields={"code": _("Unknown ticket.")})
    return found


def _checked_in_at(registration: Registration) -> Any:
    try:
        return registration.check_in.at
    except ObjectDoesNotExist:
        return None


def _payment_qr(registration: Registration) -> str | None:
    if registration.state != RegistrationState.HELD or registration.payment_method != PaymentMethod.VIETQR:
        return None
    if registration.amount <= 0:
        return None
    try:
        account = registration.session.event.center.bank_account
    except ObjectDoesNotExist:
        return None
    if not account.active:
        return None
    try:
        return vietqr.payload(
            bank_bin=account.bank_bin,
            account=account.account_number,
            amount=registration.amount,
            message=registration.code,
        )
    except ValueError:
        return None  # an account recorded with a malformed BIN or number: no code rather than a wrong one


def _money(registration: Registration) -> tuple[int, int, int]:
    paid = int(getattr(registration, "paid", 0) or 0)
    refunded = int(getattr(registration, "refunded", 0) or 0)
    due = max(registration.amount - paid, 0) if registration.state in ACTIVE_STATES else 0
    return paid, refunded, due


def registration_row(registration: Registration) -> dict[str, Any]:
    paid, refunded, _due = _money(registration)
    return {
        "code": registration.code,
        "state": registration.state,
        "state_label": str(RegistrationState(registration.state).label),
        "party_size": registration.party_size,
        "name": registration.name,
        "email": registration.email,
        "phone": registration.phone,
        "amount": registration.amount,
        "paid": paid,
        "refunded": refunded,
        "payment_method": registration.payment_method,
        "checked_in_at": _checked_in_at(registration),
        "created_at": registration.created_at,
    }


def registration_out(registration: Registration) -> dict[str, Any]:
    """One registration read by `registrations_read`: no further query."""
    paid, refunded, due = _money(registration)
    session = registration.session
    event = session.event
    return {
        **registration_row(registration),
        "session": {
            "id": session.pk,
            "event": {"id": event.pk, "slug": event.slug, "name": event.title},
            "center": center_ref(event.center),
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "state": session.state,
        },
        "due": due,
        "expires_at": registration.expires_at if registration.state == RegistrationState.HELD else None,
        "payment_qr": _payment_qr(registration),
    }


def registration_answer(registration: Registration) -> dict[str, Any]:
    """The registration as it stands after a write, read again (one query)."""
    return registration_out(registrations_read().get(pk=registration.pk))
