"""Reads of the visits: a center's or an operator's visits of a month, the counter sales attributed
to them, the commission due, and the tour visitors of the city dashboard.

Attribution (computed in SQL, nothing stored — the counter's POST /sales writes no more for it): a
counter sale at a center belongs to the visit to that center whose window holds its time
(`arrived_at` ≤ sold at < `ends_at`). When windows of two groups overlap, the sale goes to **the
group that arrived last before it** (ties: the visit recorded last) — the group that has just come
in is the one at the counter. Online sales are never attributed. A sale counts as rung up (its
later returns are not taken off).

Commission: the rate in force for a visit is the center's latest rate for the operator starting on
or before the visit's local day. The commission of a center, operator and month is Σ(sales × basis
points) / 10 000 over its visits, rounded once, half up, to the đồng."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from ocophub.centers.models import Center
from ocophub.common.money import round_vnd
from ocophub.sales.models import Channel, Sale

from .models import CommissionRate, Operator, Visit
from .models.visits import percent_label


def month_start(text: str | None, today: dt.date | None = None) -> dt.date:
    """The month asked for as `YYYY-MM` (this local month when missing or wrong)."""
    today = today or timezone.localdate()
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def attributed_visit() -> Subquery:
    """The visit a sale is attributed to: the latest arrival at its center whose window holds it."""
    return Subquery(
        Visit.objects.filter(
            center_id=OuterRef("center_id"),
            arrived_at__lte=OuterRef("created_at"),
            ends_at__gt=OuterRef("created_at"),
        )
        .order_by("-arrived_at", "-pk")
        .values("pk")[:1]
    )


def sales_of_visits(visits: list[Visit]) -> dict[int, tuple[int, int]]:
    """(number of sales, total in đồng) attributed to each of the visits: one query."""
    if not visits:
        return {}
    rows = (
        Sale.objects.filter(
            channel=Channel.COUNTER,
            center_id__in={v.center_id for v in visits},
            created_at__gte=min(v.arrived_at for v in visits),
            created_at__lt=max(v.ends_at for v in visits),
        )
        .annotate(visit_id=attributed_visit())
        .filter(visit_id__in=[v.pk for v in visits])
        .values("visit_id")
        .annotate(n=Count("pk"), total=Sum("total"))
        .order_by()
    )
    return {row["visit_id"]: (row["n"], row["total"] or 0) for row in rows}


def attributed_sales(visit: Visit) -> QuerySet[Sale]:
    """The counter sales attributed to one visit."""
    return (
        Sale.objects.filter(
            channel=Channel.COUNTER,
            center_id=visit.center_id,
            created_at__gte=visit.arrived_at,
            created_at__lt=visit.ends_at,
        )
        .annotate(visit_id=attributed_visit())
        .filter(visit_id=visit.pk)
        .order_by("created_at", "pk")
    )


@dataclass
class VisitRow:
    visit: Visit
    sales: int = 0  # number of attributed sales
    total: int = 0  # their total in đồng


def visits_of(
    *,
    center_ids: Iterable[int] | None = None,
    operator_ids: Iterable[int] | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[Visit]:
    qs = Visit.objects.select_related("departure__tour", "operator", "center")
    if center_ids is not None:
        qs = qs.filter(center_id__in=list(center_ids))
    if operator_ids is not None:
        qs = qs.filter(operator_id__in=list(operator_ids))
    if since is not None:
        qs = qs.filter(arrived_at__gte=since)
    if until is not None:
        qs = qs.filter(arrived_at__lt=until)
    return qs.order_by("-arrived_at", "-pk")


def days_visits(
    first: dt.date,
    last: dt.date,
    *,
    center_ids: Iterable[int] | None = None,
    operator_ids: Iterable[int] | None = None,
) -> list[VisitRow]:
    """The visits that arrived from the local day `first` to `last` inclusive, newest first, with
    their attributed sales: two queries whatever the number of visits."""
    visits = list(
        visits_of(
            center_ids=center_ids,
            operator_ids=operator_ids,
            since=_local_midnight(first),
            until=_local_midnight(last + dt.timedelta(days=1)),
        )
    )
    sold = sales_of_visits(visits)
    return [VisitRow(v, *sold.get(v.pk, (0, 0))) for v in visits]


def month_visits(
    first: dt.date, *, center_ids: Iterable[int] | None = None, operator_ids: Iterable[int] | None = None
) -> list[VisitRow]:
    """The visits of the local month that starts on `first`."""
    last = next_month(first) - dt.timedelta(days=1)
    return days_visits(first, last, center_ids=center_ids, operator_ids=operator_ids)


def rate_in_force(rates: list[CommissionRate], center_id: int, operator_id: int, day: dt.date) -> int:
    """Basis points of the latest rate of the pair starting on or before the day (0 without one)."""
    found = [
        r for r in rates if r.center_id == center_id and r.operator_id == operator_id and r.starts_on <= day
    ]
    return max(found, key=lambda r: r.starts_on).basis_points if found else 0


def round_commission(numerator: int) -> int:
    """Σ(sales × basis points) / 10 000, half up, to the đồng (the project's one rounding rule)."""
    return round_vnd(Decimal(numerator) / 10_000)


@dataclass
class StatementRow:
    center: Center
    operator: Operator
    visits: int = 0
    heads: int = 0
    sales: int = 0  # attributed sales in đồng
    basis_points: set[int] = field(default_factory=set)  # the rates in force over the month
    numerator: int = 0

    @property
    def commission(self) -> int:
        return round_commission(self.numerator)

    @property
    def rates(self) -> str:
        return " / ".join(percent_label(bp) for bp in sorted(self.basis_points))


def statement(rows: list[VisitRow]) -> list[StatementRow]:
    """The month's visits summed per center and operator with the commission due: one query (the
    rates) over the visits' rows."""
    if not rows:
        return []
    pairs = {(r.visit.center_id, r.visit.operator_id) for r in rows}
    rates = list(
        CommissionRate.objects.filter(
            center_id__in={c for c, _ in pairs}, operator_id__in={o for _, o in pairs}
        ).order_by("starts_on")
    )
    out: dict[tuple[int, int], StatementRow] = {}
    for row in rows:
        v = row.visit
        line = out.setdefault((v.center_id, v.operator_id), StatementRow(v.center, v.operator))
        bp = rate_in_force(rates, v.center_id, v.operator_id, timezone.localtime(v.arrived_at).date())
        line.visits += 1
        line.heads += v.heads
        line.sales += row.total
        line.basis_points.add(bp)
        line.numerator += row.total * bp
    return sorted(out.values(), key=lambda s: (s.center.name, s.operator.name))


def rates_of(center: Center) -> list[CommissionRate]:
    return list(
        CommissionRate.objects.filter(center=center)
        .select_related("operator")
        .order_by("operator__name", "-starts_on")
    )


def operators_visiting(center: Center) -> list[Operator]:
    """The operators with a tour stopping at the center (those a rate can be agreed with)."""
    return list(Operator.objects.filter(tours__stops__center=center).distinct().order_by("name", "pk"))


def heads_by(since: dt.date, until: dt.date) -> dict[str, Any]:
    """Tour visitors (heads of visits) per center, per local day and per operator, from `since` to
    `until` inclusive: three aggregate queries."""
    start, end = _local_midnight(since), _local_midnight(until + dt.timedelta(days=1))
    qs = Visit.objects.filter(arrived_at__gte=start, arrived_at__lt=end).order_by()
    per_center: dict[int, int] = defaultdict(int)
    names: dict[int, tuple[str, str]] = {}
    for row in qs.values("center_id", "center__name", "center__slug").annotate(h=Sum("heads"), n=Count("pk")):
        per_center[row["center_id"]] += row["h"] or 0
        names[row["center_id"]] = (row["center__name"], row["center__slug"])
    per_operator = {
        row["operator__name"]: row["h"] or 0 for row in qs.values("operator__name").annotate(h=Sum("heads"))
    }
    per_day: dict[dt.date, int] = defaultdict(int)
    for at, heads in qs.values_list("arrived_at", "heads"):
        per_day[timezone.localtime(at).date()] += heads
    return {"center": dict(per_center), "names": names, "operator": per_operator, "day": dict(per_day)}
