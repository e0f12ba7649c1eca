"""Checked references from role grants to centers, producers and operators.

Those objects live in apps above accounts, so a grant keeps their id (`RoleGrant.scope_id`) rather
than a foreign key. Each of those apps registers a resolver for its scope kind when it starts
(`register`); `role_grant` refuses an id its kind's resolver does not know, and lists and the admin
ask the resolvers for names and for search results. A kind with no resolver cannot be granted.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .models import ScopeKind

# every resolver answers at most this many rows for one search
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class ScopeResolver:
    kind: str
    # id → name of those of the ids that exist (one query whatever the count)
    labels: Callable[[Iterable[int]], dict[int, str]]
    # (id, name) of the objects whose folded name contains the folded term, by name, from `offset`
    search: Callable[[str, int, int], list[tuple[int, str]]]


RESOLVERS: dict[str, ScopeResolver] = {}


def register(resolver: ScopeResolver) -> None:
    RESOLVERS[resolver.kind] = resolver


def resolver_for(kind: str) -> ScopeResolver | None:
    return RESOLVERS.get(kind)


def resolves(kind: str, object_id: int) -> bool:
    resolver = RESOLVERS.get(kind)
    return resolver is not None and object_id in resolver.labels([object_id])


def labels(kind: str, ids: Iterable[int]) -> dict[int, str]:
    resolver = RESOLVERS.get(kind)
    return resolver.labels(list(ids)) if resolver is not None else {}


def search(kind: str, term: str, offset: int = 0, limit: int = 20) -> list[tuple[int, str]]:
    resolver = RESOLVERS.get(kind)
    if resolver is None:
        return []
    return resolver.search(term, max(offset, 0), min(max(limit, 1), SEARCH_LIMIT))


def _missing(object_id: int) -> str:
    return f"#{object_id}"


def scope_label(grant: Any) -> str:
    """The name of what one grant is over ("" for a grant without a scope)."""
    if grant.unit_id:
        return grant.unit.name
    if grant.scope_id is None:
        return ""
    return labels(grant.scope_kind, [grant.scope_id]).get(grant.scope_id, _missing(grant.scope_id))


def attach_labels(grants: Iterable[Any]) -> None:
    """Fill `scope_label` for many grants with one query per scope kind (units come with the grant
    when it was read with `select_related("unit")`)."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for grant in grants:
        if grant.unit_id:
            grant._scope_label = grant.unit.name
        elif grant.scope_id is None:
            grant._scope_label = ""
        else:
            by_kind[grant.scope_kind].append(grant)
    for kind, group in by_kind.items():
        names = labels(kind, {grant.scope_id for grant in group})
        for grant in group:
            grant._scope_label = names.get(grant.scope_id, _missing(grant.scope_id))


def referenced_kinds() -> list[str]:
    """The scope kinds that point at objects of apps above accounts."""
    return [ScopeKind.CENTER, ScopeKind.PRODUCER, ScopeKind.OPERATOR]
