"""Schemas of the inventory API: stock rows, the movement ledger, consignment agreements."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from ocophub.catalogue.schemas import ProducerRef
from ocophub.common.api import MAX_ID, IsoDate, IsoDateTime, Page

from .services import MAX_QUANTITY

# Dates a request may name: wide enough for any real record, narrow enough that the day after and the
# time-zone shift of midnight stay within what Python and the databases can hold.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)

Day = Annotated[IsoDate, Field(ge=FIRST_DAY, le=LAST_DAY)]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]  # a JSON number, never true or "1"
Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY, description="Whole units, at least 1")]
AgreementStateName = Literal["draft", "active", "ended"]
MovementKindName = Literal[
    "received",
    "sold",
    "customer_return",
    "returned",
    "transfer_out",
    "transfer_in",
    "adjusted",
    "reserved",
    "released",
]


class CenterRef(Schema):
    id: int
    slug: str
    name: str


class ProductRef(Schema):
    id: int
    slug: str
    name: str


class LotOut(Schema):
    id: int
    code: str
    produced_on: IsoDate | None
    expires_on: IsoDate | None


class StockOut(Schema):
    id: int
    center: CenterRef
    product: ProductRef
    producer: ProducerRef
    lot: LotOut
    on_hand: int
    reserved: int = Field(description="Held for online orders awaiting payment")
    available: int = Field(description="On hand less reserved")
    expired: bool = Field(description="The lot is past its expiry date and cannot be sold")


class StockPage(Page):
    items: list[StockOut]


class MovementOut(Schema):
    id: int
    kind: MovementKindName
    kind_label: str
    on_hand_delta: int
    reserved_delta: int
    reason: str
    reference: str
    actor: str | None
    at: IsoDateTime


class MovementPage(Page):
    stock: StockOut
    items: list[MovementOut]


class ReceiptIn(Schema):
    center_id: Id
    product_id: Id
    quantity: Quantity
    lot_code: str = Field("", max_length=40, description="Empty for undated goods")
    produced_on: Day | None = None
    expires_on: Day | None = None
    reason: str = Field("", max_length=300)


class AdjustmentIn(Schema):
    delta: StrictInt = Field(
        ge=-MAX_QUANTITY, le=MAX_QUANTITY, description="Units added (positive) or removed (negative)"
    )
    reason: str = Field(min_length=1, max_length=300)


class TransferIn(Schema):
    to_center_id: Id
    quantity: Quantity
    reason: str = Field("", max_length=300)


class ReturnToProducerIn(Schema):
    quantity: Quantity
    reason: str = Field("", max_length=300)


class AgreementOut(Schema):
    id: int
    producer: ProducerRef
    center: CenterRef
    commission_rate: Decimal = Field(description="Share of the price the center keeps, e.g. 0.2 for 20%")
    starts_on: IsoDate
    ends_on: IsoDate | None
    state: AgreementStateName
    state_label: str
    notes: str
    in_force: bool = Field(description="Active and covering today")


class AgreementPage(Page):
    items: list[AgreementOut]


class AgreementIn(Schema):
    producer_id: Id
    center_id: Id
    commission_rate: Decimal = Field(
        ge=0,
        le=Decimal("0.5"),
        max_digits=5,
        decimal_places=4,
        description='0 to 0.5, at most four decimals; a decimal string ("0.2") or a number',
    )
    starts_on: Day
    ends_on: Day | None = None
    notes: str = Field("", max_length=2000)
    activate: bool = Field(True, description="Activate at once (otherwise the agreement stays a draft)")


class AgreementTransitionIn(Schema):
    to: Literal["active", "ended"]
    reason: str = Field("", max_length=2000)
