"""The events' panels on lower apps' pages (installed by hooks.py): what is coming at a center, and the
hands-on workshops at a craft village's centers. Two queries each, whatever the number of sessions."""

from typing import Any

from django.utils import timezone

from ocophub.centers.models import Center
from ocophub.places.models import CraftVillage

from . import selectors
from .models import EventKind

CENTER_PANEL = "events/public/_center_upcoming.html"
VILLAGE_PANEL = "events/public/_village_workshops.html"


def center_upcoming(user: Any, center: Center, query: Any) -> dict[str, Any]:
    """The center's next sessions (of published events), with their free seats."""
    rows = selectors.sessions_with_seats(
        center_id=center.pk, since=timezone.now(), limit=selectors.PANEL_SIZE + 1
    )
    return {
        "rows": rows[: selectors.PANEL_SIZE],
        "more": len(rows) > selectors.PANEL_SIZE,
        "now": timezone.now(),
    }


def village_workshops(user: Any, village: CraftVillage, query: Any) -> dict[str, Any]:
    """The next hands-on workshops at the public centers of the village."""
    rows = selectors.sessions_with_seats(
        village_id=village.pk,
        kind=EventKind.WORKSHOP,
        since=timezone.now(),
        public_centers=True,
        limit=selectors.PANEL_SIZE + 1,
    )
    return {
        "rows": rows[: selectors.PANEL_SIZE],
        "more": len(rows) > selectors.PANEL_SIZE,
        "now": timezone.now(),
    }
