"""Counter shifts and sales, online orders, payments and refunds as rows, returns, settlements.

A sale (counter or online) is the record settlements and reports read: its lines carry the producer, the
price and the commission rate of the agreement in force when it was sold. Balances — what an order has
been paid, what a payment has been refunded — are sums of rows, never flags.
"""

from .baskets import SavedBasket
from .counter import (
    REFUND_APPROVAL_MINUTES,
    BankAccount,
    Channel,
    Payment,
    PaymentMethod,
    PaymentState,
    Refund,
    RefundApproval,
    Return,
    ReturnLine,
    Sale,
    SaleLine,
    Shift,
)
from .orders import (
    DESK_NEW_STATUSES,
    ORDER_TRANSITIONS,
    UNPAID_STATUSES,
    Fulfilment,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentTiming,
)
from .settlements import (
    DISPUTE_MAX_LENGTH,
    SETTLEMENT_TRANSITIONS,
    Settlement,
    SettlementEvent,
    SettlementState,
)

__all__ = [
    "BankAccount",
    "DISPUTE_MAX_LENGTH",
    "Channel",
    "Fulfilment",
    "ORDER_TRANSITIONS",
    "DESK_NEW_STATUSES",
    "UNPAID_STATUSES",
    "PaymentTiming",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentMethod",
    "PaymentState",
    "REFUND_APPROVAL_MINUTES",
    "Refund",
    "RefundApproval",
    "Return",
    "ReturnLine",
    "SETTLEMENT_TRANSITIONS",
    "Sale",
    "SavedBasket",
    "SaleLine",
    "Settlement",
    "SettlementEvent",
    "SettlementState",
    "Shift",
]
