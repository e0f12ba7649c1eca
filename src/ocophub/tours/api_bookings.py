"""Tours API, bookings: a visitor's booking (guest or customer) and its ticket, cancelling, the
operator's confirmation and payments and a departure's list, the waiting list, and check-in by the
guide at the meeting point or by the staff of a center the itinerary stops at."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Schema, Status
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH, PUBLIC_AUTH
from ocophub.centers.models import Center
from ocophub.common.api import ERRORS_AUTH, ERRORS_PUBLIC, MAX_ID, MAX_LIMIT, MAX_OFFSET, paginate
from ocophub.common.errors import Conflict, NotFound
from ocophub.common.idempotency import MAX_KEY_LENGTH, run_once
from ocophub.events.api_common import as_json, client_field_names
from ocophub.sales.api_orders import ORDER_AUTH

from . import services
from .api_common import (
    booking_answer,
    booking_by_code,
    booking_out,
    booking_row,
    bookings_read,
    managed_booking,
    viewed_departure,
)
from .models import Departure, TourStop, WaitlistEntry, WaitlistState
from .schemas import (
    BookingCancelIn,
    BookingIn,
    BookingOut,
    BookingPage,
    BookingPaymentIn,
    BookingStateName,
    TourCheckInIn,
    TourCheckInOut,
    TourWaitlistIn,
    TourWaitlistOut,
)

router = Router(auth=API_AUTH)

CODE = r"^[A-Za-z0-9-]+$"  # a ticket code as printed (letters and digits, maybe grouped by dashes)
BOOKING_FIELDS = {"departure": "departure_id"}


def customer_of(request: HttpRequest) -> Any:
    return request.user if permissions.is_authenticated(request.user) else None


@router.post(
    "/bookings",
    auth=ORDER_AUTH,
    response={200: BookingOut, 201: BookingOut, **ERRORS_AUTH},
    summary="Book a departure",
)
def create_booking(
    request: HttpRequest,
    payload: BookingIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    """A guest or a logged-in customer books adults and children on a departure of a published tour
    before its cut-off. An instant tour holds the seats until `expires_at` (pay with `payment_qr`; a
    free one is confirmed at once); an on-request tour waits for the operator's confirmation. Keep
    `code`: it is the ticket.

    201 with the booking; the same `Idempotency-Key` and body answer 200 with the first booking again
    (one booking); the same key with another body is 422. Fewer free seats than the party (on the
    vehicle or any workshop) is 409 `full` (join the waiting list); no adult, a party of 0 or less,
    children without an adult where the tour says so, or a booking after the cut-off, is 422.
    Nothing is written when refused."""
    if not Departure.objects.filter(pk=payload.departure_id).exists():
        raise NotFound(_("No such departure."), fields={"departure_id": _("Does not exist.")})
    customer = customer_of(request)

    def work() -> tuple[int, Any]:
        with client_field_names(BOOKING_FIELDS):
            booking = services.booking_create(
                actor=customer,
                departure=payload.departure_id,
                adults=payload.adults,
                children=payload.children,
                name=payload.name,
                email=payload.email,
                phone=payload.phone,
                customer=customer,
            )
        return 201, as_json(BookingOut, booking_answer(booking))

    # guests are told apart by their e-mail, so that two guests who pick the same key never meet
    contact = payload.email.strip().lower()
    scope = f"tour-bookings:{request.user.pk}" if customer else f"tour-bookings:guest:{contact}"
    status, answer = run_once(scope, idempotency_key, payload.model_dump(mode="json"), work)
    return Status(status, answer)


@router.get(
    "/bookings/{code}",
    auth=PUBLIC_AUTH,
    response={200: BookingOut, **ERRORS_PUBLIC},
    summary="A booking, by its ticket code",
)
def get_booking(request: HttpRequest, code: str = Path(..., max_length=40, pattern=CODE)) -> dict:
    """Whoever holds the code (it is the secret of the ticket): one query."""
    return booking_out(booking_by_code(code))


@router.post(
    "/bookings/{code}/cancel",
    auth=ORDER_AUTH,
    response={200: BookingOut, **ERRORS_AUTH},
    summary="Cancel a booking",
)
def cancel_booking(
    request: HttpRequest, payload: BookingCancelIn, code: str = Path(..., max_length=40, pattern=CODE)
) -> dict:
    """Whoever holds the code, before the departure leaves (409 `started` after): the seats go back,
    what was paid comes back by the tour's cancellation rule, the waiting list is offered the seats."""
    booking = booking_by_code(code)
    services.booking_cancel(actor=customer_of(request), booking=booking, reason=payload.reason)
    return booking_answer(booking)


@router.post(
    "/bookings/{code}/confirm",
    response={200: BookingOut, **ERRORS_AUTH},
    summary="Confirm an on-request booking",
)
def confirm_booking(request: HttpRequest, code: str = Path(..., max_length=40, pattern=CODE)) -> dict:
    """The operator accepts a booking awaiting confirmation: its seats are taken, payment is due.
    Another state is 409; another operator's booking is 404."""
    booking = managed_booking(request, code)
    services.booking_confirm(actor=request.user, booking=booking)
    return booking_answer(booking)


@router.post(
    "/bookings/{code}/payments",
    response={200: BookingOut, **ERRORS_AUTH},
    summary="Record a booking's payment",
)
def pay_booking(
    request: HttpRequest, payload: BookingPaymentIn, code: str = Path(..., max_length=40, pattern=CODE)
) -> dict:
    """The operator records the VietQR transfer of what is due (`reference`: the transfer's): a held
    booking's seats become taken. Paid already is 409 `paid`; awaiting confirmation 409
    `not_confirmed`; expired or cancelled 409."""
    booking = managed_booking(request, code)
    services.booking_pay(actor=request.user, booking=booking, reference=payload.reference)
    return booking_answer(booking)


class BookingQuery(Schema):
    state: BookingStateName | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/departures/{departure_id}/bookings",
    response={200: BookingPage, **ERRORS_AUTH},
    summary="A departure's bookings",
)
def list_bookings(
    request: HttpRequest, filters: Query[BookingQuery], departure_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict:
    """The operator's members and the tourism department: every booking of the departure, newest
    first, with what was paid and refunded and the check-in; three queries whatever the page."""
    departure = viewed_departure(request, departure_id)
    rows = bookings_read().filter(departure=departure)
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    count, page = paginate(rows.order_by("-pk"), filters.limit, filters.offset)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [booking_row(b) for b in page],
    }


# --- the waiting list ------------------------------------------------------------------------------


def entry_out(entry: WaitlistEntry) -> dict[str, Any]:
    offered = entry.state == WaitlistState.OFFERED and entry.booking_id is not None
    return {
        "id": entry.pk,
        "departure_id": entry.departure_id,
        "state": entry.state,
        "state_label": str(WaitlistState(entry.state).label),
        "adults": entry.adults,
        "children": entry.children,
        "offered_until": entry.offered_until if offered else None,
        "offer_code": entry.booking.code if offered and entry.booking else None,
    }


@router.post(
    "/departures/{departure_id}/waitlist",
    auth=ORDER_AUTH,
    response={201: TourWaitlistOut, **ERRORS_AUTH},
    summary="Join a departure's waiting list",
)
def join_waitlist(
    request: HttpRequest, payload: TourWaitlistIn, departure_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status:
    """A guest or a customer waits for seats of a departure. Freed seats are offered in the order of
    joining as a held booking open until `offered_until` (its code comes by e-mail, or here as
    `offer_code` when seats are free at once); take them with POST /tours/bookings/{code}/accept. The
    same e-mail twice is 409 `already_waiting`."""
    if not Departure.objects.filter(pk=departure_id).exists():
        raise Http404
    customer = customer_of(request)
    entry = services.waitlist_join(
        actor=customer,
        departure=departure_id,
        adults=payload.adults,
        children=payload.children,
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        customer=customer,
    )
    entry = WaitlistEntry.objects.select_related("booking").get(pk=entry.pk)
    return Status(201, entry_out(entry))


@router.post(
    "/bookings/{code}/accept",
    auth=ORDER_AUTH,
    response={200: BookingOut, **ERRORS_AUTH},
    summary="Take seats offered from the waiting list",
)
def accept_offer(request: HttpRequest, code: str = Path(..., max_length=40, pattern=CODE)) -> dict:
    """The code of the held booking offered to a waiting party: it stays held until the offer's end
    and is paid as any other (a free tour's is confirmed now). An offer run out is 409
    `offer_expired`; a booking that is no open offer is 409 `no_offer`."""
    booking = booking_by_code(code)
    entry = WaitlistEntry.objects.filter(booking=booking).first()
    if entry is None:
        raise Conflict(
            _("There is no open offer on this waiting-list entry."),
            fields={"code": _("No open offer.")},
            code="no_offer",
        )
    services.waitlist_accept(actor=customer_of(request), entry=entry)
    return booking_answer(booking)


# --- check-in --------------------------------------------------------------------------------------


@router.post("/check-ins", response={201: TourCheckInOut, **ERRORS_AUTH}, summary="Check a tour's ticket in")
def check_in(request: HttpRequest, payload: TourCheckInIn) -> Status:
    """The guide (a member of the tour's operator) scans the ticket at the meeting point; or the staff
    of a center the itinerary stops at scan it there (`center_id`). The party is checked in once: a
    second scan is **409 `already_checked_in`** (the message says when). An unpaid booking is 409
    `not_paid`; a cancelled departure 409; a ticket the caller may not scan, or an unknown code, 404."""
    booking = booking_by_code(payload.code)
    tour = booking.departure.tour
    if payload.center_id is not None:
        center = Center.objects.filter(pk=payload.center_id).first()
        stops_there = TourStop.objects.filter(tour=tour, center_id=payload.center_id).exists()
        if center is None or not stops_there or not permissions.can_check_in_at(request.user, center):
            raise NotFound(
                _("No such center among yours on this tour."), fields={"center_id": _("Does not exist.")}
            )
    elif not permissions.can_manage_operator_tours(request.user, tour.operator):
        raise NotFound(_("No ticket has this code."), fields={"code": _("Unknown ticket.")})
    try:
        made = services.check_in_by_code(actor=request.user, code=payload.code)
    except Conflict as refused:
        if refused.code == "already_checked_in":
            at = booking_by_code(payload.code).check_in.at
            refused.message = _("Already checked in at %(at)s.") % {
                "at": f"{timezone.localtime(at):%H:%M %d/%m/%Y}"
            }
        raise
    return Status(
        201,
        {"code": booking.code, "heads": made.heads, "at": made.at, "booking": booking_answer(booking)},
    )
