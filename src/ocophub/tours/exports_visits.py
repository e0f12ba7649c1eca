"""The visits of a month and the commission statement as an Excel file: one sheet of visits, one of
the commission per center and operator; money as whole đồng, times as dd/mm/yyyy hh:mm."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.xlsx import save, sheet, workbook

from .selectors_visits import StatementRow, VisitRow


def _visit_rows(rows: list[VisitRow]) -> list[list[Any]]:
    return [
        [
            f"{timezone.localtime(r.visit.arrived_at):%d/%m/%Y %H:%M}",
            f"{timezone.localtime(r.visit.ends_at):%H:%M}",
            r.visit.center.name,
            r.visit.operator.name,
            r.visit.departure.tour.title,
            f"{timezone.localtime(r.visit.departure.starts_at):%d/%m/%Y %H:%M}",
            r.visit.heads,
            r.sales,
            r.total,
        ]
        for r in rows
    ]


def visits_workbook(rows: list[VisitRow], lines: list[StatementRow]) -> bytes:
    wb = workbook()
    sheet(
        wb.active,
        _("Tour visits"),
        [
            _("Arrived at"),
            _("Window ends"),
            _("Center"),
            _("Operator"),
            _("Tour"),
            _("Departure"),
            _("People"),
            _("Sales"),
            _("Attributed sales (đồng)"),
        ],
        _visit_rows(rows),
        money_columns={9},
    )
    sheet(
        wb.create_sheet(),
        _("Commission"),
        [
            _("Center"),
            _("Operator"),
            _("Visits"),
            _("People"),
            _("Attributed sales (đồng)"),
            _("Rate"),
            _("Commission due (đồng)"),
        ],
        [[s.center.name, s.operator.name, s.visits, s.heads, s.sales, s.rates, s.commission] for s in lines],
        money_columns={5, 7},
    )
    return save(wb)
