"""The limit of the search figures: the plain ranked full-text query, written by hand, that returns the
same rows as `GET /api/v1/products?q=…` (the top `limit` published products in the contract's order)
and the exact count of the matches.

The query's words are worked out against the vocabulary once, outside the timing (`_plans`): what is
timed is the SQL a search engine would run for it, nothing else.
"""

from functools import cache

from django.db import connection

from ocophub.catalogue import search
from ocophub.catalogue.search import postgres, sqlite
from ocophub.catalogue.search.contract import EXACT, PHRASE, PREFIX, TYPO


@cache
def _plan(query: str) -> search.Plan | None:
    return search.plan(query)


def _tier_sql(plan: search.Plan, text: str, contains: str) -> tuple[str, list[str]]:
    padded, lead = f"(' ' || {text} || ' ')", f"(' ' || {text})"
    phrase = contains.format(haystack=padded)
    exact = " AND ".join(contains.format(haystack=padded) for _term in plan.terms)
    typed = " AND ".join(contains.format(haystack=lead if term.last else padded) for term in plan.terms)
    sql = (
        f"CASE WHEN {phrase} THEN {PHRASE} WHEN {exact} THEN {EXACT} "
        f"WHEN {typed} THEN {PREFIX} ELSE {TYPO} END"
    )
    params = [f" {plan.phrase} "]
    params += [f" {term.word} " for term in plan.terms]
    params += [f" {term.word}" if term.last else f" {term.word} " for term in plan.terms]
    return sql, params


def statements(query: str, limit: int) -> tuple[tuple[str, list], tuple[str, list]] | None:
    """(rows SQL, count SQL) with their parameters, or None when the query has no words."""
    plan = _plan(query)
    if plan is None:
        return None
    if connection.vendor == "postgresql":
        where = "p.status = 'published' AND p.search_vector @@ to_tsquery('simple'::regconfig, %s)"
        match = postgres.tsquery(plan)
        contains = "strpos({haystack}, %s) > 0"
    else:
        table = sqlite.TABLE  # our own name; the expression is a bound parameter
        where = f"p.status = 'published' AND p.id IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)"  # noqa: S608
        match = sqlite.match_expression(plan)
        contains = "instr({haystack}, %s) > 0"
    tier, tier_params = _tier_sql(plan, "p.search_text", contains)
    rows = (
        f"SELECT p.id FROM catalogue_product p WHERE {where} "  # noqa: S608 - our own fragments only
        f"ORDER BY {tier} DESC, length(p.search_text), p.id LIMIT %s",
        [match, *tier_params, limit],
    )
    count = (f"SELECT count(*) FROM catalogue_product p WHERE {where}", [match])  # noqa: S608
    return rows, count


def limit(query: str, limit: int) -> list[int]:
    """Run the two statements; the ids, best first (the count is read and dropped, as the API reads it)."""
    found = statements(query, limit)
    if found is None:
        return []
    (rows_sql, rows_params), (count_sql, count_params) = found
    with connection.cursor() as cursor:
        cursor.execute(rows_sql, rows_params)
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(count_sql, count_params)
        cursor.fetchone()
    return ids
