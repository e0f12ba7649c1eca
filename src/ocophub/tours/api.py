"""The tours API under /api/v1/tours (tours, departures, availability, bookings, check-ins) and the
OCTO-shaped endpoints for agencies and resellers under /api/v1/octo.

Paths with an id take a number (422 otherwise); the fixed paths (/tours/operators, /tours/availability,
/tours/bookings, /tours/departures, /tours/check-ins, /tours/visits, /tours/by-slug) are mounted
before /tours/{tour_id}.
"""

from ninja import Router

from ocophub.accounts.auth import API_AUTH

from .api_bookings import router as bookings_router
from .api_itinerary import router as itinerary_router
from .api_octo import router as octo_router
from .api_tours import router as tours_router
from .api_visits import router as visits_router

router = Router(tags=["tours"], auth=API_AUTH)
router.add_router("/tours", bookings_router)
router.add_router("/tours", visits_router)
router.add_router("/tours", tours_router)
# after the tours' own paths: /tours/by-slug/{slug} must be tried before /tours/{tour_id}/plan
router.add_router("/tours", itinerary_router)
router.add_router("/octo", octo_router)
