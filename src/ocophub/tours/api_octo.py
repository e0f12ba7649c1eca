"""OCTO-shaped endpoints for agencies and resellers, under /api/v1/octo (the OCTO open standard's
field names for what is covered; see the README for what is and is not).

Who calls: a member of a tour operator with their personal API token (`Authorization: Bearer`), as
the operator's channel to a reseller (the operator makes the token for the reseller's system), or the
city's administrators. The products are the caller's operators' published tours; another operator's
product, availability or booking is 404. A product has one option, "DEFAULT", with the units "adult"
and "child"; an availability is one departure (its id); a booking's uuid is its ticket code.
Confirming a booking means the reseller has taken the money: a held booking's due is recorded as a
payment with the reference "OCTO <resellerReference>".
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH
from ocophub.common.api import ERRORS_AUTH
from ocophub.common.errors import DomainError, NotFound
from ocophub.events.api_events import range_check

from . import selectors, services
from .api_common import booking_by_code, member_operator_ids, reads_everything
from .api_tours import MAX_RANGE_DAYS
from .models import (
    ACTIVE_STATES,
    Booking,
    BookingState,
    BookingType,
    Departure,
    DepartureState,
    Tour,
    TourState,
    TourStop,
)
from .schemas import (
    OctoAvailability,
    OctoAvailabilityIn,
    OctoBooking,
    OctoBookingIn,
    OctoCancelIn,
    OctoConfirmIn,
    OctoContact,
    OctoProduct,
)
from .services.bookings import departure_open_check

router = Router(tags=["octo"], auth=API_AUTH)

OPTION = "DEFAULT"
UNITS = ("adult", "child")
CODE = r"^[A-Za-z0-9-]+$"
STATUS = {
    BookingState.HELD: "ON_HOLD",
    BookingState.PENDING: "ON_HOLD",
    BookingState.CONFIRMED: "CONFIRMED",
    BookingState.CANCELLED: "CANCELLED",
    BookingState.EXPIRED: "EXPIRED",
}


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def is_id(text: str) -> bool:
    """An id as OCTO sends it, a string: ASCII digits within the databases' integers."""
    return text.isascii() and text.isdigit() and 0 < len(text) <= 18 and int(text) > 0


def products_of(request: HttpRequest) -> QuerySet[Tour]:
    rows = Tour.objects.select_related("operator").filter(state=TourState.PUBLISHED)
    if reads_everything(request.user) and permissions.is_city_admin(request.user):
        return rows
    return rows.filter(operator_id__in=member_operator_ids(request.user))


def product(request: HttpRequest, product_id: str) -> Tour:
    found = products_of(request).filter(pk=int(product_id)).first() if is_id(product_id) else None
    if found is None:
        raise NotFound(_("No such product."), fields={"productId": _("Unknown product.")})
    return found


def option_check(option_id: str) -> None:
    if option_id != OPTION:
        raise NotFound(_("No such option."), fields={"optionId": _("Unknown option.")})


def product_out(tour: Tour, start_times: list[str]) -> dict[str, Any]:
    unit_limits = {"minAge": None, "maxAge": None, "minQuantity": None, "maxQuantity": None}
    return {
        "id": str(tour.pk),
        "internalName": tour.title,
        "reference": tour.slug,
        "locale": "vi-VN",
        "timeZone": "Asia/Ho_Chi_Minh",
        "allowFreesale": False,
        "instantConfirmation": tour.booking_type == BookingType.INSTANT,
        "instantDelivery": True,
        "availabilityRequired": True,
        "availabilityType": "START_TIME",
        "deliveryFormats": ["QRCODE"],
        "deliveryMethods": ["VOUCHER"],
        "redemptionMethod": "DIGITAL",
        "options": [
            {
                "id": OPTION,
                "default": True,
                "internalName": tour.title,
                "reference": tour.slug,
                "availabilityLocalStartTimes": start_times,
                "cancellationCutoff": f"{tour.cutoff_hours} hours",
                "cancellationCutoffAmount": tour.cutoff_hours,
                "cancellationCutoffUnit": "hour",
                "requiredContactFields": ["fullName", "emailAddress"],
                "restrictions": {"minUnits": 1, "maxUnits": None},
                "units": [
                    {
                        "id": "adult",
                        "internalName": "Người lớn",
                        "reference": "adult",
                        "type": "ADULT",
                        "restrictions": unit_limits,
                    },
                    {
                        "id": "child",
                        "internalName": "Trẻ em",
                        "reference": "child",
                        "type": "CHILD",
                        "restrictions": unit_limits,
                    },
                ],
            }
        ],
    }


def start_times_of(tours: list[Tour]) -> dict[int, list[str]]:
    """The local start times (HH:MM) of each tour's coming departures, in one query."""
    times: dict[int, set[str]] = {}
    rows = Departure.objects.filter(
        tour__in=tours, state=DepartureState.SCHEDULED, starts_at__gt=timezone.now()
    ).values_list("tour_id", "starts_at")
    for tour_id, starts_at in rows:
        times.setdefault(tour_id, set()).add(f"{timezone.localtime(starts_at):%H:%M}")
    return {pk: sorted(found) for pk, found in times.items()}


@router.get("/products", response={200: list[OctoProduct], **ERRORS_AUTH}, summary="OCTO: products")
def octo_products(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's operators' published tours as OCTO products (two queries)."""
    tours = list(products_of(request).order_by("pk")[:500])
    times = start_times_of(tours)
    return [product_out(t, times.get(t.pk, [])) for t in tours]


@router.get("/products/{product_id}", response={200: OctoProduct, **ERRORS_AUTH}, summary="OCTO: a product")
def octo_product(
    request: HttpRequest, product_id: str = Path(..., max_length=18, pattern=r"^[0-9]+$")
) -> dict:
    tour = product(request, product_id)
    return product_out(tour, start_times_of([tour]).get(tour.pk, []))


def tour_minutes(tour: Tour) -> int:
    """The planned minutes of the tour's stops (travel between them not counted): one query."""
    return int(TourStop.objects.filter(tour=tour).aggregate(n=Sum("minutes"))["n"] or 0)


def availability_out(row: selectors.DepartureSeats, minutes: int) -> dict[str, Any]:
    d, tour = row.departure, row.departure.tour
    errors: dict[str, str] = {}
    departure_open_check(d, errors, timezone.now())
    free = row.free
    if d.state == DepartureState.CANCELLED or errors:
        status, free = "CLOSED", 0
    elif free <= 0:
        status = "SOLD_OUT"
    elif free * 2 < row.vehicle_total:
        status = "LIMITED"
    else:
        status = "AVAILABLE"
    starts = timezone.localtime(d.starts_at)
    ends = starts + dt.timedelta(minutes=minutes)
    cutoff = d.starts_at - dt.timedelta(hours=tour.cutoff_hours)
    return {
        "id": str(d.pk),
        "localDateTimeStart": starts.isoformat(),
        "localDateTimeEnd": ends.isoformat(),
        "allDay": False,
        "available": status in ("AVAILABLE", "LIMITED"),
        "status": status,
        "vacancies": max(free, 0),
        "capacity": row.vehicle_total,
        "maxUnits": max(free, 0),
        "utcCutoffAt": cutoff.astimezone(dt.UTC).isoformat(),
        "openingHours": [],
    }


@router.post(
    "/availability", response={200: list[OctoAvailability], **ERRORS_AUTH}, summary="OCTO: availability"
)
def octo_availability(request: HttpRequest, payload: OctoAvailabilityIn) -> list[dict[str, Any]]:
    """The product's departures on the local days `localDateStart`..`localDateEnd` (at most 92 days),
    each with its status (AVAILABLE, LIMITED under half the seats, SOLD_OUT, CLOSED once cancelled or
    past the cut-off), vacancies and capacity. Four queries."""
    tour = product(request, payload.productId)
    option_check(payload.optionId)
    range_check(payload.localDateStart, payload.localDateEnd, max_days=MAX_RANGE_DAYS)
    rows = selectors.departures_with_seats(
        payload.localDateStart, payload.localDateEnd, tour=tour, running_only=False
    )
    minutes = tour_minutes(tour)
    return [availability_out(r, minutes) for r in rows if r.departure.state != DepartureState.COMPLETED]


def booking_out(booking: Booking) -> dict[str, Any]:
    departure = booking.departure
    row = selectors.departures_with_seats(
        timezone.localdate(departure.starts_at),
        timezone.localdate(departure.starts_at),
        tour=departure.tour,
        running_only=False,
    )
    seats = next(r for r in row if r.departure.pk == departure.pk)
    units = [("adult", n) for n in range(booking.adults)] + [("child", n) for n in range(booking.children)]
    status = STATUS[BookingState(booking.state)]
    return {
        "id": str(booking.pk),
        "uuid": booking.code,
        "testMode": False,
        "resellerReference": None,
        "supplierReference": booking.code,
        "status": status,
        "utcCreatedAt": iso(booking.created_at),
        "utcUpdatedAt": iso(booking.updated_at),
        "utcExpiresAt": iso(booking.expires_at) if status == "ON_HOLD" else None,
        "utcRedeemedAt": None,
        "utcConfirmedAt": iso(booking.updated_at) if status == "CONFIRMED" else None,
        "productId": str(departure.tour_id),
        "optionId": OPTION,
        "cancellable": status in ("ON_HOLD", "CONFIRMED") and departure.starts_at > timezone.now(),
        "freesale": False,
        "availabilityId": str(departure.pk),
        "availability": availability_out(seats, tour_minutes(departure.tour)),
        "contact": {"fullName": booking.name, "emailAddress": booking.email, "phoneNumber": booking.phone},
        "notes": None,
        "unitItems": [
            {"uuid": f"{booking.code}-{unit}-{n + 1}", "unitId": unit, "status": status} for unit, n in units
        ],
    }


def octo_booking(request: HttpRequest, uuid: str) -> Booking:
    booking = booking_by_code(uuid)
    if not permissions.can_manage_operator_tours(request.user, booking.departure.tour.operator):
        raise NotFound(_("No such booking."), fields={"uuid": _("Unknown booking.")})
    return booking


def contact_of(contact: OctoContact | None, request: HttpRequest) -> tuple[str, str, str]:
    """A contact's name, e-mail and phone; the caller's own when the reseller has none yet."""
    user: Any = request.user
    if contact is None:
        return (getattr(user, "full_name", "") or user.get_username(), user.email, "")
    name = contact.fullName or " ".join(p for p in (contact.firstName, contact.lastName) if p)
    return (name or "", contact.emailAddress or "", contact.phoneNumber or "")


@router.post("/bookings", response={200: OctoBooking, **ERRORS_AUTH}, summary="OCTO: reserve")
def octo_reserve(request: HttpRequest, payload: OctoBookingIn) -> dict:
    """Hold the seats of `unitItems` (each "adult" or "child") on the availability (a departure of
    the product): status ON_HOLD until `utcExpiresAt` (the site's hold time; a shorter
    `expirationMinutes` is not honoured). Fewer vacancies than units is 409 `full`; no unit, or an
    unknown unit, is 422. The booking's `uuid` is its ticket code."""
    tour = product(request, payload.productId)
    option_check(payload.optionId)
    departure = (
        Departure.objects.filter(pk=int(payload.availabilityId), tour=tour).first()
        if is_id(payload.availabilityId)
        else None
    )
    if departure is None:
        raise NotFound(_("No such availability."), fields={"availabilityId": _("Unknown availability.")})
    unknown = [u.unitId for u in payload.unitItems if u.unitId not in UNITS]
    if unknown or not payload.unitItems:
        raise DomainError(
            _("Give at least one unit, each “adult” or “child”."),
            fields={
                "unitItems": _("Unknown unit: %(u)s.") % {"u": ", ".join(unknown)}
                if unknown
                else _("Required.")
            },
        )
    adults = sum(1 for u in payload.unitItems if u.unitId == "adult")
    name, email, phone = contact_of(payload.contact, request)
    with_names = {"adults": "unitItems", "children": "unitItems", "departure": "availabilityId"}
    try:
        booking = services.booking_create(
            actor=request.user,
            departure=departure,
            adults=adults,
            children=len(payload.unitItems) - adults,
            name=name,
            email=email,
            phone=phone,
        )
    except DomainError as exc:
        exc.fields = {with_names.get(k, k): v for k, v in exc.fields.items()}
        raise
    return booking_out(booking_by_code(booking.code))


@router.get("/bookings/{uuid}", response={200: OctoBooking, **ERRORS_AUTH}, summary="OCTO: a booking")
def octo_get_booking(request: HttpRequest, uuid: str = Path(..., max_length=40, pattern=CODE)) -> dict:
    return booking_out(octo_booking(request, uuid))


@router.post("/bookings/{uuid}/confirm", response={200: OctoBooking, **ERRORS_AUTH}, summary="OCTO: confirm")
def octo_confirm(
    request: HttpRequest, payload: OctoConfirmIn, uuid: str = Path(..., max_length=40, pattern=CODE)
) -> dict:
    """The reseller confirms an ON_HOLD booking with the lead traveller's `contact`: an on-request
    tour's booking is accepted (the caller is the operator's), what is due is recorded as paid to the
    reseller, status CONFIRMED. An expired or cancelled booking is 409."""
    booking = octo_booking(request, uuid)
    name, email, phone = contact_of(payload.contact, request)
    services.booking_contact_set(actor=request.user, booking=booking, name=name, email=email, phone=phone)
    if booking.state == BookingState.PENDING:
        services.booking_confirm(actor=request.user, booking=booking)
    fresh = booking_by_code(uuid)
    if fresh.state not in ACTIVE_STATES or fresh.total > int(getattr(fresh, "paid_sum", 0) or 0):
        reference = f"OCTO {payload.resellerReference or ''}".strip()
        services.booking_pay(actor=request.user, booking=fresh, reference=reference)
    return booking_out(booking_by_code(uuid))


@router.post("/bookings/{uuid}/cancel", response={200: OctoBooking, **ERRORS_AUTH}, summary="OCTO: cancel")
def octo_cancel(
    request: HttpRequest, payload: OctoCancelIn, uuid: str = Path(..., max_length=40, pattern=CODE)
) -> dict:
    """Cancel an ON_HOLD or CONFIRMED booking before the departure: the seats go back, the paid share
    comes back by the tour's rule. Status CANCELLED."""
    booking = octo_booking(request, uuid)
    services.booking_cancel(actor=request.user, booking=booking, reason=payload.reason or "OCTO")
    return booking_out(booking_by_code(uuid))
