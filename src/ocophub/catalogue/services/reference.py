"""Reference data: rule sets, star bands, deciders and the product taxonomy, loaded from data files."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from ocophub.common.text import fold

from ..models import (
    RuleSet,
    StarBand,
    StarDecider,
    TaxonomyLevel,
    TaxonomyNode,
)
from .stars import catalogue_version_bump

# --- reference data -------------------------------------------------------------------------


_LEVELS = [TaxonomyLevel.GROUP, TaxonomyLevel.SUBGROUP, TaxonomyLevel.CLASS]


def _taxonomy_load(rule_set: RuleSet, groups: list[dict[str, Any]], source: str) -> None:
    """Create or refresh a rule set's taxonomy tree, depth first, keeping the file's order."""
    stack: list[tuple[dict[str, Any], TaxonomyNode | None, int]] = [
        (node, None, 0) for node in reversed(groups)
    ]
    position = 0
    while stack:
        node, parent, depth = stack.pop()
        position += 1
        defaults = {
            "parent": parent,
            "level": _LEVELS[depth],
            "name": node["name"],
            "name_en": node.get("name_en", ""),
            "folded_name": fold(node["name"]),
            "position": position,
            "is_confirmed": depth == 0,  # the groups are sourced; nhóm and phân nhóm not yet
            "source": source,
        }
        saved, _created = TaxonomyNode.objects.update_or_create(
            rule_set=rule_set,
            code=node["code"],
            defaults=defaults,
            # the perishable mark is set when a node is made; afterwards the admin site's choice stands
            create_defaults={**defaults, "is_perishable": node.get("perishable", False)},
        )
        stack.extend((child, saved, depth + 1) for child in reversed(node.get("children", [])))


def reference_load(data: dict[str, Any]) -> None:
    """Create or refresh the rule sets, their star bands and the taxonomy, and add who decides each star
    rating to a rule set that has none recorded yet (idempotent)."""
    with transaction.atomic():
        for row in data["rule_sets"]:
            rule_set, _created = RuleSet.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "valid_from": dt.date.fromisoformat(row["valid_from"]),
                    "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                    "max_a": row["max_a"],
                    "max_b": row["max_b"],
                    "max_c": row["max_c"],
                    "source": row["source"],
                },
            )
            for band in data["bands"]:
                StarBand.objects.update_or_create(
                    rule_set=rule_set,
                    stars=band["stars"],
                    defaults={
                        "min_score": Decimal(band["min"]),
                        "max_score": Decimal(band["max"]),
                        "is_confirmed": row["bands_confirmed"],
                    },
                )
            _taxonomy_load(rule_set, row.get("groups", []), row["source"])
            # loaded once: from then on the admin site's rows are the rule, and a re-run keeps them
            if not StarDecider.objects.filter(rule_set=rule_set).exists():
                StarDecider.objects.bulk_create(
                    StarDecider(
                        rule_set=rule_set,
                        stars=decider["stars"],
                        level=decider["level"],
                        is_confirmed=decider.get("confirmed", True),
                        source=decider["source"],
                    )
                    for decider in row.get("deciders", [])
                )
        catalogue_version_bump()  # group names and codes are facets
