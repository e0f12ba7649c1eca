"""The events' panels on lower apps' pages (installed by hooks.py): what is coming at a center, and the
hands-on workshops at a craft village's centers (two queries each, whatever the number of sessions);
the visitors of events on the city dashboard."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.charts import PALETTE, Bar, Series, stacked_bars
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


DASHBOARD_PANEL = "events/_dashboard_visitors.html"
DASHBOARD_DAYS = 30
DASHBOARD_CHART_CENTERS = 15


@dataclass(frozen=True)
class CenterHeads:
    center: Center
    heads: int  # people checked in
    expected: int  # people registered for the sessions of those days


def dashboard_visitors(user: Any, on: dt.date) -> dict[str, Any]:
    """The city dashboard's visitors of events: people checked in at each center over the 30 days that
    end on the dashboard's day, against those registered for the sessions of those days, and per day;
    a chart of the busiest centers beside a table of every one. Four queries."""
    since = on - dt.timedelta(days=DASHBOARD_DAYS - 1)
    heads = selectors.heads_per_center(since, on)
    expected = selectors.expected_per_center(since, on)
    centers = Center.objects.filter(pk__in=set(heads) | set(expected)).only("pk", "name", "slug")
    rows = sorted(
        (CenterHeads(center, heads.get(center.pk, 0), expected.get(center.pk, 0)) for center in centers),
        key=lambda row: (-row.heads, -row.expected, row.center.name),
    )
    shown = rows[:DASHBOARD_CHART_CENTERS]
    per_day = selectors.heads_per_day(since, on)
    return {
        "since": since,
        "until": on,
        "rows": rows,
        "more": len(rows) - len(shown),
        "heads": sum(row.heads for row in rows),
        "expected": sum(row.expected for row in rows),
        "days": sorted(per_day.items()),
        "chart": stacked_bars(
            [Bar(row.center.name, [row.heads, max(row.expected - row.heads, 0)]) for row in shown],
            [
                Series(_("Checked in"), PALETTE[0]),
                Series(_("Registered, not checked in"), PALETTE[1]),
            ],
            title=_("Event visitors by center, %(since)s–%(until)s")
            % {"since": f"{since:%d/%m/%Y}", "until": f"{on:%d/%m/%Y}"},
        )
        if shown
        else "",
        "day_chart": stacked_bars(
            [Bar(f"{day:%d/%m}", [n]) for day, n in sorted(per_day.items())],
            [Series(_("Checked in"), PALETTE[0])],
            title=_("Event visitors by day"),
        )
        if per_day
        else "",
    }
