"""Search results kept in the cache: a page of a search asked again is not ranked and counted again.

The catalogue's public lists (the products API and the catalogue page) rank and count their matches in
SQL (`selectors.product_search`); most visitors ask the same few searches and filters. A page's result
— the ids in order, the count and what else the caller needs to answer (the next cursor, the "did you
mean" suggestions) — is kept in the cache (database or Redis, as configured; never process memory)
under:

- the catalogue's version, which every write to a product, its producer, photos or certificates bumps,
  so that a write shows in the next search;
- the local day, since a certificate's validity follows the clock;
- everything the page was asked with (filters, sort, page, cursor, limit), hashed.

Not cached: the searches of those who see drafts (their catalogue is their own), stock filters (stock
changes with every sale and does not bump the version), and everything while no version was written
yet. `CATALOGUE_RESULTS_CACHE_SECONDS` (0: off) sets how long a result is kept at most.
"""

import dataclasses
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

from ocophub.common.dates import local_today

from .selectors import Filters, sees_only_published


def seconds() -> int:
    """How long a result is kept at most (0: not kept)."""
    return int(getattr(settings, "CATALOGUE_RESULTS_CACHE_SECONDS", 600))


def cacheable(user: Any, filters: Filters, version: tuple[str, int] | None) -> bool:
    """Whether this user's result for these filters is the public's, and may be kept."""
    return (
        version is not None
        and seconds() > 0
        and not filters.in_stock
        and not filters.center
        and sees_only_published(user)
    )


def key(kind: str, version: tuple[str, int], filters: Filters, page: dict[str, Any]) -> str:
    asked = dataclasses.asdict(dataclasses.replace(filters, q=" ".join(filters.q.split())))
    digest = hashlib.sha256(
        json.dumps([asked, page], sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()[:32]
    return f"catalogue:results:{kind}:{version[0]}:{version[1]}:{local_today().isoformat()}:{digest}"


def cached[T](
    kind: str,
    user: Any,
    filters: Filters,
    version: tuple[str, int] | None,
    page: dict[str, Any],
    compute: Callable[[], T],
) -> T:
    """`compute()`'s result for this search page, from the cache when it was kept under the same version,
    day and question; computed (and kept) otherwise. `kind` names the caller, whose results differ in
    shape."""
    if version is None or not cacheable(user, filters, version):
        return compute()
    name = key(kind, version, filters, page)
    hit: T | None = cache.get(name)
    if hit is None:
        hit = compute()
        cache.set(name, hit, seconds())
    return hit
