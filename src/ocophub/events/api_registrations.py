"""Events API, registrations: a visitor's registration (guest or customer) and its ticket, cancelling,
the staff's payments and lists, the waiting list, check-in at the door and head counts."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Schema, Status
from ninja.errors import AuthorizationError
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH, PUBLIC_AUTH
from ocophub.centers.models import Center
from ocophub.common.api import ERRORS_AUTH, ERRORS_PUBLIC, MAX_ID, MAX_LIMIT, MAX_OFFSET, paginate
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, NotFound
from ocophub.common.idempotency import MAX_KEY_LENGTH, run_once
from ocophub.inventory.schemas import Day
from ocophub.sales.api_orders import ORDER_AUTH

from . import selectors, services
from .api_common import (
    as_json,
    can_manage,
    client_field_names,
    managed_session,
    registration_answer,
    registration_by_code,
    registration_out,
    registration_row,
    registrations_read,
)
from .api_events import MAX_RANGE_DAYS, range_check
from .models import Session, WaitlistEntry, WaitlistState
from .schemas import (
    CheckInIn,
    CheckInOut,
    HeadCountsOut,
    OfferAcceptIn,
    RegistrationCancelIn,
    RegistrationIn,
    RegistrationOut,
    RegistrationPage,
    RegistrationPaymentIn,
    RegistrationStateName,
    WaitlistEntryOut,
    WaitlistIn,
)

router = Router(auth=API_AUTH)

CODE = r"^[A-Za-z0-9-]+$"  # a ticket code as printed (letters and digits, maybe grouped by dashes)
REGISTRATION_FIELDS = {"session": "session_id"}


@router.post(
    "/registrations",
    auth=ORDER_AUTH,
    response={200: RegistrationOut, 201: RegistrationOut, **ERRORS_AUTH},
    summary="Register a party for a session",
)
def create_registration(
    request: HttpRequest,
    payload: RegistrationIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    """A guest or a logged-in customer registers a party for a session of a published event that has
    not started. A free session, or one paid at the door, is confirmed at once; one paid by VietQR
    holds its seats until `expires_at` (pay with `payment_qr`). Keep `code`: it is the ticket.

    201 with the registration; the same `Idempotency-Key` and body answer 200 with the first
    registration again (one registration); the same key with another body is 422. Fewer free seats
    than the party is 409 `full` (join the waiting list: POST /events/sessions/{id}/waitlist); the same
    e-mail twice for a session is 409 `already_registered`; a party of 0 or less, or larger than the
    session or EVENTS_MAX_PARTY, is 422. Nothing is written when refused."""
    session = Session.objects.filter(pk=payload.session_id).first()
    if session is None:
        raise NotFound(_("No such session."), fields={"session_id": _("Does not exist.")})
    user = request.user
    customer = user if permissions.is_authenticated(user) else None

    def work() -> tuple[int, Any]:
        with client_field_names(REGISTRATION_FIELDS):
            registration = services.registration_create(
                actor=customer,
                session=session,
                party_size=payload.party_size,
                name=payload.name,
                email=payload.email,
                phone=payload.phone,
                customer=customer,
                payment_method=payload.payment_method,
            )
        return 201, as_json(RegistrationOut, registration_answer(registration))

    # guests are told apart by their e-mail, so that two guests who pick the same key never meet
    contact = payload.email.strip().lower()
    scope = f"event-registrations:{user.pk}" if customer else f"event-registrations:guest:{contact}"
    status, answer = run_once(scope, idempotency_key, payload.model_dump(mode="json"), work)
    return Status(status, answer)


@router.get(
    "/registrations/{code}",
    auth=PUBLIC_AUTH,
    response={200: RegistrationOut, **ERRORS_PUBLIC},
    summary="A registration, by its ticket code",
)
def get_registration(request: HttpRequest, code: str = Path(..., max_length=40, pattern=CODE)) -> dict:
    """Whoever holds the code (it is the secret of the ticket): one query."""
    return registration_out(registration_by_code(code))


@router.post(
    "/registrations/{code}/cancel",
    auth=ORDER_AUTH,
    response={200: RegistrationOut, **ERRORS_AUTH},
    summary="Cancel a registration",
)
def cancel_registration(
    request: HttpRequest, payload: RegistrationCancelIn, code: str = Path(..., max_length=40, pattern=CODE)
) -> dict:
    """Whoever holds the code, before the session starts (409 `started` after): the seats go back,
    what was paid comes back by the session's cancellation rule, the waiting list is offered the seats."""
    registration = registration_by_code(code)
    actor = request.user if permissions.is_authenticated(request.user) else None
    services.registration_cancel(actor=actor, registration=registration, reason=payload.reason)
    return registration_answer(registration)


@router.post(
    "/registrations/{code}/payments",
    response={200: RegistrationOut, **ERRORS_AUTH},
    summary="Record a registration's payment",
)
def pay_registration(
    request: HttpRequest, payload: RegistrationPaymentIn, code: str = Path(..., max_length=40, pattern=CODE)
) -> dict:
    """Staff of the event's center record the money received: `vietqr` for a transfer that arrived (the
    held seats become taken), `door` for cash at the desk (what is left to pay). Nothing left to pay
    is 409 `nothing_due`; an expired or cancelled registration is 409."""
    registration = registration_by_code(code)
    if not can_manage(request.user, registration.session.event):
        raise Http404
    if payload.method == "vietqr":
        services.registration_pay(actor=request.user, registration=registration, reference=payload.reference)
    else:
        services.registration_pay_at_door(
            actor=request.user, registration=registration, reference=payload.reference
        )
    return registration_answer(registration)


class RegistrationQuery(Schema):
    state: RegistrationStateName | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/sessions/{session_id}/registrations",
    response={200: RegistrationPage, **ERRORS_AUTH},
    summary="A session's registrations",
)
def list_registrations(
    request: HttpRequest, filters: Query[RegistrationQuery], session_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The staff of the event's center: every registration of the session, newest first, with what
    was paid and refunded and the check-in; two queries whatever the page."""
    session = managed_session(request, session_id)
    rows = registrations_read().filter(session=session)
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    count, page = paginate(rows.order_by("-pk"), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [registration_row(r) for r in page],
    }


# --- the waiting list ------------------------------------------------------------------------------


def entry_out(entry: WaitlistEntry) -> dict[str, Any]:
    offered = entry.state == WaitlistState.OFFERED and entry.registration_id is not None
    return {
        "id": entry.pk,
        "session_id": entry.session_id,
        "state": entry.state,
        "state_label": str(WaitlistState(entry.state).label),
        "party_size": entry.party_size,
        "position": selectors.waitlist_position(entry),
        "offered_until": entry.offered_until if offered else None,
        "offer_code": entry.registration.code if offered and entry.registration else None,
    }


@router.post(
    "/sessions/{session_id}/waitlist",
    auth=ORDER_AUTH,
    response={201: WaitlistEntryOut, **ERRORS_AUTH},
    summary="Join a session's waiting list",
)
def join_waitlist(
    request: HttpRequest, payload: WaitlistIn, session_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """A guest or a customer waits for seats of a full session. Freed seats are offered in the order of
    joining, as a held registration open until `offered_until` (its code comes by e-mail, or here as
    `offer_code` when seats are free at once); take them with POST /events/registrations/{code}/accept.
    The same e-mail twice is 409 `already_waiting` (or `already_registered`)."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise Http404
    customer = request.user if permissions.is_authenticated(request.user) else None
    entry = services.waitlist_join(
        actor=customer,
        session=session,
        party_size=payload.party_size,
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        customer=customer,
    )
    entry = WaitlistEntry.objects.select_related("registration").get(pk=entry.pk)
    return Status(201, entry_out(entry))


@router.post(
    "/registrations/{code}/accept",
    auth=ORDER_AUTH,
    response={200: RegistrationOut, **ERRORS_AUTH},
    summary="Take seats offered from the waiting list",
)
def accept_offer(
    request: HttpRequest, payload: OfferAcceptIn, code: str = Path(..., max_length=40, pattern=CODE)
) -> dict:
    """The code of the held registration offered to a waiting party: a free session (or one paid at the
    door) is confirmed now; one paid by VietQR stays held until the offer's end. An offer run out is
    409 `offer_expired`; a registration that is no open offer is 409."""
    registration = registration_by_code(code)
    entry = WaitlistEntry.objects.filter(registration=registration).first()
    if entry is None:
        raise Conflict(
            _("There is no open offer on this waiting-list entry."),
            fields={"code": _("No open offer.")},
            code="no_offer",
        )
    actor = request.user if permissions.is_authenticated(request.user) else None
    services.waitlist_accept(actor=actor, entry=entry, payment_method=payload.payment_method)
    return registration_answer(registration)


# --- check-in and head counts ----------------------------------------------------------------------


@router.post("/check-ins", response={201: CheckInOut, **ERRORS_AUTH}, summary="Check a ticket in at a center")
def check_in(request: HttpRequest, payload: CheckInIn) -> Status:
    """Staff of the center scan (or type) a ticket at its door: the party is checked in once, and a
    party paying at the door pays what is due (a payment row). 201 with the check-in.

    A second scan of the same ticket is **409 `already_checked_in`** (nothing is written; the message
    says when it was checked in). A ticket of another center's event is 422 `other_center`; an unpaid
    (held) one 409 `not_paid`; a cancelled one 409 `state_cancelled`; an unknown code 404."""
    center = Center.objects.filter(pk=payload.center_id).first()
    if center is None or not permissions.can_check_in_at(request.user, center):
        raise NotFound(_("No such center among yours."), fields={"center_id": _("Does not exist.")})
    try:
        with client_field_names({"hold": "code"}):
            made = services.check_in_by_code(actor=request.user, code=payload.code, center=center)
    except Conflict as refused:
        if refused.code == "already_checked_in":
            first = registration_by_code(payload.code)
            at = first.check_in.at if hasattr(first, "check_in") else None
            if at is not None:
                refused.message = _("Already checked in at %(at)s.") % {
                    "at": f"{timezone.localtime(at):%H:%M %d/%m/%Y}"
                }
        raise
    registration = registrations_read().get(pk=made.registration_id)
    return Status(
        201,
        {
            "code": registration.code,
            "heads": made.heads,
            "at": made.at,
            "registration": registration_out(registration),
        },
    )


class HeadsQuery(Schema):
    date_from: Day | None = Field(None, alias="from", description="First day (default: 30 days ago)")
    date_to: Day | None = Field(
        None, alias="to", description=f"Last day (default: today), at most {MAX_RANGE_DAYS} days on"
    )
    center_id: int | None = Field(None, ge=1, le=MAX_ID)


@router.get("/heads", response={200: HeadCountsOut, **ERRORS_AUTH}, summary="Head counts")
def head_counts(request: HttpRequest, filters: Query[HeadsQuery]) -> dict:
    """People checked in per center, per day and per session over the days `from`..`to` (both
    included, at most 92 days apart): the city sees every center, a center's staff their centers
    (another center is 404); anyone else is 403. Three queries."""
    until = filters.date_to or local_today()
    since = filters.date_from or until - dt.timedelta(days=30)
    range_check(since, until, max_days=MAX_RANGE_DAYS)
    user = request.user
    if permissions.can_view_city_overview(user):
        center_ids: set[int] | None = None
    else:
        center_ids = selectors.event_center_ids(user)
        if not center_ids:
            raise AuthorizationError
    if filters.center_id is not None:
        if center_ids is not None and filters.center_id not in center_ids:
            raise NotFound(_("No such center among yours."), fields={"center_id": _("Does not exist.")})
        center_ids = {filters.center_id}
    counts = selectors.head_counts(since=since, until=until, center_ids=center_ids)
    return {
        "since": since,
        "until": until,
        "total": counts.total,
        "per_center": [
            {
                "center": {"id": row["center_id"], "slug": row["center__slug"], "name": row["center__name"]},
                "heads": row["heads"],
            }
            for row in counts.per_center
        ],
        "per_day": [{"day": row["day"], "heads": row["heads"]} for row in counts.per_day],
        "per_session": [
            {
                "session_id": row["session_id"],
                "event": {
                    "id": row["session__event_id"],
                    "slug": row["session__event__slug"],
                    "name": row["session__event__title"],
                },
                "center_id": row["center_id"],
                "starts_at": row["session__starts_at"],
                "heads": row["heads"],
            }
            for row in counts.per_session
        ],
    }
