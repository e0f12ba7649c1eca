"""Schemas of the tours API: operators, tours and their stops, departures, availability, bookings,
waiting lists, check-ins, and the OCTO-shaped products, availability and bookings.

Money is whole đồng, seats and people whole numbers (StrictInt). Coordinates are checked by the
services (a clear "not in Hanoi"), so the schemas only bound them to the globe. Every schema's name
is unique in the whole OpenAPI document, hence the `Tour…` and `Octo…` names.
"""

from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from ocophub.common.api import ClockTime, IsoDate, IsoDateTime, Page
from ocophub.events.schemas import MAX_PRICE, LanguageCode, Moment, People, RecurrenceIn, RefundTier
from ocophub.inventory.schemas import CenterRef, Day, Id
from ocophub.seats.services import MAX_SEATS

TourMoney = Annotated[StrictInt, Field(ge=0, le=MAX_PRICE, description="Whole đồng per person, 0 is free")]
TourSeats = Annotated[StrictInt, Field(ge=1, le=MAX_SEATS, description="The vehicle's seats")]
Latitude = Annotated[float, Field(ge=-90, le=90, description="Inside Hanoi (20.5–21.5)")]
Longitude = Annotated[float, Field(ge=-180, le=180, description="Inside Hanoi (105.2–106.1)")]

OperatorKindName = Literal["company", "department"]
TourStateName = Literal["draft", "published", "archived"]
BookingTypeName = Literal["instant", "on_request"]
StopKindName = Literal["center", "village", "workshop", "meal", "free_time"]
DepartureStateName = Literal["scheduled", "sold_out", "cancelled", "completed"]
BookingStateName = Literal["held", "pending_confirmation", "confirmed", "cancelled", "expired"]
TourWaitlistStateName = Literal["waiting", "offered", "accepted", "expired", "left"]


class TourRef(Schema):
    id: int
    slug: str
    name: str


# --- operators -------------------------------------------------------------------------------------


class OperatorOut(Schema):
    id: int
    name: str
    kind: OperatorKindName
    licence_number: str
    contact_name: str
    phone: str
    email: str
    bank_bin: str
    bank_name: str
    account_number: str
    account_holder: str
    is_active: bool
    is_illustrative: bool


class OperatorPage(Page):
    items: list[OperatorOut]


class OperatorIn(Schema):
    name: str = Field(max_length=200)
    kind: OperatorKindName = "company"
    licence_number: str = Field("", max_length=40, description="Required for a travel company")
    contact_name: str = Field("", max_length=120)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    bank_bin: str = Field("", max_length=8)
    bank_name: str = Field("", max_length=120)
    account_number: str = Field("", max_length=30)
    account_holder: str = Field("", max_length=120)
    is_active: bool = True
    is_illustrative: bool = False


class OperatorPatch(Schema):
    name: str | None = Field(None, max_length=200)
    kind: OperatorKindName | None = None
    licence_number: str | None = Field(None, max_length=40)
    contact_name: str | None = Field(None, max_length=120)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    bank_bin: str | None = Field(None, max_length=8)
    bank_name: str | None = Field(None, max_length=120)
    account_number: str | None = Field(None, max_length=30)
    account_holder: str | None = Field(None, max_length=120)
    is_active: bool | None = None
    is_illustrative: bool | None = None


# --- tours and stops -------------------------------------------------------------------------------


class OperatorRef(Schema):
    id: int
    name: str


class TourOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    operator: OperatorRef
    state: TourStateName
    state_label: str
    languages: list[str]
    meeting_point: str
    meeting_latitude: float | None
    meeting_longitude: float | None
    adult_price: int
    child_price: int
    booking_type: BookingTypeName
    is_illustrative: bool


class TourPage(Page):
    items: list[TourOut]


class StopOut(Schema):
    id: int
    position: int
    kind: StopKindName
    kind_label: str
    title: str
    minutes: int = Field(description="Planned time at the stop")
    note: str
    center: CenterRef | None
    village: TourRef | None
    session_id: int | None = Field(description="The workshop session (events API) whose seats it draws on")
    latitude: float | None
    longitude: float | None
    arrives_at: IsoDateTime | None = Field(description="On the next departure, by the planner's travel times")
    travel_minutes: float | None = Field(description="From the stop before (or the meeting point)")
    warning: str | None = Field(description="Reached outside its opening hours")


class DepartureOut(Schema):
    id: int
    tour_id: int
    starts_at: IsoDateTime
    state: DepartureStateName
    state_label: str
    seats: int = Field(description="The vehicle's seats")
    free_seats: int = Field(description="The fewest free among the vehicle and every workshop")


class TourDetail(TourOut):
    description: str
    included: str
    excluded: str
    children_need_adult: bool
    cutoff_hours: int
    refund_rule: list[RefundTier]
    stops: list[StopOut]
    travel_minutes: float | None = Field(description="The itinerary's whole travel, meeting point and back")
    ends_at: IsoDateTime | None = Field(description="When the next departure is back, by the planner")
    next_departures: list[DepartureOut] = Field(description="The next 20 scheduled departures with seats")


class TourIn(Schema):
    operator_id: Id
    title: str = Field(max_length=200)
    summary: str = Field("", max_length=300)
    description: str = Field("", max_length=20_000)
    languages: list[LanguageCode] = Field(["vi"], min_length=1, max_length=6)
    included: str = Field("", max_length=5000)
    excluded: str = Field("", max_length=5000)
    meeting_point: str = Field(max_length=300)
    meeting_latitude: Latitude | None = None
    meeting_longitude: Longitude | None = None
    adult_price: TourMoney = 0
    child_price: TourMoney = 0
    children_need_adult: bool = True
    booking_type: BookingTypeName = "instant"
    cutoff_hours: StrictInt = Field(24, ge=0, le=720)
    refund_rule: list[RefundTier] | None = Field(None, max_length=20)


class TourPatch(Schema):
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    languages: list[LanguageCode] | None = Field(None, min_length=1, max_length=6)
    included: str | None = Field(None, max_length=5000)
    excluded: str | None = Field(None, max_length=5000)
    meeting_point: str | None = Field(None, max_length=300)
    meeting_latitude: Latitude | None = None
    meeting_longitude: Longitude | None = None
    adult_price: TourMoney | None = None
    child_price: TourMoney | None = None
    children_need_adult: bool | None = None
    booking_type: BookingTypeName | None = None
    cutoff_hours: StrictInt | None = Field(None, ge=0, le=720)
    refund_rule: list[RefundTier] | None = Field(None, max_length=20)


class TourReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class StopIn(Schema):
    kind: StopKindName
    center_id: Id | None = Field(None, description="For a center stop")
    village_id: Id | None = Field(None, description="For a craft-village stop")
    session_id: Id | None = Field(None, description="For a workshop stop: an events session")
    title: str = Field("", max_length=200)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    minutes: StrictInt = Field(ge=-100_000, le=100_000, description="Planned minutes, above zero")
    note: str = Field("", max_length=300)


class StopsIn(Schema):
    stops: list[StopIn] = Field(max_length=100)


class StopsOut(Schema):
    count: int
    items: list[StopOut]


# --- departures and availability -------------------------------------------------------------------


class DeparturePage(Page):
    items: list[DepartureOut]


class DepartureIn(Schema):
    starts_at: Moment
    seats: TourSeats


class RecurringDeparturesIn(Schema):
    rule: RecurrenceIn | Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description='An RRULE ("FREQ=WEEKLY;BYDAY=SA,SU") or {"freq", "interval", "byweekday"}'
    )
    starts_on: Day
    start_time: ClockTime
    until: Day | None = Field(None, description="The last day (or give count)")
    count: StrictInt | None = Field(None, ge=1, le=1000)
    seats: TourSeats


class DeparturesMade(Schema):
    count: int
    items: list[DepartureOut]


class DepartureReasonIn(Schema):
    reason: str = Field(max_length=2000, description="Told to every booked party")


class TourAvailabilityOut(Schema):
    departure_id: int
    tour: TourRef
    operator: OperatorRef
    starts_at: IsoDateTime
    state: DepartureStateName
    seats: int
    free_seats: int
    adult_price: int
    child_price: int


class TourAvailabilityPage(Page):
    since: IsoDate
    until: IsoDate
    items: list[TourAvailabilityOut]


# --- bookings --------------------------------------------------------------------------------------


class BookingIn(Schema):
    departure_id: Id
    adults: People
    children: People = 0
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field("", max_length=30)


class DepartureRef(Schema):
    id: int
    tour: TourRef
    starts_at: IsoDateTime
    state: DepartureStateName
    meeting_point: str


class BookingRow(Schema):
    code: str = Field(description="The ticket: keep it secret, it opens the booking")
    state: BookingStateName
    state_label: str
    adults: int
    children: int
    name: str
    email: str
    phone: str
    total: int = Field(description="Adults × adult price + children × child price, in đồng")
    paid: int
    refunded: int
    checked_in_at: IsoDateTime | None
    created_at: IsoDateTime


class BookingOut(BookingRow):
    departure: DepartureRef
    due: int = Field(description="What is left to pay (0 once paid, and when cancelled)")
    expires_at: IsoDateTime | None = Field(description="A held or unconfirmed booking's seats are kept until")
    payment_qr: str | None = Field(description="VietQR text paying a held booking, the code as message")


class BookingPage(Page):
    items: list[BookingRow]


class BookingCancelIn(Schema):
    reason: str = Field("", max_length=300)


class BookingPaymentIn(Schema):
    reference: str = Field("", max_length=100, description="The VietQR transfer's reference")


class TourWaitlistIn(Schema):
    adults: People
    children: People = 0
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field("", max_length=30)


class TourWaitlistOut(Schema):
    id: int
    departure_id: int
    state: TourWaitlistStateName
    state_label: str
    adults: int
    children: int
    offered_until: IsoDateTime | None
    offer_code: str | None = Field(description="The held booking offered: accept it with its code")


class TourCheckInIn(Schema):
    code: str = Field(min_length=1, max_length=60, description="As scanned or typed")
    center_id: Id | None = Field(
        None, description="Center staff: the center the group arrives at (a stop of the itinerary)"
    )


class TourCheckInOut(Schema):
    code: str
    heads: int
    at: IsoDateTime
    booking: BookingOut


# --- OCTO ------------------------------------------------------------------------------------------


class OctoUnit(Schema):
    id: str
    internalName: str
    reference: str
    type: Literal["ADULT", "CHILD"]
    restrictions: dict[str, int | None]


class OctoOption(Schema):
    id: str
    default: bool
    internalName: str
    reference: str
    availabilityLocalStartTimes: list[str]
    cancellationCutoff: str
    cancellationCutoffAmount: int
    cancellationCutoffUnit: str
    requiredContactFields: list[str]
    restrictions: dict[str, int | None]
    units: list[OctoUnit]


class OctoProduct(Schema):
    id: str
    internalName: str
    reference: str
    locale: str
    timeZone: str
    allowFreesale: bool
    instantConfirmation: bool
    instantDelivery: bool
    availabilityRequired: bool
    availabilityType: Literal["START_TIME", "OPENING_HOURS"]
    deliveryFormats: list[str]
    deliveryMethods: list[str]
    redemptionMethod: str
    options: list[OctoOption]


class OctoAvailabilityIn(Schema):
    productId: str = Field(max_length=40)
    optionId: str = Field(max_length=40)
    localDateStart: Day
    localDateEnd: Day


class OctoAvailability(Schema):
    id: str
    localDateTimeStart: str
    localDateTimeEnd: str
    allDay: bool
    available: bool
    status: Literal["AVAILABLE", "LIMITED", "SOLD_OUT", "CLOSED"]
    vacancies: int | None
    capacity: int | None
    maxUnits: int | None
    utcCutoffAt: str
    openingHours: list[dict[str, str]]


class OctoUnitItemIn(Schema):
    unitId: str = Field(max_length=40)


class OctoContact(Schema):
    fullName: str | None = Field(None, max_length=120)
    firstName: str | None = Field(None, max_length=60)
    lastName: str | None = Field(None, max_length=60)
    emailAddress: str | None = Field(None, max_length=254)
    phoneNumber: str | None = Field(None, max_length=30)


class OctoBookingIn(Schema):
    productId: str = Field(max_length=40)
    optionId: str = Field(max_length=40)
    availabilityId: str = Field(max_length=40)
    unitItems: list[OctoUnitItemIn] = Field(max_length=500)
    expirationMinutes: StrictInt | None = Field(None, ge=1, le=7 * 24 * 60)
    contact: OctoContact | None = None
    notes: str | None = Field(None, max_length=1000)


class OctoConfirmIn(Schema):
    contact: OctoContact
    resellerReference: str | None = Field(None, max_length=100)


class OctoCancelIn(Schema):
    reason: str | None = Field(None, max_length=300)


class OctoUnitItem(Schema):
    uuid: str
    unitId: str
    status: str


class OctoBooking(Schema):
    id: str
    uuid: str
    testMode: bool
    resellerReference: str | None
    supplierReference: str
    status: Literal["ON_HOLD", "CONFIRMED", "CANCELLED", "EXPIRED", "REDEEMED"]
    utcCreatedAt: str
    utcUpdatedAt: str | None
    utcExpiresAt: str | None
    utcRedeemedAt: str | None
    utcConfirmedAt: str | None
    productId: str
    optionId: str
    cancellable: bool
    freesale: bool
    availabilityId: str
    availability: OctoAvailability
    contact: dict[str, str | None]
    notes: str | None
    unitItems: list[OctoUnitItem]
