"""The audit trail as an Excel workbook: one row per entry, dates in the city's time, money in đồng."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ocophub.common import xlsx
from ocophub.common.dates import format_date

from .audit_sources import Entry
from .audit_trail import EXPORT_CAP, Filters


def audit_workbook(
    rows: list[Entry], filters: Filters, *, cut: bool, cap: int = EXPORT_CAP, scope: str = ""
) -> bytes:
    """The entries, and a second sheet with the period, the scope and, when the cap cut the list, a note."""
    wb = xlsx.workbook()
    headers = [
        _("When"),
        _("Kind"),
        pgettext("audit", "By"),
        _("Object"),
        _("What happened"),
        _("Before → after"),
        _("Amount (đồng)"),
        _("Source"),
        _("Id"),
    ]
    lines: list[list[Any]] = [
        [
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M"),
            entry.kind_label,
            entry.actor,
            entry.label,
            entry.what,
            entry.change,
            entry.amount,
            entry.source,
            entry.pk,
        ]
        for entry in rows
    ]
    xlsx.sheet(wb.active, _("Audit trail")[:31], headers, lines, money_columns={7})
    last_day = filters.end - dt.timedelta(days=1)
    notes: list[list[Any]] = [
        [_("Period"), f"{format_date(filters.start)} – {format_date(last_day)}"],
        [_("Entries"), len(rows)],
    ]
    if scope:
        notes.append([_("Scope"), scope])
    if cut:
        notes.append(
            [
                _("Note"),
                _("Only the newest %(cap)s entries are in this file: narrow the filters to see the rest.")
                % {"cap": f"{cap:,}".replace(",", ".")},
            ]
        )
    xlsx.sheet(wb.create_sheet(), _("About")[:31], [pgettext("audit export", "Item"), _("Value")], notes)
    return xlsx.save(wb)
