"""Reads of administrative units and craft villages shared by pages and the API."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from ocophub.common.text import fold

from .models import LAST_DAY_THREE_TIER, AdministrativeUnit, CraftVillage, Era, Level, UnitSuccession


@dataclass(frozen=True)
class Successor:
    unit: AdministrativeUnit
    partly_merged: bool
    effective_date: dt.date


def districts(*, kinds: Sequence[str] | None = None) -> QuerySet[AdministrativeUnit]:
    """The 30 district-level units of the three-tier system, in code order."""
    qs = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT).order_by("code")
    if kinds:
        qs = qs.filter(division_type__in=kinds)
    return qs


def current_communes() -> QuerySet[AdministrativeUnit]:
    """The 126 communes and wards of the two-tier system (since 01/07/2025), by name."""
    return AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).order_by(
        "folded_name", "code"
    )


def district_by_code(code: int) -> AdministrativeUnit | None:
    return districts().filter(code=code).first()


def communes(
    *,
    era: str | None = None,
    on: dt.date | None = None,
    district: int | None = None,
    q: str | None = None,
) -> QuerySet[AdministrativeUnit]:
    """Commune-level units. `on` keeps those in force that day; `q` matches without diacritics."""
    qs = AdministrativeUnit.objects.filter(level=Level.COMMUNE).select_related("parent")
    if era:
        qs = qs.filter(era=era)
    if on:
        qs = qs.in_force_on(on)
    if district is not None:
        qs = qs.filter(era=Era.LEGACY, parent__level=Level.DISTRICT, parent__code=district)
    folded = fold(q)
    if folded:
        qs = qs.filter(folded_name__contains=folded)
    return qs.order_by("era", "code", "-valid_to")


def _rank(unit: AdministrativeUnit) -> tuple[int, dt.date]:
    # current units first, then the latest legacy ones
    return (1 if unit.era == Era.CURRENT else 0, unit.valid_to or dt.date.max)


def commune_by_code(
    code: int, *, era: str | None = None, on: dt.date | None = None
) -> AdministrativeUnit | None:
    """The commune with this code. Without `era` or `on`, the most recent unit that bore the code."""
    candidates = list(communes(era=era, on=on).filter(code=code))
    if not candidates:
        return None
    return max(candidates, key=_rank)


def successors(unit: AdministrativeUnit) -> list[Successor]:
    """Direct successors (the next reform's units that took this unit's area)."""
    rows = UnitSuccession.objects.filter(predecessor=unit).select_related("successor__parent")
    return sorted(
        (Successor(row.successor, row.partly_merged, row.effective_date) for row in rows),
        key=lambda s: s.unit.code,
    )


def predecessors(unit: AdministrativeUnit) -> list[Successor]:
    """Direct predecessors, each with the partly-merged flag of its move."""
    rows = UnitSuccession.objects.filter(successor=unit).select_related("predecessor__parent")
    return sorted(
        (Successor(row.predecessor, row.partly_merged, row.effective_date) for row in rows),
        key=lambda s: (s.effective_date, s.unit.code),
    )


def current_units_covering(unit: AdministrativeUnit) -> list[Successor]:
    """The units in force now that cover an old commune, following every reform since.

    A commune dissolved on 01/01/2025 reaches today's units through the commune it joined. The result
    is partly merged when any step on the way was.
    """
    if unit.era == Era.CURRENT:
        return [Successor(unit, False, unit.valid_from or dt.date.min)]
    found: dict[int, Successor] = {}
    frontier = [(unit, False)]
    seen = {unit.pk}
    while frontier:
        node, partly = frontier.pop()
        for step in successors(node):
            flag = partly or step.partly_merged
            if step.unit.era == Era.CURRENT:
                previous = found.get(step.unit.pk)
                if previous is None or (flag and not previous.partly_merged):
                    found[step.unit.pk] = Successor(step.unit, flag, step.effective_date)
            elif step.unit.pk not in seen:
                seen.add(step.unit.pk)
                frontier.append((step.unit, flag))
    return sorted(found.values(), key=lambda s: s.unit.code)


def district_on(code: int, day: dt.date) -> AdministrativeUnit | None:
    """The district a commune (by its code at that date) belonged to on `day`.

    After 30/06/2025 there are no districts, so the answer is None.
    """
    if day > LAST_DAY_THREE_TIER:
        return None
    commune = communes(era=Era.LEGACY, on=day).filter(code=code).first()
    return commune.parent if commune else None


def villages(
    *, q: str | None = None, commune: int | None = None, district: int | None = None, craft: str | None = None
) -> QuerySet[CraftVillage]:
    qs = CraftVillage.objects.select_related("commune__parent").prefetch_related("crafts")
    folded = fold(q)
    if folded:
        qs = qs.filter(Q(folded_name__contains=folded) | Q(commune__folded_name__contains=folded))
    if commune is not None:
        qs = qs.filter(commune__code=commune)
    if district is not None:
        qs = qs.filter(commune__parent__code=district)
    if craft:
        qs = qs.filter(crafts__slug=craft)
    return qs.order_by("folded_name")


def village_by_slug(value: str) -> CraftVillage | None:
    return villages().filter(slug=value).first()


def prefetch_successions(qs: QuerySet[AdministrativeUnit]) -> QuerySet[AdministrativeUnit]:
    return qs.prefetch_related(
        Prefetch("successions", queryset=UnitSuccession.objects.select_related("successor")),
        Prefetch("predecessions", queryset=UnitSuccession.objects.select_related("predecessor")),
    )


def units_q(unit_ids: set[int], prefix: str = "commune") -> Q:
    """Records (by their `prefix` unit) lying in any of these units, before or after the 2025 reform.

    An old district holds its communes; an old commune or district also holds the new units made (even
    partly) of its area; a new unit holds the old communes whose area went into it, directly or through a
    January 2025 merge. The same rule as `accounts.permissions.covers_unit`.
    """
    if not unit_ids:
        return Q(pk__in=[])
    units = list(AdministrativeUnit.objects.filter(pk__in=unit_ids))
    legacy = {u.pk for u in units if u.era == Era.LEGACY}
    current = {u.pk for u in units if u.era == Era.CURRENT}
    if not prefix:  # the units themselves (an AdministrativeUnit queryset)
        return Q(pk__in=legacy | current) | Q(parent_id__in=legacy) | Q(pk__in=units_within(legacy, current))
    q = Q(**{f"{prefix}_id__in": legacy | current}) | Q(**{f"{prefix}__parent_id__in": legacy})
    if current:
        direct = set(
            UnitSuccession.objects.filter(successor_id__in=current).values_list("predecessor_id", flat=True)
        )
        earlier = set(
            UnitSuccession.objects.filter(successor_id__in=direct).values_list("predecessor_id", flat=True)
        )
        q |= Q(**{f"{prefix}_id__in": direct | earlier})
    if legacy:
        old = Q(predecessor_id__in=legacy) | Q(predecessor__parent_id__in=legacy)
        first = set(UnitSuccession.objects.filter(old).values_list("successor_id", flat=True))
        later = set(
            UnitSuccession.objects.filter(predecessor_id__in=first).values_list("successor_id", flat=True)
        )
        q |= Q(**{f"{prefix}_id__in": first | later})
    return q


def units_within(legacy: set[int], current: set[int]) -> set[int]:
    """Ids of the units across the 2025 reform from these old and new units (see `units_q`)."""
    found: set[int] = set()
    if current:
        direct = set(
            UnitSuccession.objects.filter(successor_id__in=current).values_list("predecessor_id", flat=True)
        )
        earlier = set(
            UnitSuccession.objects.filter(successor_id__in=direct).values_list("predecessor_id", flat=True)
        )
        found |= direct | earlier
    if legacy:
        old = Q(predecessor_id__in=legacy) | Q(predecessor__parent_id__in=legacy)
        first = set(UnitSuccession.objects.filter(old).values_list("successor_id", flat=True))
        later = set(
            UnitSuccession.objects.filter(predecessor_id__in=first).values_list("successor_id", flat=True)
        )
        found |= first | later
    return found


@dataclass
class UnitIndex:
    """The whole succession graph in memory, for reports that place many records at once.

    Built with a fixed number of queries, whatever the number of records it is then asked about.
    """

    units: dict[int, AdministrativeUnit]
    next_units: dict[int, list[tuple[int, bool]]]
    previous_units: dict[int, list[int]]

    def current_of(self, unit_id: int) -> set[int]:
        """Ids of today's units covering a unit (itself if it is current)."""
        unit = self.units[unit_id]
        if unit.era == Era.CURRENT:
            return {unit_id}
        found, frontier, seen = set(), [unit_id], {unit_id}
        while frontier:
            for successor_id, _partly in self.next_units.get(frontier.pop(), []):
                if self.units[successor_id].era == Era.CURRENT:
                    found.add(successor_id)
                elif successor_id not in seen:
                    seen.add(successor_id)
                    frontier.append(successor_id)
        return found

    def districts_of(self, unit_id: int) -> set[int]:
        """Ids of the old districts a commune lay in (for a current unit: those of its predecessors)."""
        unit = self.units[unit_id]
        if unit.level == Level.DISTRICT:
            return {unit_id}
        if unit.era == Era.LEGACY:
            return {unit.parent_id} if unit.parent_id else set()
        found, frontier, seen = set(), [unit_id], {unit_id}
        while frontier:
            for previous_id in self.previous_units.get(frontier.pop(), []):
                previous = self.units[previous_id]
                if previous.era == Era.LEGACY and previous.parent_id:
                    found.add(previous.parent_id)
                if previous_id not in seen:
                    seen.add(previous_id)
                    frontier.append(previous_id)
        return found

    def contains(self, area_id: int, unit_id: int) -> bool:
        """Whether the unit lies in the area: the same unit, its district, or a new unit it went into."""
        if area_id == unit_id:
            return True
        area = self.units[area_id]
        if area.level == Level.DISTRICT:
            return area_id in self.districts_of(unit_id)
        if area.level == Level.CITY:
            return True
        if area.era == Era.CURRENT:
            return area_id in self.current_of(unit_id)
        return False


def unit_index() -> UnitIndex:
    units = {unit.pk: unit for unit in AdministrativeUnit.objects.all()}
    next_units: dict[int, list[tuple[int, bool]]] = {}
    previous_units: dict[int, list[int]] = {}
    for old_id, new_id, partly in UnitSuccession.objects.values_list(
        "predecessor_id", "successor_id", "partly_merged"
    ):
        next_units.setdefault(old_id, []).append((new_id, partly))
        previous_units.setdefault(new_id, []).append(old_id)
    return UnitIndex(units, next_units, previous_units)


def current_units_for(units: list[AdministrativeUnit]) -> dict[int, list[AdministrativeUnit]]:
    """Today's units covering each of `units`, in three queries whatever their number.

    Follows the 01/01/2025 merges too (a dissolved commune → the commune it joined → today's units).
    """
    result: dict[int, list[AdministrativeUnit]] = {u.pk: [u] for u in units if u.era == Era.CURRENT}
    legacy_ids = {u.pk for u in units if u.era == Era.LEGACY}
    if not legacy_ids:
        return result
    first = list(UnitSuccession.objects.filter(predecessor_id__in=legacy_ids).select_related("successor"))
    middle_ids = {row.successor_id for row in first if row.successor.era == Era.LEGACY}
    second = (
        list(UnitSuccession.objects.filter(predecessor_id__in=middle_ids).select_related("successor"))
        if middle_ids
        else []
    )
    onward: dict[int, list[AdministrativeUnit]] = {}
    for row in second:
        onward.setdefault(row.predecessor_id, []).append(row.successor)
    for row in first:
        found = result.setdefault(row.predecessor_id, [])
        found.extend(
            [row.successor] if row.successor.era == Era.CURRENT else onward.get(row.successor_id, [])
        )
    for unit_id, found in result.items():
        result[unit_id] = sorted({u.pk: u for u in found}.values(), key=lambda u: u.code)
    return result
