"""Pages of the online shop: the basket, checkout per center, order pages, and the centers' order desk.

Customers buy from one center per checkout, because the goods are held on that center's shelves and
collected or sent from there. Guests reach their order through its secret token; staff of the center
handle its orders (anyone else gets 404).

By room: basket.py, checkout.py (checkout and the customer's order pages) and desk.py (the centers'
order desk).
"""

from .basket import BasketGroup, BasketLine, add, basket_page
from .checkout import PAGE_SIZE, checkout, my_orders, order_cancel, order_page
from .desk import center_order, center_order_act, center_orders

__all__ = [
    "PAGE_SIZE",
    "BasketGroup",
    "BasketLine",
    "add",
    "basket_page",
    "center_order",
    "center_order_act",
    "center_orders",
    "checkout",
    "my_orders",
    "order_cancel",
    "order_page",
]
