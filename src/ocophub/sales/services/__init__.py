"""Writes of the sales app, by room: the counter, payments and refunds, the online shop, settlements."""

from ..pricing import LineIn
from .bank_accounts import bank_account_create, bank_account_update
from .baskets import saved_basket_write
from .counter import (
    expected_cash,
    return_create,
    sale_create,
    shift_close,
    shift_open,
)
from .orders import (
    Checkout,
    order_cancel,
    order_collect,
    order_move,
    order_pay,
    order_place,
    order_refund,
    orders_release_expired_now,
    pickup_hold_hours,
)
from .payments import open_shift_of
from .refunds import (
    ApprovalRequired,
    approval_code_read,
    approval_code_show,
    refund_approval_issue,
    refund_create,
)
from .settlements import (
    Statement,
    settlement_accept,
    settlement_answer,
    settlement_cancel,
    settlement_create,
    settlement_dispute,
    settlement_pay,
    settlement_preview,
)

__all__ = [
    "ApprovalRequired",
    "Checkout",
    "LineIn",
    "Statement",
    "approval_code_read",
    "bank_account_create",
    "bank_account_update",
    "approval_code_show",
    "expected_cash",
    "open_shift_of",
    "order_cancel",
    "order_collect",
    "order_move",
    "order_pay",
    "order_place",
    "order_refund",
    "orders_release_expired_now",
    "pickup_hold_hours",
    "refund_approval_issue",
    "refund_create",
    "return_create",
    "saved_basket_write",
    "sale_create",
    "settlement_accept",
    "settlement_answer",
    "settlement_cancel",
    "settlement_create",
    "settlement_dispute",
    "settlement_pay",
    "settlement_preview",
    "shift_close",
    "shift_open",
]
