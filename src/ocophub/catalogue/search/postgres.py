"""PostgreSQL: pg_trgm GIN indexes over `Product.search_text` (made by migration 0002).

    catalogue_product_search_trgm       search_text                     word prefixes (LIKE)
    catalogue_product_search_flat_trgm  replace(search_text, ' ', '')   trigram LIKEs for typo matches

The second index holds the text without spaces because the ranking measures similarity that way
("khamtrai" ~ "kham trai"). Indexes follow the table, so `reindex` has nothing to do.

Candidates are chosen by the same rules as on SQLite (see `sqlite.py`): every query word as a word
prefix, then rows sharing a trigram with the query whose similarity reaches the ranking's threshold,
with the ranking restated in SQL so that both databases keep the same rows under the cap. pg_trgm's
own `word_similarity` is not used to choose: it scores one contiguous stretch of the text, the
ranking the whole text, and the two would keep different rows.
"""

from django.db import connection
from django.db.models import QuerySet

from .base import Backend, among_clause, inner_trigrams, least_shared, shared_trigrams

# Candidates read per stage before ranking in Python (~15 µs a candidate).

TEXT = "p.found_text"


SQL = {
    "first1": "left({flat}, 1)",
    "first2": "left({flat}, 2)",
    "last2": "right({flat}, 2)",
    "contains": "strpos({flat}, %s) > 0",
    "one": "(CASE WHEN {part} THEN 1 ELSE 0 END)",
}


def every_word_prefix(terms: list[str]) -> tuple[str, list[str]]:
    """SQL: every term starts a word of the text (words split on spaces, as the ranking does).
    The LIKE lets the GIN index answer (a term is letters and digits only: no wildcard in it);
    `strpos` then checks the word start, faster than a regular expression."""
    sql = " AND ".join(f"{TEXT} LIKE %s AND strpos(' ' || {TEXT}, %s) > 0" for _ in terms)
    return sql, [param for term in terms for param in (f"%{term}%", f" {term}")]


def not_every_word_prefix(terms: list[str], text: str) -> tuple[str, list[str]]:
    """SQL: some term starts no word of the text (the rows `every_word_prefix` leaves out)."""
    return " OR ".join(f"strpos(' ' || {text}, %s) = 0" for _ in terms), [f" {term}" for term in terms]


def any_trigram(phrase: str) -> tuple[str, list[list[str]]]:
    """SQL: the text without spaces has one of the query's trigrams (the flat GIN index answers)."""
    return f"replace({TEXT}, ' ', '') LIKE ANY (%s)", [[f"%{trigram}%" for trigram in inner_trigrams(phrase)]]


def _ranked(
    phrase: str, among: QuerySet, find: tuple[str, list], keep: tuple[str, list], minimum: int, cap: int
) -> list[tuple[int, str]]:
    """(id, search_text) of products in `among` that `find` (on the product table, with its indexes)
    and then `keep` (on the scored rows), in the ranking's order: phrase, shared trigrams, shorter
    text, id. `OFFSET 0` keeps PostgreSQL from working out the text without spaces, and the count,
    again wherever they are used."""
    shared_sql, shared_params = shared_trigrams(phrase, "flat", SQL)
    if (compiled := among_clause(among)) is None:
        return []
    among_sql, among_params = compiled
    sql = (  # only our own fragments go into the text; every value is a bound parameter
        "SELECT found_id, found_text FROM ("  # noqa: S608
        f" SELECT found_id, found_text, {shared_sql} AS shared,"
        "  strpos(' ' || found_text || ' ', %s) > 0 AS phrase_hit FROM ("
        f"  SELECT p.found_id, p.found_text, replace({TEXT}, ' ', '') AS flat"
        f"  FROM ({among_sql}) AS p WHERE {find[0]} OFFSET 0"
        " ) AS found OFFSET 0"
        f") AS scored WHERE shared >= %s AND {keep[0]}"
        " ORDER BY phrase_hit DESC, shared DESC, length(found_text), found_id LIMIT %s"
    )
    params = [*shared_params, f" {phrase} ", *among_params, *find[1], minimum, *keep[1], cap]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(dict(cursor.fetchall()).items())  # an `among` with joins may repeat a product


class PostgresBackend(Backend):
    """PostgreSQL: word-prefix candidates, then typo candidates by trigram when too few."""

    def reindex(self, product_ids: list[int]) -> None:
        """Nothing to do: the GIN indexes are part of the product table."""

    def candidates(self, terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
        """Products where every term starts a word: ranking tiers 3 and 2, best first."""
        return _ranked(" ".join(terms), among, every_word_prefix(terms), ("TRUE", []), 0, cap)

    def similar(self, terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
        """The other products similar enough to the query: ranking tier 1, best first."""
        phrase = " ".join(terms)
        if not inner_trigrams(phrase):  # fewer than three letters: nothing to look up by trigram
            return []
        keep = not_every_word_prefix(terms, "found_text")
        return _ranked(
            phrase, among, any_trigram(phrase), (f"({keep[0]})", keep[1]), least_shared(phrase), cap
        )
