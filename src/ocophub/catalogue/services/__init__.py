"""Writes to the catalogue, by room: producers and products, certificates, reference data."""

from .certificates import (
    certificate_issue,
    certificate_revoke,
    decider_refusal,
    deciding_levels,
    rule_set_on,
    stars_for,
)
from .products import (
    PRODUCER_FIELDS,
    PRODUCT_FIELDS,
    producer_photo_add,
    producer_save,
    product_photo_add,
    product_save,
    product_transition,
    search_text_for,
)
from .reference import (
    reference_load,
)

__all__ = [
    "PRODUCER_FIELDS",
    "PRODUCT_FIELDS",
    "certificate_issue",
    "certificate_revoke",
    "decider_refusal",
    "deciding_levels",
    "producer_photo_add",
    "producer_save",
    "product_photo_add",
    "product_save",
    "product_transition",
    "reference_load",
    "rule_set_on",
    "search_text_for",
    "stars_for",
]
