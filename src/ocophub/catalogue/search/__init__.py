"""Product search: the relevance contract (`contract`) evaluated in SQL on either database.

    plan(query)                    the query's words, with the catalogue words each stands for
    matching(qs, plan)             the products of `qs` the query finds (a queryset: count it, facet it)
    ranked(qs, plan)               the same, annotated and ordered by the contract's tiers
    search(query, among, limit)    ids of the best `limit` matches, best first
    did_you_mean(query, among)     other spellings that do find something, when the query finds nothing
    suggest(prefix, limit)         product names for the search box
    reindex(product_ids)           keep the index and the vocabulary in step (called by the services)

Finding is an index look-up (SQLite: FTS5; PostgreSQL: a stored tsvector with a GIN index); typo and
split matches are first resolved against the vocabulary (`SearchWord`), so the index is asked only for
whole words, prefixes and two-word phrases. Ranking is a few string comparisons per matching row in
SQL; nothing is re-scored in Python.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Length

from . import vocabulary
from .contract import EXACT, PHRASE, PREFIX, TYPO, Plan, Term, query_terms

__all__ = [
    "Plan",
    "did_you_mean",
    "matching",
    "plan",
    "ranked",
    "rebuild_vocabulary",
    "reindex",
    "search",
    "suggest",
]

# the fields `ranked` adds, for a keyset cursor
TIER, LENGTH = "search_tier", "search_length"


def _backend():  # noqa: ANN202 - one of two modules with the same functions
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite


def plan(query: str | None) -> Plan | None:
    """The query worked out against the vocabulary (one query), or None when it has no words."""
    terms = query_terms(query)
    if not terms:
        return None
    found = vocabulary.near(terms)
    return Plan(
        [
            Term(word, last=i == len(terms) - 1, typos=found.typos[word], splits=found.splits[word])
            for i, word in enumerate(terms)
        ]
    )


def matching(qs: QuerySet, search_plan: Plan) -> QuerySet:
    """The products of `qs` that match every word of the plan."""
    return _backend().matching(qs, search_plan)


def tier_expression(search_plan: Plan) -> Case:
    """The contract's tier of a matching row, as SQL (see `contract`)."""
    exact = Q()
    typed = Q()
    for term in search_plan.terms:
        word_q = Q(search_padded__contains=f" {term.word} ")
        exact &= word_q
        typed &= (word_q | Q(search_lead__contains=f" {term.word}")) if term.last else word_q
    padded = Q(search_padded__contains=f" {search_plan.phrase} ")
    return Case(
        When(padded, then=Value(PHRASE)),
        When(exact, then=Value(EXACT)),
        When(typed, then=Value(PREFIX)),
        default=Value(TYPO),
        output_field=IntegerField(),
    )


def ranked(qs: QuerySet, search_plan: Plan) -> QuerySet:
    """The matches in the contract's order: tier, shorter text, smaller id."""
    return (
        matching(qs, search_plan)
        .alias(
            search_padded=Concat(Value(" "), F("search_text"), Value(" "), output_field=TextField()),
            search_lead=Concat(Value(" "), F("search_text"), output_field=TextField()),
        )
        .annotate(**{TIER: tier_expression(search_plan), LENGTH: Length("search_text")})
        .order_by(f"-{TIER}", LENGTH, "pk")
    )


def search(query: str, among: QuerySet | None = None, limit: int = 200) -> list[int]:
    """Ids of the best `limit` products of `among` (every product by default) for the query."""
    from ..models import Product

    search_plan = plan(query)
    if search_plan is None:
        return []
    qs = Product.objects.all()
    if among is not None:  # as a subquery: an `among` with a multi-valued join may repeat a product
        qs = qs.filter(pk__in=among.order_by().values("pk"))
    return list(ranked(qs, search_plan).values_list("pk", flat=True)[:limit])


def did_you_mean(query: str, among: QuerySet, limit: int = 3) -> list[str]:
    """When the query finds nothing in `among`: up to `limit` respellings that find something, each
    word replaced by the nearest catalogue words (a few count queries, only then)."""
    terms = query_terms(query)
    if not terms:
        return []
    nearest = vocabulary.nearest(terms)
    proposals: list[list[str]] = []
    for rank in range(limit):
        # the rank-th nearest spelling of every word that has one, the others kept
        proposal = [
            options[rank] if rank < len(options) else options[-1] if options else word
            for word, options in ((word, nearest.get(word, [])) for word in terms)
        ]
        if proposal != terms and proposal not in proposals:
            proposals.append(proposal)
    found = []
    for proposal in proposals:
        text = " ".join(proposal)
        proposal_plan = plan(text)
        if proposal_plan is not None and matching(among.order_by(), proposal_plan).exists():
            found.append(text)
    return found


def suggest(prefix: str, limit: int = 8) -> list[str]:
    """Names of published products the typed words find, best first."""
    from ..models import Product, ProductStatus

    search_plan = plan(prefix)
    if search_plan is None:
        return []
    names = ranked(Product.objects.filter(status=ProductStatus.PUBLISHED), search_plan).values_list(
        "name", flat=True
    )
    return list(dict.fromkeys(names[: limit * 2]))[:limit]


def reindex(product_ids: Iterable[int]) -> None:
    """Bring the index and the vocabulary up to date for these products (created, changed or gone)."""
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return
    _backend().reindex(ids)
    vocabulary.add_from(ids)


def rebuild_vocabulary() -> int:
    """Make the vocabulary exactly the words of the products (daily); the number of words kept."""
    return vocabulary.rebuild()
