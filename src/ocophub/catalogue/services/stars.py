"""What lists read instead of the certificates: each product's current stars, and the catalogue's
version under which the whole catalogue's facet counts are cached."""

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from ocophub.common.dates import local_today

from .. import selectors
from ..models import CatalogueVersion, Certificate, Product


def catalogue_version_bump() -> None:
    """Called by every write that can change the whole catalogue's facet counts, in its transaction:
    one `UPDATE … SET n = n + 1`, so that concurrent writers never lose a bump."""
    token = secrets.token_hex(8)
    if not CatalogueVersion.objects.filter(pk=1).update(n=F("n") + 1, token=token):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"n": 0})
        CatalogueVersion.objects.filter(pk=1).update(n=F("n") + 1, token=token)


def badge_stars(day: dt.date) -> Subquery:
    """The stars of the certificate a product (the outer row) shows on `day`: the newest valid one, as
    `selectors.badge` picks it; NULL without one."""
    return Subquery(
        selectors.valid_certificates(day)
        .filter(product_id=OuterRef("pk"))
        .order_by("-decision_date", "-pk")
        .values("stars")[:1]
    )


def stars_refresh(products: QuerySet[Any] | Iterable[int] | None = None, day: dt.date | None = None) -> int:
    """Set `current_stars` of the products (all when none are given) to the stars they show on `day`,
    in one UPDATE, and bump the catalogue version. Returns the number of products updated."""
    day = day or local_today()
    qs = Product.objects.all()
    if products is not None:
        ids: QuerySet[Any] | list[int] = products if isinstance(products, QuerySet) else list(products)
        qs = qs.filter(pk__in=ids)
    with transaction.atomic():
        count = qs.update(current_stars=badge_stars(day))
        if count:
            catalogue_version_bump()
    return count


def stars_refresh_due(day: dt.date | None = None) -> int:
    """The daily job's part: bring up to date the products one of whose certificates expired, took
    effect or was revoked since the last run (all products on the first run, or when the clock went
    back). Returns the number of products updated."""
    day = day or local_today()
    with transaction.atomic():
        row, _ = CatalogueVersion.objects.select_for_update().get_or_create(pk=1)
        since = row.stars_on
        if since == day:
            return 0
        products: QuerySet[Any] | None = None
        if since is not None and since < day:
            changed = Certificate.objects.filter(
                Q(valid_until__gte=since, valid_until__lt=day)
                | Q(decision_date__gt=since, decision_date__lte=day)
                | Q(revoked_on__gt=since, revoked_on__lte=day)
            )
            products = changed.values("product_id")
        count = stars_refresh(products, day)
        CatalogueVersion.objects.filter(pk=1).update(stars_on=day)
    return count
