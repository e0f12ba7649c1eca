"""Plan progress and funding totals: the numbers of the city's dashboard, API and exports.

Every function here runs a fixed number of queries, whatever the number of centers or rows.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from ocophub.accounts import permissions
from ocophub.centers import selectors as centers
from ocophub.centers.models import COUNTED_STATUSES, PIPELINE_STATUSES, Center, CenterEvent
from ocophub.places.models import AdministrativeUnit, Era, Level
from ocophub.places.selectors import UnitIndex, unit_index

from .models import SOURCE_GROUP, Commitment, Disbursement, FundingSource, Plan, Target


class State:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    NO_TARGET = "no_target"
    NOT_STARTED = "not_started"


# Panels that apps above this one add to the city dashboard (e.g. the events' visitors): a template
# and a function (user, day) → its context, each a fixed number of queries.
DASHBOARD_PANELS: list[tuple[str, Callable[[Any, dt.date], dict[str, Any]]]] = []

STATE_ORDER = [State.MISSED, State.BEHIND, State.ON_TRACK, State.MET, State.NOT_STARTED, State.NO_TARGET]


@dataclass
class CenterAt:
    center: Center
    status: str
    counted_since: dt.date | None  # first day it reached a counted status
    history: list[CenterEvent] = field(default_factory=list)

    def status_on(self, day: dt.date) -> str | None:
        return centers.status_on(self.history, day)


@dataclass
class TargetProgress:
    target: Target
    counted: int
    pipeline: int
    state: str
    centers: list[CenterAt]


@dataclass
class UnitProgress:
    unit: AdministrativeUnit
    by_status: dict[str, int]
    targets: list[TargetProgress]
    state: str
    centers: list[CenterAt]

    @property
    def counted(self) -> int:
        return sum(self.by_status.get(s, 0) for s in COUNTED_STATUSES)

    @property
    def pipeline(self) -> int:
        return sum(self.by_status.get(s, 0) for s in PIPELINE_STATUSES)


@dataclass
class Progress:
    plan: Plan
    on: dt.date
    units: list[UnitProgress]
    city_targets: list[TargetProgress]
    by_status: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    # "legacy": by the plan's old units, a center in each unit its commune lay in or went into;
    # "current": by the units in force since 01/07/2025, each center once, in the unit stored on it
    era: str = Era.LEGACY
    # (current only) centers whose unit since 01/07/2025 is not known: counted in no unit
    unplaced: list["CenterAt"] = field(default_factory=list)

    @property
    def units_without_center(self) -> list[AdministrativeUnit]:
        return [row.unit for row in self.units if row.counted == 0]


def plans() -> QuerySet[Plan]:
    return Plan.objects.prefetch_related("units").order_by("issued_on", "code")


def plan_by_code(code: str) -> Plan | None:
    return plans().filter(code=code).first()


def centers_at(on: dt.date) -> list[CenterAt]:
    """Every center that existed on `on`, with its status that day (two queries)."""
    events: dict[int, list[CenterEvent]] = defaultdict(list)
    for event in CenterEvent.objects.filter(effective_on__lte=on).order_by("effective_on", "pk"):
        events[event.center_id].append(event)
    result = []
    for center in Center.objects.select_related("commune__parent", "unit_2025").order_by("folded_name", "pk"):
        history = events.get(center.pk)
        if not history:
            continue
        status = centers.status_on(history, on)
        if status is None:
            continue
        counted_since = next((e.effective_on for e in history if e.to_state in COUNTED_STATUSES), None)
        result.append(CenterAt(center, status, counted_since, history))
    return result


def _in_area(index: UnitIndex, area: AdministrativeUnit | None, center: Center) -> bool:
    return area is None or index.contains(area.pk, center.commune_id)


def _evaluate(
    target: Target, only_in: list[int], rows: list[CenterAt], index: UnitIndex, on: dt.date
) -> TargetProgress:
    relevant = [
        row
        for row in rows
        if _in_area(index, target.area, row.center)
        and (not only_in or any(index.contains(unit_id, row.center.commune_id) for unit_id in only_in))
    ]
    return _judge(target, relevant, on)


def _judge(target: Target, relevant: list[CenterAt], on: dt.date) -> TargetProgress:
    judged_on = min(on, target.due_on)
    # a target is judged on its due date once that has passed: a later suspension does not undo it
    counted_rows = [
        row
        for row in relevant
        if row.status_on(judged_on) in COUNTED_STATUSES
        and row.counted_since is not None
        and (target.counts_from is None or row.counted_since >= target.counts_from)
    ]
    counted = len(counted_rows)
    pipeline = sum(1 for row in relevant if row.status in PIPELINE_STATUSES)
    if counted >= target.min_centers:
        state = State.MET
    elif on >= target.due_on:
        state = State.MISSED
    elif counted + pipeline >= target.min_centers:
        state = State.ON_TRACK
    else:
        state = State.BEHIND
    return TargetProgress(target, counted, pipeline, state, counted_rows)


def _worst(states: list[str]) -> str:
    return min(states, key=STATE_ORDER.index) if states else State.NO_TARGET


def progress(plan: Plan, on: dt.date, *, units: list[AdministrativeUnit] | None = None) -> Progress:
    """Each unit of the plan on `on`: its targets (those started by then), centers by status, and state.

    A target is met when enough centers are recognised or operating by its due date (or by `on`, if
    earlier); missed when its due date came without that; on track when the centers planned or under
    construction would make up the difference; behind otherwise. `units` replaces the plan's units
    (one unit officer's page).
    """
    index = unit_index()
    rows = centers_at(on)
    targets = list(
        Target.objects.filter(plan=plan, starts_on__lte=on)
        .select_related("area")
        .prefetch_related("communes")
    )
    evaluated = [
        _evaluate(target, [unit.pk for unit in target.communes.all()], rows, index, on) for target in targets
    ]
    chosen = list(plan.units.all()) if units is None else units
    rows_by_unit: list[UnitProgress] = []
    for unit in sorted(chosen, key=lambda u: u.code):
        unit_rows = [row for row in rows if index.contains(unit.pk, row.center.commune_id)]
        unit_targets = [
            tp
            for tp in evaluated
            if tp.target.area is not None and index.contains(unit.pk, tp.target.area.pk)
        ]
        rows_by_unit.append(
            UnitProgress(
                unit=unit,
                by_status=dict(Counter(row.status for row in unit_rows)),
                targets=unit_targets,
                state=_worst([tp.state for tp in unit_targets]),
                centers=unit_rows,
            )
        )
    city_targets = [tp for tp in evaluated if tp.target.area is None]
    return Progress(
        plan=plan,
        on=on,
        units=rows_by_unit,
        city_targets=city_targets,
        by_status=dict(Counter(row.status for row in rows)),
        by_state=dict(Counter(row.state for row in rows_by_unit)),
    )


def current_units() -> QuerySet[AdministrativeUnit]:
    """The 126 communes and wards in force since 01/07/2025, in code order."""
    return AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).order_by("code")


def progress_2025(plan: Plan, on: dt.date, *, units: list[AdministrativeUnit] | None = None) -> Progress:
    """The plan's progress read by the units in force since 01/07/2025 (all of them, or `units`).

    Each center counts once, in the unit stored on it (`Center.unit_2025`), never in every unit its
    old commune fed; a center whose unit is not known yet is listed apart. A target counts here when
    it names one of these units as its area.
    """
    rows = centers_at(on)
    unit_list = list(current_units()) if units is None else sorted(units, key=lambda u: u.code)
    wanted = {unit.pk for unit in unit_list}
    targets = list(
        Target.objects.filter(plan=plan, starts_on__lte=on, area_id__in=wanted).select_related("area")
    )
    by_unit: dict[int, list[CenterAt]] = defaultdict(list)
    for row in rows:
        if row.center.unit_2025_id is not None:
            by_unit[row.center.unit_2025_id].append(row)
    result = []
    for unit in unit_list:
        unit_rows = by_unit.get(unit.pk, [])
        unit_targets = [_judge(target, unit_rows, on) for target in targets if target.area_id == unit.pk]
        result.append(
            UnitProgress(
                unit=unit,
                by_status=dict(Counter(row.status for row in unit_rows)),
                targets=unit_targets,
                state=_worst([tp.state for tp in unit_targets]),
                centers=unit_rows,
            )
        )
    counted_rows = [row for unit_rows in (r.centers for r in result) for row in unit_rows]
    return Progress(
        plan=plan,
        on=on,
        units=result,
        city_targets=[],
        by_status=dict(Counter(row.status for row in counted_rows)),
        by_state=dict(Counter(row.state for row in result)),
        era=Era.CURRENT,
        unplaced=[row for row in rows if row.center.unit_2025_id is None] if units is None else [],
    )


# --- funding --------------------------------------------------------------------------------


def visible_commitments(user: Any) -> QuerySet[Commitment]:
    """City administrators and the tourism department see every row; unit officers those of their units."""
    qs = Commitment.objects.select_related("center__commune__parent")
    if permissions.can_view_city_overview(user):
        return qs
    if permissions.officer_unit_ids(user):
        return qs.filter(center__in=centers.editable_centers(user))
    return qs.none()


@dataclass
class FundingRow:
    key: str
    label: str
    committed: int = 0
    disbursed: int = 0

    @property
    def outstanding(self) -> int:
        return self.committed - self.disbursed


def funding_totals(commitments: QuerySet[Commitment], by: str) -> list[FundingRow]:
    """Committed and disbursed đồng grouped by source, group, district, year or center.

    Commitments count in the year they were made, disbursements in the year they were paid.
    """
    index = unit_index() if by == "district" else None
    rows: dict[str, FundingRow] = {}

    def add(key: str, label: str, committed: int = 0, disbursed: int = 0) -> None:
        row = rows.setdefault(key, FundingRow(key, label))
        row.committed += committed
        row.disbursed += disbursed

    def keys_for(commitment: Commitment, year: int) -> list[tuple[str, str]]:
        if by == "source":
            return [(commitment.source, str(FundingSource(commitment.source).label))]
        if by == "group":
            group = SOURCE_GROUP[commitment.source]
            from .models import FundingGroup

            return [(group, str(FundingGroup(group).label))]
        if by == "year":
            return [(str(year), str(year))]
        if by == "center":
            return [(str(commitment.center_id), commitment.center.name)]
        assert index is not None
        # a center set up after the reform in a unit made from several old districts gets one row for
        # that set of districts, so that no đồng is counted twice
        districts = sorted(
            (index.units[i] for i in index.districts_of(commitment.center.commune_id)), key=lambda u: u.code
        )
        if not districts:
            return [("", "—")]
        return [("+".join(str(u.code) for u in districts), " / ".join(u.name for u in districts))]

    commitment_list = list(commitments)
    by_id = {c.pk: c for c in commitment_list}
    for commitment in commitment_list:
        for key, label in keys_for(commitment, commitment.committed_on.year):
            add(key, label, committed=commitment.amount)
    for disbursement in Disbursement.objects.filter(commitment_id__in=by_id).only(
        "commitment_id", "amount", "disbursed_on"
    ):
        commitment = by_id[disbursement.commitment_id]
        for key, label in keys_for(commitment, disbursement.disbursed_on.year):
            add(key, label, disbursed=disbursement.amount)
    order = list(FundingSource.values) if by == "source" else None
    result = list(rows.values())
    if order:
        result.sort(key=lambda r: order.index(r.key))
    elif by == "year":
        result.sort(key=lambda r: r.key)
    else:
        result.sort(key=lambda r: (-r.committed, r.label))
    return result


def disbursed_by_commitment(commitments: list[Commitment]) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for commitment_id, amount in Disbursement.objects.filter(commitment__in=commitments).values_list(
        "commitment_id", "amount"
    ):
        totals[commitment_id] += amount
    return totals
