"""Writes to the places tables: the loader of units, their succession and craft villages.

The sources (the vietnam-provinces tables, 16 MB in memory) are imported by the loader alone, not by
every process that imports this module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.common.errors import DomainError
from ocophub.common.text import fold, slug

from .models import (
    LAST_DAY_THREE_TIER,
    REFORM_2025_01,
    AdministrativeUnit,
    Craft,
    CraftVillage,
    Era,
    Level,
    UnitSuccession,
)

if TYPE_CHECKING:
    from . import sources

Progress = Callable[[str, int, int], None]
UnitKey = tuple[str, str, int, dt.date | None]  # era, level, code, valid_to


class LoadError(DomainError):
    code = "load_failed"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())

    def summary(self) -> str:
        parts = []
        for name in self.created:
            parts.append(
                f"{name}: +{self.created[name]} ~{self.updated.get(name, 0)} -{self.deleted.get(name, 0)}"
            )
        return "; ".join(parts)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _key(unit: AdministrativeUnit) -> UnitKey:
    return (unit.era, unit.level, unit.code, unit.valid_to)


_UNIT_FIELDS = ("division_type", "name", "folded_name", "slug", "parent_id", "valid_from", "source")


def _upsert_units(
    rows: list[sources.UnitRow],
    existing: dict[UnitKey, AdministrativeUnit],
    parents: dict[tuple[str, str, int], AdministrativeUnit],
    report: LoadReport,
    stage: str,
    progress: Progress,
) -> None:
    to_create, to_update = [], []
    for index, row in enumerate(rows, start=1):
        parent = None
        if row.parent is not None:
            parent = parents.get(row.parent)
            if parent is None:
                raise LoadError(f"{row.name} ({row.code}): unknown parent {row.parent}")
        values = {
            "division_type": row.division_type,
            "name": row.name,
            "folded_name": fold(row.name),
            "slug": slug(row.name),
            "parent_id": parent.pk if parent else None,
            "valid_from": row.valid_from,
            "source": row.source,
        }
        key = (row.era, row.level, row.code, row.valid_to)
        unit = existing.get(key)
        if unit is None:
            unit = AdministrativeUnit(
                era=row.era, level=row.level, code=row.code, valid_to=row.valid_to, **values
            )
            to_create.append(unit)
        elif any(getattr(unit, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(unit, name, value)
            to_update.append(unit)
        if index % 100 == 0 or index == len(rows):
            progress(stage, index, len(rows))
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        AdministrativeUnit.objects.bulk_update(to_update, [*_UNIT_FIELDS, "updated_at"], batch_size=500)
    for unit in to_create:
        existing[_key(unit)] = unit
    report.created[stage] = len(to_create)
    report.updated[stage] = len(to_update)


def places_load(
    *,
    actor: object | None = None,
    progress: Progress = _no_progress,
    dissolved_path: Path | None = None,
    villages_path: Path | None = None,
) -> LoadReport:
    """Load or refresh Hanoi's units, the conversion maps and the craft villages, all or nothing.

    Rows are matched on their identity (era, level, code, end date) and only changed fields are
    written, so a second run changes nothing. Any error rolls back the whole load.
    """
    from . import sources

    report = LoadReport()
    dissolved = sources.load_json("dissolved_communes.json", dissolved_path)
    villages = sources.load_json("craft_villages.json", villages_path)

    with transaction.atomic():
        existing = {_key(unit): unit for unit in AdministrativeUnit.objects.all()}

        def by_code(era: str, level: str) -> dict[tuple[str, str, int], AdministrativeUnit]:
            return {
                (u.era, u.level, u.code): u
                for u in existing.values()
                if u.era == era
                and u.level == level
                and (era == Era.CURRENT or u.valid_to == LAST_DAY_THREE_TIER)
            }

        city = sources.city()
        _upsert_units([city], existing, {}, report, "city", progress)
        _upsert_units(
            sources.legacy_districts(),
            existing,
            by_code(Era.CURRENT, Level.CITY),
            report,
            "districts",
            progress,
        )
        districts = by_code(Era.LEGACY, Level.DISTRICT)
        legacy_rows = sources.legacy_communes()
        # Communes formed on 01/01/2025 from a dissolved one start on that day.
        formed = {row["successor_code"] for row in dissolved["communes"]}
        legacy_rows = [
            sources.UnitRow(**{**row.__dict__, "valid_from": REFORM_2025_01}) if row.code in formed else row
            for row in legacy_rows
        ]
        _upsert_units(legacy_rows, existing, districts, report, "communes", progress)
        dissolved_rows = []
        for item in dissolved["communes"]:
            dissolved_rows.append(
                sources.UnitRow(
                    "legacy",
                    "commune",
                    item["division_type"],
                    item["code"],
                    item["name"],
                    ("legacy", "district", item["district_code"]),
                    None,
                    dt.date.fromisoformat(item["valid_to"]),
                    item["source"],
                )
            )
        _upsert_units(dissolved_rows, existing, districts, report, "dissolved communes", progress)
        _upsert_units(
            sources.current_units(),
            existing,
            by_code(Era.CURRENT, Level.CITY),
            report,
            "units 2025",
            progress,
        )

        succession_rows = sources.conversion_2025_07([row.code for row in legacy_rows])
        for item in dissolved["communes"]:
            succession_rows.append(
                sources.SuccessionRow(
                    (item["code"], dt.date.fromisoformat(item["valid_to"])),
                    "legacy",
                    item["successor_code"],
                    LAST_DAY_THREE_TIER,
                    REFORM_2025_01,
                    item["partly_merged"],
                    item["source"],
                )
            )
        _sync_successions(succession_rows, existing, report, progress)
        _sync_villages(villages, existing, report, progress)
    return report


def _sync_successions(
    rows: list[sources.SuccessionRow],
    units: dict[UnitKey, AdministrativeUnit],
    report: LoadReport,
    progress: Progress,
) -> None:
    stage = "successions"
    wanted: dict[tuple[int, int], sources.SuccessionRow] = {}
    for row in rows:
        old = units.get(("legacy", "commune", row.predecessor[0], row.predecessor[1]))
        new = units.get((row.successor_era, "commune", row.successor_code, row.successor_valid_to))
        if old is None or new is None:
            raise LoadError(f"conversion row {row.predecessor[0]} → {row.successor_code}: unit not loaded")
        wanted[(old.pk, new.pk)] = row
    current = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    to_create, to_update = [], []
    for index, ((old_id, new_id), row) in enumerate(wanted.items(), start=1):
        values = {
            "effective_date": row.effective_date,
            "partly_merged": row.partly_merged,
            "source": row.source,
        }
        succession = current.get((old_id, new_id))
        if succession is None:
            to_create.append(UnitSuccession(predecessor_id=old_id, successor_id=new_id, **values))
        elif any(getattr(succession, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(succession, name, value)
            to_update.append(succession)
        if index % 200 == 0 or index == len(wanted):
            progress(stage, index, len(wanted))
    stale = [s.pk for key, s in current.items() if key not in wanted]
    UnitSuccession.objects.bulk_create(to_create, batch_size=500)
    UnitSuccession.objects.bulk_update(
        to_update, ["effective_date", "partly_merged", "source"], batch_size=500
    )
    UnitSuccession.objects.filter(pk__in=stale).delete()
    report.created[stage], report.updated[stage], report.deleted[stage] = (
        len(to_create),
        len(to_update),
        len(stale),
    )


def _sync_villages(
    data: dict[str, Any], units: dict[UnitKey, AdministrativeUnit], report: LoadReport, progress: Progress
) -> None:
    crafts = {craft.slug: craft for craft in Craft.objects.all()}
    created = updated = 0
    for item in data["crafts"]:
        craft = crafts.get(item["slug"])
        if craft is None:
            crafts[item["slug"]] = Craft.objects.create(**item)
            created += 1
        elif (craft.name, craft.name_en) != (item["name"], item["name_en"]):
            craft.name, craft.name_en = item["name"], item["name_en"]
            craft.save(update_fields=["name", "name_en"])
            updated += 1
    report.created["crafts"], report.updated["crafts"] = created, updated

    created = updated = 0
    existing = {village.slug: village for village in CraftVillage.objects.prefetch_related("crafts")}
    total = len(data["villages"])
    for index, item in enumerate(data["villages"], start=1):
        valid_to = dt.date.fromisoformat(item.get("commune_valid_to") or LAST_DAY_THREE_TIER.isoformat())
        commune = units.get(("legacy", "commune", item["commune_code"], valid_to))
        if commune is None:
            raise LoadError(f"craft village {item['name']}: unknown commune {item['commune_code']}")
        unknown = [name for name in item["crafts"] if name not in crafts]
        if unknown:
            raise LoadError(f"craft village {item['name']}: unknown crafts {unknown}")
        values = {
            "name": item["name"],
            "folded_name": fold(item["name"]),
            "commune_id": commune.pk,
            "source": item["source"],
        }
        village = existing.get(item["slug"])
        if village is None:
            village = CraftVillage.objects.create(slug=item["slug"], **values)
            village.crafts.set([crafts[name] for name in item["crafts"]])
            created += 1
        else:
            changed = any(getattr(village, name) != value for name, value in values.items())
            if changed:
                for name, value in values.items():
                    setattr(village, name, value)
                village.save()
            wanted = {crafts[name].pk for name in item["crafts"]}
            if {craft.pk for craft in village.crafts.all()} != wanted:
                village.crafts.set(wanted)
                changed = True
            updated += int(changed)
        progress("craft villages", index, total)
    report.created["craft villages"], report.updated["craft villages"] = created, updated


def craft_village_save(
    *,
    actor: object,
    village: CraftVillage | None,
    name: str,
    commune: AdministrativeUnit,
    crafts: list[Craft],
    title: str,
    title_year: int | None,
    description: str,
    source: str,
) -> CraftVillage:
    """Create or edit a craft village. The commune must be a commune of the three-tier system."""
    if commune.level != Level.COMMUNE or commune.era != Era.LEGACY:
        message = _("The commune must be a commune-level unit of the system before 01/07/2025.")
        raise DomainError(message, fields={"commune": message})
    with transaction.atomic():
        if village is None:
            base = slug(name) or "lang"
            candidate, n = base, 1
            while CraftVillage.objects.filter(slug=candidate).exists():
                n += 1
                candidate = f"{base}-{n}"
            village = CraftVillage(slug=candidate)
        village.name = name
        village.folded_name = fold(name)
        village.commune = commune
        village.title = title
        village.title_year = title_year
        village.description = description
        village.source = source
        village.full_clean(exclude=["crafts"])
        village.save()
        village.crafts.set(crafts)
    return village
