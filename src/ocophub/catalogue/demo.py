"""Reference data (rule sets, bands, taxonomy) and the demo catalogue (see data/demo_catalogue.json)."""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from ocophub.places import selectors as places
from ocophub.places.models import CraftVillage, Era

from . import services
from .models import Producer, ProductStatus, TaxonomyNode

DATA = Path(__file__).parent / "data"


def reference_load() -> None:
    services.reference_load(json.loads((DATA / "reference.json").read_text(encoding="utf-8")))


def demo_catalogue_create() -> int:
    """Create the demo producers and products that are missing (matched by name); returns products made."""
    data = json.loads((DATA / "demo_catalogue.json").read_text(encoding="utf-8"))
    made = 0
    with transaction.atomic():
        for row in data["producers"]:
            if Producer.objects.filter(name=row["name"]).exists():
                continue
            on = dt.date.fromisoformat(row["commune_on"]) if row.get("commune_on") else None
            illustrative = row.get("illustrative", True)
            producer = services.producer_save(
                actor=None,
                name=row["name"],
                kind=row["kind"],
                commune=places.communes(era=Era.LEGACY, on=on).get(code=row["commune"]),
                craft_village=CraftVillage.objects.filter(slug=row.get("village", "")).first(),
                registration_number=row.get("registration"),
                story=row.get("story", ""),
                is_illustrative=illustrative,
                source=row.get("source", "Minh họa"),
            )
            for item in row["products"]:
                product = services.product_save(
                    actor=None,
                    producer=producer,
                    name=item["name"],
                    taxonomy=TaxonomyNode.objects.get(code=item["group"]),
                    list_price=item["price"],
                    unit=item.get("unit", ""),
                    name_en=item.get("name_en", ""),
                    unit_en=item.get("unit_en", ""),
                    gtin=item.get("gtin"),
                    materials=item.get("materials", ""),
                    packaging=item.get("packaging", ""),
                    is_illustrative=item.get("illustrative", True),
                    source=item.get("source", "Minh họa"),
                )
                if not item.get("draft"):
                    services.product_transition(actor=None, product=product, to=ProductStatus.PUBLISHED)
                certificate = item.get("certificate")
                if certificate:
                    services.certificate_issue(
                        actor=None,
                        product=product,
                        decision_number=certificate["decision_number"],
                        decision_date=dt.date.fromisoformat(certificate["decision_date"]),
                        issuer=certificate["issuer"],
                        deciding_level=certificate["level"],
                        stars=certificate["stars"],
                        total_score=certificate.get("total"),
                        score_a=certificate.get("score_a"),
                        score_b=certificate.get("score_b"),
                        score_c=certificate.get("score_c"),
                        is_illustrative=certificate.get("illustrative", True),
                        source=item.get("source", "Minh họa"),
                    )
                made += 1
    return made
