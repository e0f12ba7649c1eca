"""The tour visitors' panel on the city dashboard (installed by hooks.py through
programme.selectors.DASHBOARD_PANELS): people in tour groups at each center over the 30 days that end
on the dashboard's day, per day and per operator. Four queries."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from ocophub.common.charts import PALETTE, Bar, Series, stacked_bars

from .selectors_visits import heads_by

PANEL = "tours/_dashboard_visits.html"
DAYS = 30
CHART_CENTERS = 15


def dashboard_visits(user: Any, on: dt.date) -> dict[str, Any]:
    since = on - dt.timedelta(days=DAYS - 1)
    found = heads_by(since, on)
    centers = sorted(
        ((found["names"][pk], heads) for pk, heads in found["center"].items()),
        key=lambda row: (-row[1], row[0][0]),
    )
    operators = sorted(found["operator"].items(), key=lambda row: (-row[1], row[0]))
    days = sorted(found["day"].items())
    shown = centers[:CHART_CENTERS]
    return {
        "since": since,
        "until": on,
        "centers": centers,
        "operators": operators,
        "days": days,
        "heads": sum(heads for _c, heads in centers),
        "chart": stacked_bars(
            [Bar(name, [heads]) for (name, _slug), heads in shown],
            [Series(_("Tour visitors"), PALETTE[0])],
            title=_("Tour visitors by center, %(since)s–%(until)s")
            % {"since": f"{since:%d/%m/%Y}", "until": f"{on:%d/%m/%Y}"},
        )
        if shown
        else "",
        "day_chart": stacked_bars(
            [Bar(f"{day:%d/%m}", [n]) for day, n in days],
            [Series(_("Tour visitors"), PALETTE[0])],
            title=_("Tour visitors by day"),
        )
        if days
        else "",
    }
