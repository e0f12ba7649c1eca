"""The studio board's figures: a center's (or the city's) design work in a period, summed in SQL.

Rules the board follows:
- the period runs from its first day 00:00 to the day after its last, in the city's time zone;
- requests by state, by producer and by funding source are the requests submitted in the period, in the
  state they are in now; money counts only the requests that draw (every state but declined and
  cancelled), at the agreed price or the budget before a price is agreed;
- open and overdue requests are counted now, whatever the period (the work still owed);
- delivery figures (per designer and the median time) count the requests delivered in the period; the
  median is the middle of the times from submission to delivery, read in two rows ordered in SQL;
- a subsidy is the cost × the subsidy's share ÷ 100, rounded down per request (as
  DesignRequest.subsidy_amount); the producer pays the rest;
- every table is one aggregate query, whatever the number of requests.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.accounts.models import Role, RoleGrant
from ocophub.centers.models import Center
from ocophub.programme.models import FundingSource

from .models import DONE_STATES, DRAWING_STATES, OPEN_STATES, DesignRequest, RequestState

TOP_PRODUCERS = 20
# the open requests listed on the page (all of them are in the Excel file)
OPEN_LISTED = 100

COST = Coalesce(F("price"), F("budget"))
SUBSIDY = ExpressionWrapper(COST * F("subsidy_percent") / Value(100), output_field=BigIntegerField())
DRAWING = Q(state__in=DRAWING_STATES)
PRODUCER_PAID = "producer"


def board_centers(user: Any) -> QuerySet[Center]:
    """The centers whose board the user may see: every center for the city, else the centers where the
    user is a manager or a designer (accounts.permissions.can_view_studio_board)."""
    if permissions.can_view_city_overview(user):
        return Center.objects.order_by("name", "pk")
    ids = permissions.scope_ids(user, Role.CENTER_MANAGER, Role.DESIGNER)
    return Center.objects.filter(pk__in=ids).order_by("name", "pk")


def this_year(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The board's default period: the current calendar year."""
    today = today or timezone.localdate()
    return today.replace(month=1, day=1), today.replace(month=12, day=31)


def local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the city's time zone."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return since, until


@dataclass(frozen=True)
class Scope:
    """Whose requests: one center, some centers, or (`center_ids` None) every center; and the period."""

    center_ids: frozenset[int] | None
    start: dt.date
    end: dt.date

    def requests(self) -> QuerySet[DesignRequest]:
        base = DesignRequest.objects.all()
        return base if self.center_ids is None else base.filter(center_id__in=self.center_ids)

    @property
    def submitted(self) -> Q:
        since, until = local_range(self.start, self.end)
        return Q(submitted_at__gte=since, submitted_at__lt=until)

    @property
    def delivered(self) -> Q:
        since, until = local_range(self.start, self.end)
        return Q(delivered_at__gte=since, delivered_at__lt=until)

    def in_period(self) -> QuerySet[DesignRequest]:
        """The requests submitted in the period."""
        return self.requests().filter(self.submitted)


@dataclass
class StateRow:
    state: str
    label: str
    count: int


@dataclass
class WorkloadRow:
    designer_id: int
    name: str
    open: int = 0
    overdue: int = 0
    delivered: int = 0


@dataclass
class MoneyRow:
    """A producer's or a funding source's requests, and what they cost."""

    key: Any
    label: str
    requests: int = 0
    delivered: int = 0
    cost: int = 0
    subsidy: int = 0

    @property
    def producer_share(self) -> int:
        return self.cost - self.subsidy


@dataclass
class CommitmentRow:
    """What one funding commitment paid for: the period's requests and subsidies, and what is left."""

    commitment_id: int
    document: str
    funder: str
    source: str
    center: str
    amount: int
    requests: int
    delivered: int
    subsidy: int
    drawn: int  # every drawing request on it, whatever the period

    @property
    def remaining(self) -> int:
        return self.amount - self.drawn


@dataclass
class Board:
    scope: Scope
    today: dt.date
    by_state: list[StateRow]
    submitted_total: int
    open_total: int
    overdue_total: int
    awaiting_total: int
    open_rows: list[DesignRequest]
    workload: list[WorkloadRow]
    delivered_total: int
    median_days: Decimal | None
    by_producer: list[MoneyRow]
    by_source: list[MoneyRow]
    by_commitment: list[CommitmentRow] | None = None
    cost_total: int = 0
    subsidy_total: int = 0

    @property
    def producer_total(self) -> int:
        return self.cost_total - self.subsidy_total


def source_label(source: str | None) -> str:
    if not source or source == PRODUCER_PAID:
        return _("Paid by the producer")
    return str(FundingSource(source).label) if source in FundingSource.values else source


def _by_state(scope: Scope) -> list[StateRow]:
    counts = dict(
        scope.in_period().order_by().values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [StateRow(state, str(label), counts.get(state, 0)) for state, label in RequestState.choices]


def _totals(scope: Scope, today: dt.date) -> dict[str, int]:
    open_now = Q(state__in=OPEN_STATES)
    return scope.requests().aggregate(
        open=Count("pk", filter=open_now),
        overdue=Count("pk", filter=open_now & Q(due_on__lt=today)),
        awaiting=Count("pk", filter=Q(state=RequestState.SUBMITTED)),
        delivered=Count("pk", filter=scope.delivered),
    )


def _open_rows(scope: Scope) -> list[DesignRequest]:
    return list(
        scope.requests()
        .filter(state__in=OPEN_STATES)
        .select_related("producer", "center", "designer")
        .order_by(F("due_on").asc(nulls_last=True), "submitted_at", "pk")[:OPEN_LISTED]
    )


def _workload(scope: Scope, today: dt.date) -> list[WorkloadRow]:
    """Every designer of the centers (none of their work too) and whoever else has work assigned."""
    open_now = Q(state__in=OPEN_STATES)
    rows: dict[int, WorkloadRow] = {}
    grants = RoleGrant.objects.live().filter(role=Role.DESIGNER).select_related("user")
    if scope.center_ids is not None:
        grants = grants.filter(scope_id__in=scope.center_ids)
    for grant in grants:
        rows.setdefault(grant.user_id, WorkloadRow(grant.user_id, str(grant.user)))
    assigned = (
        scope.requests()
        .filter(designer__isnull=False)
        .filter(open_now | scope.delivered)
        .order_by()
        .values("designer_id", "designer__full_name", "designer__email")
        .annotate(
            open=Count("pk", filter=open_now),
            overdue=Count("pk", filter=open_now & Q(due_on__lt=today)),
            delivered=Count("pk", filter=scope.delivered),
        )
    )
    for item in assigned:
        name = item["designer__full_name"] or item["designer__email"] or f"#{item['designer_id']}"
        row = rows.setdefault(item["designer_id"], WorkloadRow(item["designer_id"], name))
        row.open, row.overdue, row.delivered = item["open"], item["overdue"], item["delivered"]
    return sorted(rows.values(), key=lambda r: (-r.open, -r.overdue, r.name.casefold(), r.designer_id))


def median_delivery_days(scope: Scope, delivered: int) -> Decimal | None:
    """The median of the days from submission to delivery over the `delivered` requests delivered in
    the period, to a tenth of a day: the middle one or two durations, ordered and sliced in SQL."""
    if not delivered:
        return None
    took = ExpressionWrapper(F("delivered_at") - F("submitted_at"), output_field=DurationField())
    middle = list(
        scope.requests()
        .filter(scope.delivered)
        .annotate(took=took)
        .order_by("took", "pk")
        .values_list("took", flat=True)[(delivered - 1) // 2 : delivered // 2 + 1]
    )
    if not middle:
        return None
    microseconds = sum(value // dt.timedelta(microseconds=1) for value in middle)
    days = Decimal(microseconds) / Decimal(len(middle)) / Decimal(86_400_000_000)
    return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _money(key: Any, label: str, item: Any) -> MoneyRow:
    return MoneyRow(
        key=key,
        label=label,
        requests=item["requests"],
        delivered=item["delivered"],
        cost=int(item["cost"] or 0),
        subsidy=int(item["subsidy"] or 0),
    )


def _with_money(requests: Any) -> Any:
    """Each group's number of requests, delivered ones, cost and subsidy (of the drawing ones)."""
    return requests.annotate(
        requests=Count("pk"),
        delivered=Count("pk", filter=Q(state__in=DONE_STATES)),
        cost=Sum(COST, filter=DRAWING),
        subsidy=Sum(SUBSIDY, filter=DRAWING),
    )


def _by_producer(scope: Scope) -> list[MoneyRow]:
    grouped = _with_money(scope.in_period().order_by().values("producer_id", "producer__name"))
    items = grouped.order_by("-requests", "producer__name", "producer_id")[:TOP_PRODUCERS]
    return [_money(item["producer_id"], item["producer__name"], item) for item in items]


def _by_source(scope: Scope) -> list[MoneyRow]:
    """The requests that draw, by who pays: the producer alone, or each programme funding source."""
    items = _with_money(scope.in_period().filter(DRAWING).order_by().values("commitment__source"))
    found = {item["commitment__source"] or PRODUCER_PAID: item for item in items}
    order = [PRODUCER_PAID, *FundingSource.values]
    return [_money(key, source_label(key), found[key]) for key in order if key in found]


def _by_commitment(scope: Scope) -> list[CommitmentRow]:
    """The commitments the period's requests drew on, each with everything drawn on it so far."""
    drawing = DesignRequest.objects.filter(DRAWING, commitment__isnull=False)
    if scope.center_ids is not None:
        drawing = drawing.filter(center_id__in=scope.center_ids)
    period = scope.submitted
    items = (
        drawing.order_by()
        .values(
            "commitment_id",
            "commitment__document",
            "commitment__funder",
            "commitment__source",
            "commitment__center__name",
            "commitment__amount",
        )
        .annotate(
            requests=Count("pk", filter=period),
            delivered=Count("pk", filter=period & Q(state__in=DONE_STATES)),
            subsidy=Sum(SUBSIDY, filter=period),
            drawn=Sum(SUBSIDY),
        )
        .filter(requests__gt=0)
        .order_by("commitment__center__name", "-commitment__amount", "commitment_id")
    )
    return [
        CommitmentRow(
            commitment_id=item["commitment_id"],
            document=item["commitment__document"],
            funder=item["commitment__funder"],
            source=source_label(item["commitment__source"]),
            center=item["commitment__center__name"],
            amount=int(item["commitment__amount"]),
            requests=item["requests"],
            delivered=item["delivered"],
            subsidy=int(item["subsidy"] or 0),
            drawn=int(item["drawn"] or 0),
        )
        for item in items
    ]


def studio_board(scope: Scope, *, city: bool, today: dt.date | None = None) -> Board:
    """Every figure of the board, in a fixed number of queries; the commitments for the city only."""
    today = today or timezone.localdate()
    totals = _totals(scope, today)
    by_state = _by_state(scope)
    by_source = _by_source(scope)
    return Board(
        scope=scope,
        today=today,
        by_state=by_state,
        submitted_total=sum(row.count for row in by_state),
        open_total=totals["open"],
        overdue_total=totals["overdue"],
        awaiting_total=totals["awaiting"],
        open_rows=_open_rows(scope),
        workload=_workload(scope, today),
        delivered_total=totals["delivered"],
        median_days=median_delivery_days(scope, totals["delivered"]),
        by_producer=_by_producer(scope),
        by_source=by_source,
        by_commitment=_by_commitment(scope) if city else None,
        cost_total=sum(row.cost for row in by_source),
        subsidy_total=sum(row.subsidy for row in by_source),
    )


def export_rows(scope: Scope) -> QuerySet[DesignRequest]:
    """The requests of the Excel file: those submitted in the period, oldest first."""
    return (
        scope.in_period()
        .select_related("producer", "center", "designer", "commitment")
        .order_by("submitted_at", "pk")
    )
