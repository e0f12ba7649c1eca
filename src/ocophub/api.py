"""Mounts every app's router at /api/v1/."""

from ocophub.accounts.api import router as accounts_router
from ocophub.accounts.auth import API_AUTH
from ocophub.catalogue.api import router as catalogue_router
from ocophub.centers.api import router as centers_router
from ocophub.common.api import Api, ObjectBodyParser, install_error_handlers
from ocophub.design.api import router as design_router
from ocophub.events.api import router as events_router
from ocophub.inventory.api import router as inventory_router
from ocophub.places.api import router as places_router
from ocophub.programme.api import funding_router
from ocophub.programme.api import router as plans_router
from ocophub.sales.api import router as sales_router
from ocophub.tours.api import router as tours_router
from ocophub.web.api import router as web_router

api = Api(
    title="OCOP Hub API",
    version="1",
    description=(
        "Hanoi's network of OCOP and craft-village centers. Errors are "
        '`{"error": {"code", "message", "fields"}}`; lists take `limit` and `offset` and return `count`. '
        "Authenticate with the browser session or `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    parser=ObjectBodyParser(),
)
install_error_handlers(api)
api.add_router("/", web_router)
api.add_router("/places", places_router, auth=API_AUTH)  # writes need a caller; reads say auth=None
api.add_router("/", accounts_router)
api.add_router("/centers", centers_router)
api.add_router("/", plans_router)
api.add_router("/funding", funding_router)
api.add_router("/", catalogue_router)
api.add_router("/", inventory_router)
api.add_router("/", sales_router)
api.add_router("/design", design_router)
api.add_router("/", events_router)
api.add_router("/", tours_router)
