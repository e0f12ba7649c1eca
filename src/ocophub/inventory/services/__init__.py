"""Writes to consignment agreements and stock. Every stock change is a conditional UPDATE.

A quantity is taken only `WHERE on_hand - reserved >= n` and the number of rows changed is checked, so
that two buyers of the last unit cannot both have it whatever the database's isolation level; the
ledger row goes in with the change, in the same transaction.

By room: agreements.py (consignment agreements), ledger.py (quantities, errors, the ledger row),
receiving.py (goods in), adjustments.py (corrections, transfers, returns to the producer) and
selling.py (selling and holding for the sales app).
"""

from .adjustments import stock_adjust, stock_return_to_producer, stock_transfer
from .agreements import active_agreement, agreement_create, agreement_move, require_agreement
from .ledger import MAX_QUANTITY, Allocation, Contended, SoldOut, check_quantity
from .receiving import stock_receive
from .selling import (
    sellable_lots,
    sold_out_of,
    stock_put_back,
    stock_release,
    stock_reserve,
    stock_sell,
    stock_sell_held,
    stock_take_lots,
)

__all__ = [
    "MAX_QUANTITY",
    "Allocation",
    "Contended",
    "SoldOut",
    "active_agreement",
    "agreement_create",
    "agreement_move",
    "check_quantity",
    "require_agreement",
    "sellable_lots",
    "sold_out_of",
    "stock_adjust",
    "stock_put_back",
    "stock_receive",
    "stock_release",
    "stock_reserve",
    "stock_return_to_producer",
    "stock_sell",
    "stock_sell_held",
    "stock_take_lots",
    "stock_transfer",
]
