"""Schemas of the events API: events, sessions, availability, registrations, waiting lists, check-ins.

Money is a whole number of đồng and seats whole numbers: inputs refuse floats, strings and booleans
(StrictInt), outputs are integers. Date-times are ISO 8601; one without an offset is Hanoi time.
Every schema's name is unique in the whole OpenAPI document (the centers' status history already
has an `EventOut`), hence the `Promotion…` and `Ev…` names.
"""

import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, StrictInt
from pydantic_core import PydanticCustomError

from ocophub.common.api import ClockTime, IsoDate, IsoDateTime, Page
from ocophub.inventory.schemas import CenterRef, Day, Id
from ocophub.seats.services import MAX_SEATS

# Dates and times a request may name (as inventory's days): the databases and Python hold them, and
# the shift from Hanoi time to UTC never leaves the range.
FIRST_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LAST_MOMENT = dt.datetime(2100, 12, 31, tzinfo=dt.UTC)
MAX_PRICE = 100_000_000  # đồng per person: far above any workshop, far below every integer column
MAX_PEOPLE = 10_000  # what a request may say; the services' own limit (EVENTS_MAX_PARTY) is lower
MAX_RECURRING_SESSIONS = 1_000  # the services' own limit (EVENTS_MAX_RECURRING) is lower
MAX_LIST_IDS = 50


def _moment(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)  # Hanoi keeps no summer time: every local time exists once
    if not FIRST_MOMENT <= value <= LAST_MOMENT:
        raise PydanticCustomError("datetime_range", "Between 2000 and 2100.")
    return value


# A date-time a client sends: ISO 8601, Hanoi time when it carries no offset, within 2000–2100.
Moment = Annotated[IsoDateTime, AfterValidator(_moment)]
EvMoney = Annotated[StrictInt, Field(ge=0, le=MAX_PRICE, description="Whole đồng per person, 0 is free")]
Seats = Annotated[StrictInt, Field(ge=1, le=MAX_SEATS, description="Seats in all")]
# checked by the services, so that 0 or a negative party gets their own message
People = Annotated[StrictInt, Field(ge=-MAX_PEOPLE, le=MAX_PEOPLE, description="People in the party")]

EventKindName = Literal["exhibition", "fair", "launch", "demonstration", "workshop", "trade"]
EventStateName = Literal["draft", "published", "cancelled"]
SessionStateName = Literal["scheduled", "cancelled"]
RegistrationStateName = Literal["held", "confirmed", "cancelled", "expired", "refunded"]
WaitlistStateName = Literal["waiting", "offered", "accepted", "expired", "left"]
PaymentMethodName = Literal["vietqr", "door"]
LanguageCode = Literal["vi", "en", "fr", "zh", "ja", "ko"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class EvRef(Schema):
    id: int
    slug: str
    name: str


class RefundTier(Schema):
    days: StrictInt = Field(ge=0, le=3660, description="Whole days before the session's day")
    percent: StrictInt = Field(ge=0, le=100)


# --- events ----------------------------------------------------------------------------------------


class PromotionEventOut(Schema):
    id: int
    slug: str
    kind: EventKindName
    kind_label: str
    title: str
    state: EventStateName
    state_label: str
    center: CenterRef
    address: str = Field(description="Empty: held at the center itself")
    latitude: float | None
    longitude: float | None
    languages: list[str]
    is_illustrative: bool = Field(description="Demo values, not from a source")
    first_starts_at: IsoDateTime | None = Field(description="The first scheduled session still to end")
    min_price: int | None = Field(description="The lowest price of its scheduled sessions still to end")


class PromotionEventPage(Page):
    items: list[PromotionEventOut]


class EvSessionOut(Schema):
    id: int
    event_id: int
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    state: SessionStateName
    state_label: str
    price: int
    is_free: bool
    makes: str = Field(description="What each participant makes and takes home")
    refund_rule: list[RefundTier]
    seats: int = Field(description="Seats in all")
    free_seats: int


class EvSessionPage(Page):
    items: list[EvSessionOut]


class PromotionEventDetail(PromotionEventOut):
    description: str
    products: list[EvRef]
    producers: list[EvRef]
    photos: list[str] = Field(description="Addresses of the event's photos")
    sessions: list[EvSessionOut] = Field(
        description="Its sessions still to end (at most 100; all of them: GET …/sessions)"
    )


class PromotionEventIn(Schema):
    center_id: Id
    kind: EventKindName
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20_000)
    address: str = Field("", max_length=300, description="Leave empty when held at the center")
    latitude: float | None = Field(None, ge=20.5, le=21.5)
    longitude: float | None = Field(None, ge=105.2, le=106.1)
    languages: list[LanguageCode] = Field(["vi"], min_length=1, max_length=6)
    product_ids: list[Id] = Field([], max_length=MAX_LIST_IDS)
    producer_ids: list[Id] = Field([], max_length=MAX_LIST_IDS)


class PromotionEventPatch(Schema):
    kind: EventKindName | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    address: str | None = Field(None, max_length=300)
    latitude: float | None = Field(None, ge=20.5, le=21.5)
    longitude: float | None = Field(None, ge=105.2, le=106.1)
    languages: list[LanguageCode] | None = Field(None, min_length=1, max_length=6)
    product_ids: list[Id] | None = Field(None, max_length=MAX_LIST_IDS)
    producer_ids: list[Id] | None = Field(None, max_length=MAX_LIST_IDS)


class EvReasonIn(Schema):
    reason: str = Field(max_length=2000, description="Told to every registered party")


# --- sessions --------------------------------------------------------------------------------------


class EvSessionIn(Schema):
    starts_at: Moment
    ends_at: Moment
    capacity: Seats
    price: EvMoney = 0
    makes: str = Field("", max_length=300)
    refund_rule: list[RefundTier] | None = Field(
        None, max_length=20, description="Default: all back 7 days before, half from 2 days before"
    )


class EvSessionPatch(Schema):
    capacity: Seats | None = None
    price: EvMoney | None = None
    makes: str | None = Field(None, max_length=300)
    refund_rule: list[RefundTier] | None = Field(None, max_length=20)


class RecurrenceIn(Schema):
    freq: Literal["daily", "weekly", "monthly"]
    interval: StrictInt = Field(1, ge=1, le=52)
    byweekday: list[Weekday] = Field([], max_length=7)


class RecurringSessionsIn(Schema):
    rule: RecurrenceIn | Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description='An RRULE ("FREQ=WEEKLY;BYDAY=SA,SU") or {"freq", "interval", "byweekday"}'
    )
    starts_on: Day
    start_time: ClockTime
    duration_minutes: StrictInt = Field(ge=1, le=14 * 24 * 60)
    until: Day | None = Field(None, description="The last day (or give count)")
    count: StrictInt | None = Field(None, ge=1, le=MAX_RECURRING_SESSIONS)
    capacity: Seats
    price: EvMoney = 0
    makes: str = Field("", max_length=300)
    refund_rule: list[RefundTier] | None = Field(None, max_length=20)


class EvSessionsMade(Schema):
    count: int
    items: list[EvSessionOut]


# --- availability ----------------------------------------------------------------------------------


class AvailabilityOut(Schema):
    session_id: int
    event: EvRef = Field(description="The event: id, slug and title")
    kind: EventKindName
    center: CenterRef
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    price: int
    seats: int
    free_seats: int


class AvailabilityPage(Page):
    items: list[AvailabilityOut]


# --- registrations ---------------------------------------------------------------------------------


class RegistrationIn(Schema):
    session_id: Id
    party_size: People
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field("", max_length=30)
    payment_method: PaymentMethodName = Field("vietqr", description="Ignored for a free session")


class EvSessionRef(Schema):
    id: int
    event: EvRef
    center: CenterRef
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    state: SessionStateName


class RegistrationOut(Schema):
    code: str = Field(description="The ticket: keep it secret, it opens the registration")
    state: RegistrationStateName
    state_label: str
    session: EvSessionRef
    party_size: int
    name: str
    email: str
    phone: str
    amount: int = Field(description="Price × people, in đồng")
    paid: int = Field(description="Sum of the succeeded payments")
    refunded: int = Field(description="Sum of the refunds")
    due: int = Field(description="What is left to pay (0 once paid, and when cancelled)")
    payment_method: Literal["vietqr", "door", ""] = Field(description="Empty for a free session")
    expires_at: IsoDateTime | None = Field(description="An unpaid registration's seats are held until then")
    checked_in_at: IsoDateTime | None
    payment_qr: str | None = Field(
        description="VietQR text of the transfer that pays a held registration, the code as message"
    )
    created_at: IsoDateTime


class RegistrationRow(Schema):
    code: str
    state: RegistrationStateName
    state_label: str
    party_size: int
    name: str
    email: str
    phone: str
    amount: int
    paid: int
    refunded: int
    payment_method: Literal["vietqr", "door", ""]
    checked_in_at: IsoDateTime | None
    created_at: IsoDateTime


class RegistrationPage(Page):
    items: list[RegistrationRow]


class RegistrationCancelIn(Schema):
    reason: str = Field("", max_length=300)


class RegistrationPaymentIn(Schema):
    method: PaymentMethodName
    reference: str = Field("", max_length=100, description="The transfer's reference")


class WaitlistIn(Schema):
    party_size: People
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field("", max_length=30)


class WaitlistEntryOut(Schema):
    id: int
    session_id: int
    state: WaitlistStateName
    state_label: str
    party_size: int
    position: int | None = Field(description="1 for the first in line; null once no longer waiting")
    offered_until: IsoDateTime | None
    offer_code: str | None = Field(
        description="When seats are offered at once: the held registration's code, to accept with"
    )


class OfferAcceptIn(Schema):
    payment_method: PaymentMethodName = "vietqr"


# --- check-ins and head counts ---------------------------------------------------------------------


class CheckInIn(Schema):
    code: str = Field(min_length=1, max_length=60, description="As scanned or typed")
    center_id: Id = Field(description="The center whose door the ticket is scanned at")


class CheckInOut(Schema):
    code: str
    heads: int = Field(description="People checked in")
    at: IsoDateTime
    registration: RegistrationOut


class HeadsPerCenter(Schema):
    center: CenterRef
    heads: int


class HeadsPerDay(Schema):
    day: IsoDate
    heads: int


class HeadsPerSession(Schema):
    session_id: int
    event: EvRef
    center_id: int
    starts_at: IsoDateTime
    heads: int


class HeadCountsOut(Schema):
    since: IsoDate
    until: IsoDate
    total: int
    per_center: list[HeadsPerCenter]
    per_day: list[HeadsPerDay]
    per_session: list[HeadsPerSession] = Field(description="At most 500 sessions, latest first")
