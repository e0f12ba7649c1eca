"""Schemas of the sales API: shifts, counter sales, returns and refunds, online orders, settlements.

Money is a whole number of đồng: inputs refuse floats and strings (StrictInt), outputs are integers.
"""

import uuid
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from ocophub.catalogue.schemas import ProducerRef
from ocophub.common.api import MAX_UNIT_CODE, IsoDate, IsoDateTime, Page
from ocophub.inventory.schemas import CenterRef, Day, Id, ProductRef, Quantity

from .pricing import MAX_AMOUNT, MAX_LINES

Money = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT, description="Whole đồng")]
PositiveMoney = Annotated[StrictInt, Field(ge=1, le=MAX_AMOUNT, description="Whole đồng, at least 1")]
MethodName = Literal["cash", "transfer", "card"]
OrderStatusName = Literal[
    "awaiting_payment", "confirmed", "paid", "ready", "shipped", "completed", "cancelled", "refunded"
]
SettlementStateName = Literal["issued", "disputed", "accepted", "paid", "cancelled"]
PaymentStateName = Literal["pending", "succeeded", "failed", "cancelled"]


# --- shifts ----------------------------------------------------------------------------------------


class ShiftOut(Schema):
    id: int
    center: CenterRef
    opened_by: str
    opened_at: IsoDateTime
    opening_float: int
    is_open: bool
    closed_by: str | None
    closed_at: IsoDateTime | None
    expected_cash: int | None = Field(
        description="Float + cash sales − cash refunds, fixed at closing (null while open in lists)"
    )
    counted_cash: int | None
    variance: int | None = Field(description="Counted − expected, once closed")
    notes: str


class ShiftRefundOut(Schema):
    id: int
    sale_id: int
    sale_number: str
    method: MethodName
    amount: int
    reason: str
    created_at: IsoDateTime
    refunded_by: str | None
    approved_by: str | None = Field(description="The manager who made or approved the refund")


class ShiftDetail(ShiftOut):
    expected_cash: int = Field(description="Float + cash sales − cash refunds; for an open shift, as of now")
    cash_sales: int
    cash_refunded_for_returns: int = Field(description="Cash paid back from the drawer for goods returned")
    cash_refunded_without_goods: int = Field(
        description="Cash paid back from the drawer with no goods coming back"
    )
    refunded_without_goods: int = Field(description="Refunds without goods made in the shift, every method")
    refunds_without_goods: list[ShiftRefundOut]


class ShiftPage(Page):
    items: list[ShiftOut]


class ShiftIn(Schema):
    center_id: Id
    opening_float: Money = 0


class ShiftCloseIn(Schema):
    counted_cash: Money
    notes: str = Field("", max_length=2000)


# --- sales -----------------------------------------------------------------------------------------


class LineIn(Schema):
    product_id: Id
    quantity: Quantity


class SaleIn(Schema):
    center_id: Id
    client_uuid: uuid.UUID = Field(
        description="Made by the till; a retry with the same id books nothing twice"
    )
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)
    method: MethodName
    tendered: Money | None = Field(None, description="Cash given by the customer (cash only)")
    reference: str = Field("", max_length=100, description="Card slip or transfer reference")


class SaleLineOut(Schema):
    id: int
    product: ProductRef
    producer_id: int
    lot_code: str
    quantity: int
    unit_price: int
    amount: int
    commission_rate: Decimal
    returned: int = Field(description="Units of this line already brought back")


class PaymentOut(Schema):
    id: int
    method: MethodName
    amount: int
    state: PaymentStateName
    tendered: int | None
    change: int
    reference: str
    created_at: IsoDateTime


class ReturnLineOut(Schema):
    sale_line_id: int
    quantity: int
    amount: int


class ReturnOut(Schema):
    id: int
    number: str
    created_at: IsoDateTime
    reason: str
    restock: bool
    amount: int
    lines: list[ReturnLineOut]


class RefundOut(Schema):
    id: int
    payment_id: int
    return_id: int | None
    amount: int
    state: PaymentStateName
    reason: str
    created_at: IsoDateTime
    approved_by: str | None = Field(
        None, description="For a refund without goods: the manager who made or approved it"
    )


class SaleOut(Schema):
    id: int
    number: str
    center: CenterRef
    channel: Literal["counter", "online"]
    created_at: IsoDateTime
    total: int
    seller: str | None
    order_number: str | None


class SalePage(Page):
    items: list[SaleOut]


class SaleDetail(SaleOut):
    client_uuid: uuid.UUID | None = Field(description="The till's id; null for producers")
    shift_id: int | None
    lines: list[SaleLineOut]
    payments: list[PaymentOut]
    returns: list[ReturnOut]
    refunds: list[RefundOut]
    paid: int = Field(description="Sum of the succeeded payments")
    refunded: int = Field(description="Sum of the succeeded refunds")


class ReturnLineIn(Schema):
    sale_line_id: Id
    quantity: Quantity


class ReturnIn(Schema):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=MAX_LINES)
    reason: str = Field(min_length=1, max_length=300)
    restock: bool = Field(True, description="The goods go back on the shelf")


class RefundIn(Schema):
    amount: PositiveMoney
    reason: str = Field(min_length=1, max_length=300)
    approval_code: str = Field(
        "",
        max_length=20,
        description="A cashier's refund needs the code of a manager's approval for this sale; managers "
        "of the center refund without one",
    )


class RefundApprovalIn(Schema):
    max_amount: PositiveMoney


class RefundApprovalOut(Schema):
    id: int
    sale_id: int
    max_amount: int
    code: str = Field(description="Shown once: the cashier enters it with the refund")
    expires_at: IsoDateTime
    approved_by: str


# --- orders ----------------------------------------------------------------------------------------


class OrderIn(Schema):
    center_id: Id
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field(max_length=30)
    fulfilment: Literal["pickup", "delivery"] = "pickup"
    address: str = Field("", max_length=300)
    commune_code: StrictInt | None = Field(
        None, ge=1, le=MAX_UNIT_CODE, description="Commune or ward (delivery)"
    )
    note: str = Field("", max_length=500)


class OrderLineOut(Schema):
    product: ProductRef
    quantity: int
    unit_price: int
    amount: int


class OrderOut(Schema):
    number: str
    token: uuid.UUID = Field(description="Lets a guest read the order: GET /orders/{number}?token=…")
    status: OrderStatusName
    status_label: str
    center: CenterRef
    fulfilment: Literal["pickup", "delivery"]
    name: str
    email: str
    phone: str
    address: str
    note: str
    total: int
    paid: int = Field(description="Sum of the succeeded payments")
    created_at: IsoDateTime
    hold_until: IsoDateTime = Field(description="Unpaid orders are cancelled after this")
    lines: list[OrderLineOut]
    payment_qr: str | None = Field(
        description="VietQR text for a transfer of the total to the center, with the order number as "
        "message; null when the center has no bank account"
    )


class OrderPage(Page):
    items: list[OrderOut]


class OrderPaymentIn(Schema):
    method: MethodName = "transfer"
    reference: str = Field("", max_length=100)


class OrderTransitionIn(Schema):
    to: Literal["ready", "shipped", "completed", "cancelled", "refunded"]
    reason: str = Field("", max_length=2000)


# --- settlements -----------------------------------------------------------------------------------


class SettlementOut(Schema):
    id: int
    producer: ProducerRef
    center: CenterRef
    period_start: IsoDate
    period_end: IsoDate
    state: SettlementStateName
    state_label: str
    units_sold: int
    units_returned: int
    gross: int
    returns: int
    commission: int
    net: int = Field(description="Gross − returns − commission: what the center owes the producer")
    created_at: IsoDateTime
    paid_on: IsoDate | None
    payout_reference: str
    dispute_reason: str = Field(description="The producer's reason, when it disputed the statement")
    dispute_reply: str = Field(description="The center's answer to the dispute")


class SettlementPage(Page):
    items: list[SettlementOut]


class SettlementEventOut(Schema):
    from_state: str
    to_state: str
    at: IsoDateTime
    reason: str
    actor: str | None


class SettlementDetail(SettlementOut):
    events: list[SettlementEventOut]


class SettlementIn(Schema):
    producer_id: Id
    center_id: Id
    period_start: Day
    period_end: Day


class SettlementCancelIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class SalesToDateLine(Schema):
    product_id: int
    name: str
    commission_rate: Decimal
    quantity: int
    amount: int
    units_returned: int
    returns: int


class CenterSalesToDateOut(Schema):
    center: CenterRef
    since: IsoDate | None = Field(description="The day after the last settlement; null: never settled")
    agreement_rate: Decimal
    units_sold: int
    units_returned: int
    gross: int
    returns: int
    commission: int
    net: int
    lines: list[SalesToDateLine]


class SalesToDateOut(Schema):
    producer: ProducerRef
    centers: list[CenterSalesToDateOut]


class SettlementDisputeIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class SettlementAnswerIn(Schema):
    reply: str = Field(min_length=1, max_length=2000)
    outcome: Literal["confirm", "cancel"] = Field(
        description="confirm: the statement is issued again for the producer to accept; cancel: it is "
        "withdrawn and its sales and returns are free for a corrected one"
    )


class PayoutIn(Schema):
    paid_on: Day
    reference: str = Field(min_length=1, max_length=100)
