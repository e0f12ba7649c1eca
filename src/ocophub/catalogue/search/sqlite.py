"""SQLite: two FTS5 indexes over `Product.search_text`, kept in step by `reindex`.

    catalogue_product_fts          unicode61 words with prefix indexes: finds word-prefix matches
    catalogue_product_fts_trigram  trigrams of the text with its spaces removed: finds typo matches

The trigram table indexes the text without spaces because the ranking measures similarity that way
("khamtrai" ~ "kham trai"). Each table keeps its own copy of the text, so that a row can be deleted by
its id alone. User text never reaches MATCH as typed: it is folded into `search_terms` (letters and
digits only) and every token is quoted.

Candidates, the same on both databases (PostgreSQL: `postgres.py`, over pg_trgm):
1. rows where every query word starts a word of the text (ranking tiers 3 and 2);
2. when those are fewer than the limit, rows sharing at least one of the query's trigrams whose
   similarity reaches the ranking's threshold (tier 1). A text that resembles the query only by its
   first and last letters (the ranking's padded trigrams) is not looked up: no index serves that.
The indexes narrow the rows down; the SQL around them restates the ranking (`ranking.py`): words as
the ranking splits them, the same trigram count, threshold and order. So what is kept under the cap
is what the ranking puts first, and both databases keep the same rows.
"""

from django.db import connection
from django.db.models import QuerySet

from .base import Backend, among_clause, inner_trigrams, least_shared, shared_trigrams

WORDS_TABLE = "catalogue_product_fts"
TRIGRAM_TABLE = "catalogue_product_fts_trigram"

# Candidates read per stage before ranking in Python (~15 µs a candidate).
BATCH = 500

TEXT = "p.found_text"


SQL = {
    "first1": "substr({flat}, 1, 1)",
    "first2": "substr({flat}, 1, 2)",
    "last2": "substr({flat}, -2)",
    "contains": "instr({flat}, %s) > 0",
    "one": "({part})",
}


def word_match(terms: list[str]) -> str:
    """Every term as the start of a word: `"bat"* AND "tr"*`."""
    return " AND ".join(f'"{term}"*' for term in terms)


def trigram_match(phrase: str) -> str:
    """Any of the query's trigrams: `"kha" OR "ham" OR …`."""
    return " OR ".join(f'"{trigram}"' for trigram in inner_trigrams(phrase))


def every_word_prefix(terms: list[str]) -> tuple[str, list[str]]:
    """SQL: every term starts a word of the text (words split on spaces, as the ranking does)."""
    return " AND ".join(f"instr(' ' || {TEXT}, %s) > 0" for _ in terms), [f" {term}" for term in terms]


def _fetch(sql: str, params: list) -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(dict(cursor.fetchall()).items())  # an `among` with joins may repeat a product


# The CTEs are MATERIALIZED so that the text without spaces, and the trigram count, are worked out
# once a row (SQLite would otherwise repeat the expressions wherever they are used). CROSS JOIN keeps
# the full-text table as the outer loop whatever indexes `among` could use. Only our own fragments
# are put into the SQL text; every value, the user's words included, is a bound parameter.


def _word_candidates(terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
    phrase = " ".join(terms)
    prefix_sql, prefix_params = every_word_prefix(terms)
    shared_sql, shared_params = shared_trigrams(phrase, "flat", SQL)
    if (compiled := among_clause(among)) is None:
        return []
    among_sql, among_params = compiled
    sql = (
        "WITH found AS MATERIALIZED ("  # noqa: S608
        f" SELECT p.found_id, p.found_text, replace({TEXT}, ' ', '') AS flat"
        f" FROM {WORDS_TABLE} CROSS JOIN ({among_sql}) AS p ON p.found_id = {WORDS_TABLE}.rowid"
        f" WHERE {WORDS_TABLE} MATCH %s AND {prefix_sql})"
        " SELECT found_id, found_text FROM ("
        "  SELECT found_id, found_text, instr(' ' || found_text || ' ', %s) > 0 AS phrase_hit,"
        f" {shared_sql} AS shared FROM found"
        ") ORDER BY phrase_hit DESC, shared DESC, length(found_text), found_id LIMIT %s"
    )
    params = [*among_params, word_match(terms), *prefix_params, f" {phrase} ", *shared_params, cap]
    return _fetch(sql, params)


def _similar_candidates(terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
    phrase = " ".join(terms)
    prefix_sql, prefix_params = every_word_prefix(terms)
    shared_sql, shared_params = shared_trigrams(phrase, f"{TRIGRAM_TABLE}.body", SQL)  # the flat text, stored
    if (compiled := among_clause(among)) is None:
        return []
    among_sql, among_params = compiled
    sql = (
        "WITH scored AS MATERIALIZED ("  # noqa: S608
        f" SELECT rowid AS hit_id, {shared_sql} AS shared"
        f" FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s)"
        " SELECT p.found_id, p.found_text"
        f" FROM scored CROSS JOIN ({among_sql}) AS p ON p.found_id = scored.hit_id"
        f" WHERE scored.shared >= %s AND NOT ({prefix_sql})"
        " ORDER BY scored.shared DESC, length(p.found_text), p.found_id LIMIT %s"
    )
    params = [*shared_params, trigram_match(phrase), *among_params, least_shared(phrase), *prefix_params, cap]
    return _fetch(sql, params)


class SqliteBackend(Backend):
    """SQLite: word-prefix candidates from FTS5, then typo candidates from trigrams when too few."""

    def reindex(self, product_ids: list[int]) -> None:
        ids = sorted({int(pk) for pk in product_ids})
        with connection.cursor() as cursor:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                marks = ", ".join(["%s"] * len(chunk))
                for table, body in (
                    (WORDS_TABLE, "search_text"),
                    (TRIGRAM_TABLE, "replace(search_text, ' ', '')"),
                ):
                    cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)  # noqa: S608
                    cursor.execute(
                        f"INSERT INTO {table} (rowid, body) SELECT id, {body} FROM catalogue_product "  # noqa: S608
                        f"WHERE id IN ({marks})",
                        chunk,
                    )

    def candidates(self, terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
        """Products where every term starts a word: ranking tiers 3 and 2, best first."""
        return _word_candidates(terms, among, cap)

    def similar(self, terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
        """The other products similar enough to the query: ranking tier 1, best first."""
        if not inner_trigrams(" ".join(terms)):  # fewer than three letters: nothing to look up by trigram
            return []
        return _similar_candidates(terms, among, cap)
