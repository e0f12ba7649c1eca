"""Reference criteria and the demo centers (sources on every row, see data/demo_centers.json)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ocophub.places.models import Craft, CraftVillage

from . import services
from .models import Center, CenterEvent, Recognition, Status, band_for

DATA = Path(__file__).parent / "data"


def _json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def criteria_load() -> int:
    return services.criteria_load(_json("criteria.json")["criteria"])


def demo_centers_create() -> list[Center]:
    """Create the demo centers that are missing (matched by name); existing ones are left alone."""
    data = _json("demo_centers.json")
    decision = data["recognition"]
    made = []
    with transaction.atomic():
        for row in data["centers"]:
            if Center.objects.filter(name=row["name"]).exists():
                continue
            on = dt.date.fromisoformat(row["commune_on"]) if row.get("commune_on") else None
            commune = services.legacy_commune(row["commune"], on)
            recognised = row.get("recognised", False)
            status = Status.RECOGNISED if recognised else row["status"]
            since = dt.date.fromisoformat(decision["decision_date"] if recognised else row["since"])
            center = services.center_create(
                actor=None,
                name=row["name"],
                commune=commune,
                craft_village=CraftVillage.objects.filter(slug=row.get("village", "")).first(),
                crafts=list(Craft.objects.filter(slug__in=row["crafts"])),
                spaces={k: Decimal(v) for k, v in row.get("spaces", {}).items()},
                status=status,
                effective_on=since,
                reason=decision["source"] if recognised else row["source"],
                latitude=Decimal(str(row["lat"])),
                longitude=Decimal(str(row["lng"])),
                floor_area_m2=Decimal(row["floor_area_m2"]) if row.get("floor_area_m2") else None,
                source=row["source"],
                is_illustrative=row.get("illustrative", False),
            )
            if recognised:
                Recognition.objects.create(
                    center=center,
                    decision_number=decision["decision_number"],
                    decision_date=since,
                    issuer=decision["issuer"],
                    score=None,
                    band=band_for(None),
                    source=decision["source"],
                )
            for step in row.get("later", []):
                services.center_transition(
                    actor=None,
                    center=center,
                    to=step["to"],
                    reason=step["reason"],
                    effective_on=dt.date.fromisoformat(step["on"]),
                )
            made.append(center)
    return made


def demo_event_count() -> int:
    return CenterEvent.objects.count()
