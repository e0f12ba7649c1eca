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
    producer_photo_remove,
    producer_save,
    product_photo_add,
    product_photo_remove,
    product_review,
    product_save,
    product_submit,
    product_transition,
    search_text_for,
)
from .reference import (
    reference_load,
)
from .stars import (
    catalogue_version_bump,
    stars_refresh,
    stars_refresh_due,
)

__all__ = [
    "catalogue_version_bump",
    "stars_refresh",
    "stars_refresh_due",
    "PRODUCER_FIELDS",
    "PRODUCT_FIELDS",
    "certificate_issue",
    "certificate_revoke",
    "decider_refusal",
    "deciding_levels",
    "producer_photo_add",
    "producer_photo_remove",
    "producer_save",
    "product_photo_add",
    "product_photo_remove",
    "product_save",
    "product_review",
    "product_submit",
    "product_transition",
    "reference_load",
    "rule_set_on",
    "search_text_for",
    "stars_for",
]
