"""The producer workspace: a producer's members keep its profile, products, photos and see its
certificates.

Each view parses, checks `can_work_for_producer`, calls one catalogue service (the same ones the API
and the admin call) and renders. A producer the user is not a member of, and a product or photo of
another producer, is 404. Refused input re-renders the form with the message beside the field, with a
4xx status and nothing written.

By page: producers.py (the user's producers, a producer's home and profile), products.py and
certificates.py; pages.py holds what they share.
"""

from .certificates import CertificateRow, certificates
from .producers import (
    PROFILE_FIELDS,
    producer_home,
    producer_photo_add,
    producer_photo_remove,
    profile,
    workspace_home,
)
from .products import (
    PAGE_SIZE,
    PRODUCT_FIELDS,
    TRANSITION_LABELS,
    product_create,
    product_edit,
    product_photo_add,
    product_photo_remove,
    product_transition,
    products,
)

__all__ = [
    "PAGE_SIZE",
    "PRODUCT_FIELDS",
    "PROFILE_FIELDS",
    "TRANSITION_LABELS",
    "CertificateRow",
    "certificates",
    "producer_home",
    "producer_photo_add",
    "producer_photo_remove",
    "product_create",
    "product_edit",
    "product_photo_add",
    "product_photo_remove",
    "product_transition",
    "products",
    "profile",
    "workspace_home",
]
