"""Product search behind one interface.

    reindex(product_ids)            keep the backend's index in step with products (called by services)
    search(query, among, limit)     ids of products matching `query`, best first
    suggest(prefix, limit)          product names for the search box

Ranking is the same on every backend (`ranking.rank`): exact phrase, then every word as a prefix,
then trigram similarity. Backends only find candidates quickly; see `ranking` for the rule.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet

from .base import Backend


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()


def reindex(product_ids: Iterable[int]) -> None:
    backend().reindex(list(product_ids))


def search(query: str, among: QuerySet | None = None, limit: int = 200) -> list[int]:
    return backend().search(query, among=among, limit=limit)


def suggest(prefix: str, limit: int = 8) -> list[str]:
    return backend().suggest(prefix, limit=limit)
