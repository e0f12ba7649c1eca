"""API of the sales app: the counter, the online shop and settlements, one module each."""

from ninja import Router

from ocophub.accounts.auth import API_AUTH

from .api_counter import router as counter_router
from .api_orders import router as orders_router
from .api_settlements import router as settlements_router

router = Router(tags=["sales"], auth=API_AUTH)
router.add_router("", counter_router)
router.add_router("", orders_router)
router.add_router("", settlements_router)
