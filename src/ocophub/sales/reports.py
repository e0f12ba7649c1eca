"""Sales reports: what the centers sold in a period, summed in the database.

Rules the reports follow:
- a sale counts on the local date (Asia/Ho_Chi_Minh) it was rung up, a return on the local date it was
  taken back, so the returns of a period are those made in it (as settlements count them);
- gross is Σ of the sale lines' amounts, returns Σ of the return lines' amounts, net = gross − returns;
- a product's group is the top-level node of its taxonomy (the taxonomy is at most three levels deep);
  products without a taxonomy fall in "no group";
- payments by method are the succeeded payment rows received in the period, less the succeeded refunds
  made against payments of that method in the period;
- every table is one or two aggregate queries, whatever the number of sales.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.centers.models import Center
from ocophub.inventory import selectors as inventory

from .models import Payment, PaymentMethod, PaymentState, Refund, ReturnLine, SaleLine
from .selectors import local_range

TOP = 10


def report_centers(user: Any) -> QuerySet[Center]:
    """Centers whose sales the user may report on: every center for the city, their own for managers."""
    if permissions.can_view_city_overview(user):
        return Center.objects.order_by("name", "pk")
    return Center.objects.filter(pk__in=permissions.scope_ids(user, Role.CENTER_MANAGER)).order_by(
        "name", "pk"
    )


@dataclass
class Row:
    """One line of a summary table: a label, gross sales, returns and units."""

    key: Any
    label: str
    gross: int = 0
    returns: int = 0
    units: int = 0
    units_returned: int = 0

    @property
    def net(self) -> int:
        return self.gross - self.returns


@dataclass
class Seller:
    label: str
    producer: str
    quantity: int
    amount: int


@dataclass
class MethodRow:
    key: str
    label: str
    received: int = 0
    refunded: int = 0
    count: int = 0

    @property
    def net(self) -> int:
        return self.received - self.refunded


@dataclass
class SalesReport:
    start: dt.date
    end: dt.date
    centers: list[Center]
    by_day: list[Row] = field(default_factory=list)
    by_center: list[Row] = field(default_factory=list)
    by_producer: list[Row] = field(default_factory=list)
    by_group: list[Row] = field(default_factory=list)
    by_method: list[MethodRow] = field(default_factory=list)
    top_by_quantity: list[Seller] = field(default_factory=list)
    top_by_amount: list[Seller] = field(default_factory=list)
    stock_value: list[dict[str, Any]] = field(default_factory=list)

    @property
    def gross(self) -> int:
        return sum(row.gross for row in self.by_center)

    @property
    def returns(self) -> int:
        return sum(row.returns for row in self.by_center)

    @property
    def net(self) -> int:
        return self.gross - self.returns

    @property
    def units(self) -> int:
        return sum(row.units for row in self.by_center)


def _lines(center_ids: list[int], start: dt.date, end: dt.date) -> tuple[QuerySet, QuerySet]:
    since, until = local_range(start, end)
    sale_lines = SaleLine.objects.filter(
        sale__center_id__in=center_ids, sale__created_at__gte=since, sale__created_at__lt=until
    )
    return_lines = ReturnLine.objects.filter(
        sale_line__sale__center_id__in=center_ids, ret__created_at__gte=since, ret__created_at__lt=until
    )
    return sale_lines, return_lines


def _summary(
    sale_lines: QuerySet,
    return_lines: QuerySet,
    key: Any,
    label: Any,
    return_key: Any,
    return_label: Any,
) -> list[Row]:
    """Gross from the sale lines and returns from the return lines, grouped by the same key."""
    rows: dict[Any, Row] = {}
    for r in (
        sale_lines.annotate(k=key, name=label)
        .values("k", "name")
        .annotate(gross=Sum("amount"), units=Sum("quantity"))
        .order_by()
    ):
        rows[r["k"]] = Row(r["k"], r["name"] or "", gross=int(r["gross"] or 0), units=int(r["units"] or 0))
    for r in (
        return_lines.annotate(k=return_key, name=return_label)
        .values("k", "name")
        .annotate(returns=Sum("amount"), units=Sum("quantity"))
        .order_by()
    ):
        row = rows.setdefault(r["k"], Row(r["k"], r["name"] or ""))
        row.returns = int(r["returns"] or 0)
        row.units_returned = int(r["units"] or 0)
    return list(rows.values())


def _group_of(prefix: str) -> tuple[Any, Any]:
    taxonomy = f"{prefix}product__taxonomy"
    return (
        Coalesce(f"{taxonomy}__parent__parent_id", f"{taxonomy}__parent_id", f"{taxonomy}_id"),
        Coalesce(f"{taxonomy}__parent__parent__name", f"{taxonomy}__parent__name", f"{taxonomy}__name"),
    )


def _by_day(sale_lines: QuerySet, return_lines: QuerySet, start: dt.date, end: dt.date) -> list[Row]:
    found = {
        row.key: row
        for row in _summary(
            sale_lines,
            return_lines,
            TruncDate("sale__created_at"),
            TruncDate("sale__created_at"),
            TruncDate("ret__created_at"),
            TruncDate("ret__created_at"),
        )
    }
    days = []
    day = start
    while day <= end:
        row = found.get(day) or Row(day, "")
        row.key, row.label = day, day.strftime("%d/%m")
        days.append(row)
        day += dt.timedelta(days=1)
    return days


def _top(sale_lines: QuerySet, order: str) -> list[Seller]:
    rows = (
        sale_lines.values("product_id", "product__name", "producer__name")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by(f"-{order}", "product__name", "product_id")[:TOP]
    )
    return [
        Seller(r["product__name"], r["producer__name"], int(r["quantity"] or 0), int(r["amount"] or 0))
        for r in rows
    ]


def _by_method(center_ids: list[int], start: dt.date, end: dt.date) -> list[MethodRow]:
    since, until = local_range(start, end)
    rows = {m: MethodRow(m, str(label)) for m, label in PaymentMethod.choices}
    at_centers = Q(sale__center_id__in=center_ids) | Q(order__center_id__in=center_ids)
    for r in (
        Payment.objects.filter(
            at_centers, state=PaymentState.SUCCEEDED, created_at__gte=since, created_at__lt=until
        )
        .values("method")
        .annotate(received=Sum("amount"), count=Count("pk"))
        .order_by()
    ):
        row = rows.setdefault(r["method"], MethodRow(r["method"], r["method"]))
        row.received, row.count = int(r["received"] or 0), int(r["count"])
    for refund in (
        Refund.objects.filter(
            Q(payment__sale__center_id__in=center_ids) | Q(payment__order__center_id__in=center_ids),
            state=PaymentState.SUCCEEDED,
            created_at__gte=since,
            created_at__lt=until,
        )
        .values("payment__method")
        .annotate(refunded=Sum("amount"))
        .order_by()
    ):
        method = refund["payment__method"]
        rows.setdefault(method, MethodRow(method, method)).refunded = int(refund["refunded"] or 0)
    return list(rows.values())


def _sorted(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (-row.gross, -row.returns, row.label))


def sales_report(user: Any, centers: list[Center], start: dt.date, end: dt.date) -> SalesReport:
    """The report of `centers` (already limited to what the user may see) for [start, end]."""
    ids = [center.pk for center in centers]
    sale_lines, return_lines = _lines(ids, start, end)
    report = SalesReport(start=start, end=end, centers=centers)
    report.by_day = _by_day(sale_lines, return_lines, start, end)
    names = {center.pk: center.name for center in centers}
    by_center = {
        row.key: row
        for row in _summary(
            sale_lines,
            return_lines,
            F("sale__center_id"),
            F("sale__center_id"),
            F("sale_line__sale__center_id"),
            F("sale_line__sale__center_id"),
        )
    }
    report.by_center = _sorted(by_center.get(pk) or Row(pk, names[pk]) for pk in ids)
    for row in report.by_center:
        row.label = names[row.key]
    report.by_producer = _sorted(
        _summary(
            sale_lines,
            return_lines,
            F("producer_id"),
            F("producer__name"),
            F("sale_line__producer_id"),
            F("sale_line__producer__name"),
        )
    )
    group_key, group_label = _group_of("")
    return_group_key, return_group_label = _group_of("sale_line__")
    report.by_group = _sorted(
        _summary(sale_lines, return_lines, group_key, group_label, return_group_key, return_group_label)
    )
    for row in report.by_group:
        if row.key is None:
            row.label = _("No product group")
    report.by_method = _by_method(ids, start, end)
    report.top_by_quantity = _top(sale_lines, "quantity")
    report.top_by_amount = _top(sale_lines, "amount")
    report.stock_value = inventory.stock_value_by_producer(
        inventory.visible_stock(user).filter(center_id__in=ids)
    )
    return report
