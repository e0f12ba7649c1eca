"""The design studio's API: requests, their moves, versions, files, comments and the portfolio."""

from ninja import Router

from ocophub.accounts.auth import API_AUTH

from .api_files import router as files_router
from .api_moves import router as moves_router
from .api_requests import router as requests_router

router = Router(tags=["design"], auth=API_AUTH)
router.add_router("", requests_router)
router.add_router("", moves_router)
router.add_router("", files_router)
