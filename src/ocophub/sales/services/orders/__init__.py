"""The online shop: checkout holds the goods, payment sells them, the pipeline ends in the customer's hands.

Moves that can race (a payment arriving as the hold runs out) are conditional updates of the status,
so that exactly one of them wins.

By step: placing.py (checkout), payment.py (paying, and handing over an order paid at pick-up),
moves.py (the pipeline, cancelling, refunding, expired holds) and notices.py (what is sent to whom).
"""

from .moves import order_cancel, order_move, order_refund, orders_release_expired_now
from .payment import PICKUP_METHODS, order_collect, order_paid_amount, order_pay
from .placing import HOLD_RELEASE_SCHEDULERS, Checkout, hold_minutes, order_place, pickup_hold_hours

__all__ = [
    "HOLD_RELEASE_SCHEDULERS",
    "PICKUP_METHODS",
    "Checkout",
    "hold_minutes",
    "order_cancel",
    "order_collect",
    "order_move",
    "order_paid_amount",
    "order_pay",
    "order_place",
    "order_refund",
    "orders_release_expired_now",
    "pickup_hold_hours",
]
