"""The events API: promotion events and their sessions, free seats, registrations and tickets, the
waiting list, check-in and head counts; mounted at /api/v1/events.

The events' own operations are the router's (so that the list is /events, not /events/); the
registrations' come in as a sub-router.
"""

from .api_events import router
from .api_registrations import router as registrations_router

router.tags = ["events"]
router.add_router("", registrations_router)

__all__ = ["router"]
