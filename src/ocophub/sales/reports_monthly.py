"""The monthly sales report by administrative unit: what the centers of each district sold, month by month.

Rules (those of `reports`, by month):
- a sale counts in the local month (Asia/Ho_Chi_Minh) it was rung up, a return in the local month it was
  taken back;
- a center's unit is the district-level unit of the commune it was set up in (the units of Plan 276);
- gross is Σ of the sale lines' amounts, returns Σ of the return lines' amounts, net = gross − returns;
- two aggregate queries (sale lines, return lines) grouped by unit and month, whatever the number of sales.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, F, Func, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ocophub.centers.models import Center
from ocophub.places.models import AdministrativeUnit

from .models import ReturnLine, SaleLine
from .reports import Row
from .selectors import local_range

MAX_MONTHS = 24


def month_key(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from start's to end's."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def fixed_offset_minutes(since: dt.datetime, until: dt.datetime) -> int | None:
    """The zone's UTC offset in minutes if it is the same over [since, until] (Hanoi's: +7:00 since 1975)."""
    first, last = since.utcoffset(), until.utcoffset()
    if first is None or first != last:
        return None
    return int(first.total_seconds() // 60)


class LocalMonth(Func):
    """'YYYY-MM' of a stored moment in the city's zone, computed by the database.

    Django's TruncMonth does this on SQLite by calling back into Python for every row; with a fixed
    offset over the period SQLite's own strftime gives the same month, at the database's speed."""

    output_field = CharField()

    def __init__(self, expression: Any, offset_minutes: int | None) -> None:
        super().__init__(expression)
        self.offset_minutes = offset_minutes

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        if self.offset_minutes is None:
            return self._truncated(compiler, connection)
        return f"strftime('%%Y-%%m', {sql}, %s)", [*params, f"{self.offset_minutes:+d} minutes"]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql} AT TIME ZONE %s, 'YYYY-MM')", [*params, timezone.get_current_timezone_name()]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]  # other databases
        return self._truncated(compiler, connection)

    def _truncated(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return compiler.compile(TruncMonth(self.source_expressions[0]))


@dataclass
class UnitRow:
    """One unit's line: a Row per month (gross, returns, units) and the unit's total."""

    key: int | None
    label: str
    months: dict[str, Row] = field(default_factory=dict)

    def cells(self, months: list[dt.date]) -> list[Row]:
        return [self.months.get(month_key(m)) or Row(month_key(m), "") for m in months]

    @property
    def total(self) -> Row:
        row = Row(self.key, self.label)
        for cell in self.months.values():
            row.gross += cell.gross
            row.returns += cell.returns
            row.units += cell.units
            row.units_returned += cell.units_returned
        return row


@dataclass
class MonthlyReport:
    start: dt.date
    end: dt.date
    centers: list[Center]
    months: list[dt.date]
    units: list[UnitRow] = field(default_factory=list)

    @property
    def by_month(self) -> list[Row]:
        """The column totals: every unit's month summed."""
        totals = {month_key(m): Row(month_key(m), f"{m:%m/%Y}") for m in self.months}
        for unit in self.units:
            for key, cell in unit.months.items():
                total = totals.setdefault(key, Row(key, key))
                total.gross += cell.gross
                total.returns += cell.returns
                total.units += cell.units
                total.units_returned += cell.units_returned
        return list(totals.values())

    @property
    def gross(self) -> int:
        return sum(unit.total.gross for unit in self.units)

    @property
    def returns(self) -> int:
        return sum(unit.total.returns for unit in self.units)

    @property
    def net(self) -> int:
        return self.gross - self.returns

    @property
    def units_sold(self) -> int:
        return sum(unit.total.units for unit in self.units)


def unit_month_sales(
    center_ids: list[int], start: dt.date, end: dt.date
) -> tuple[QuerySet[Any, Any], QuerySet[Any, Any]]:
    """Sale lines and return lines of the period summed by (unit id, 'YYYY-MM')."""
    since, until = local_range(start, end)
    offset = fixed_offset_minutes(since, until)
    sales = (
        SaleLine.objects.filter(
            sale__center_id__in=center_ids, sale__created_at__gte=since, sale__created_at__lt=until
        )
        .annotate(unit=F("sale__center__commune__parent_id"), month=LocalMonth("sale__created_at", offset))
        .values("unit", "month")
        .annotate(gross=Sum("amount"), units=Sum("quantity"))
        .order_by()
    )
    returns = (
        ReturnLine.objects.filter(
            sale_line__sale__center_id__in=center_ids, ret__created_at__gte=since, ret__created_at__lt=until
        )
        .annotate(
            unit=F("sale_line__sale__center__commune__parent_id"),
            month=LocalMonth("ret__created_at", offset),
        )
        .values("unit", "month")
        .annotate(returns=Sum("amount"), units=Sum("quantity"))
        .order_by()
    )
    return sales, returns


def monthly_by_unit(centers: list[Center], start: dt.date, end: dt.date) -> MonthlyReport:
    """The report of `centers` (already limited to what the user may see) for the months start…end."""
    start, end = (
        start.replace(day=1),
        (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1),
    )
    report = MonthlyReport(start=start, end=end, centers=centers, months=months_between(start, end))
    sales, returns = unit_month_sales([c.pk for c in centers], start, end)
    units: dict[int | None, UnitRow] = {}
    for r in sales:
        unit = units.setdefault(r["unit"], UnitRow(r["unit"], ""))
        unit.months[r["month"]] = Row(r["month"], "", gross=int(r["gross"] or 0), units=int(r["units"] or 0))
    for r in returns:
        unit = units.setdefault(r["unit"], UnitRow(r["unit"], ""))
        cell = unit.months.setdefault(r["month"], Row(r["month"], ""))
        cell.returns, cell.units_returned = int(r["returns"] or 0), int(r["units"] or 0)
    names = dict(AdministrativeUnit.objects.filter(pk__in=[k for k in units if k]).values_list("pk", "name"))
    for unit in units.values():
        unit.label = names.get(unit.key or 0, "")
    report.units = sorted(units.values(), key=lambda u: (-u.total.gross, u.label))
    return report
