"""Producers, the OCOP taxonomy and rule sets, products and their OCOP certificates.

By part: producers.py, taxonomy.py (rule sets, star bands, taxonomy, deciding levels), products.py
(with the catalogue's version row and search words) and certificates.py.
"""

from .certificates import (
    CERTIFICATE_MONTHS,
    EXPIRY_NOTICE_DAYS,
    Certificate,
    CertificateState,
    add_months,
)
from .producers import Producer, ProducerKind, ProducerPhoto
from .products import (
    PRODUCT_TRANSITIONS,
    STARS_SORT_KEY,
    CatalogueVersion,
    Product,
    ProductEvent,
    ProductPhoto,
    ProductStatus,
    SearchWord,
    StarsOrZero,
)
from .taxonomy import DecidingLevel, RuleSet, StarBand, StarDecider, TaxonomyLevel, TaxonomyNode

__all__ = [
    "CERTIFICATE_MONTHS",
    "EXPIRY_NOTICE_DAYS",
    "PRODUCT_TRANSITIONS",
    "STARS_SORT_KEY",
    "CatalogueVersion",
    "Certificate",
    "CertificateState",
    "DecidingLevel",
    "Producer",
    "ProducerKind",
    "ProducerPhoto",
    "Product",
    "ProductEvent",
    "ProductPhoto",
    "ProductStatus",
    "RuleSet",
    "SearchWord",
    "StarBand",
    "StarDecider",
    "StarsOrZero",
    "TaxonomyLevel",
    "TaxonomyNode",
    "add_months",
]
