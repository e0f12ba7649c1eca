"""The events API: promotion events and their sessions, free seats, registrations and tickets, the
waiting list, check-in and head counts, under /api/v1/events.

Paths with an id take any text (ninja answers 422 for one that is not a number, never the site's HTML
404), so the fixed paths (/events/heads, /events/availability, …) are mounted before /events/{event_id}.
"""

from ninja import Router

from ocophub.accounts.auth import API_AUTH

from .api_events import router as events_router
from .api_registrations import router as registrations_router

router = Router(tags=["events"], auth=API_AUTH)
router.add_router("/events", registrations_router)
router.add_router("/events", events_router)
