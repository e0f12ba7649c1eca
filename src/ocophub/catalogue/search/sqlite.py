"""SQLite: an FTS5 table over `Product.search_text` (unicode61 words, prefix indexes), kept in step by
`reindex`. A plan becomes one MATCH expression, every value quoted by us: the words are letters and
digits only (`contract.query_terms`), so nothing typed reaches FTS5's query syntax.

    gom su  →  ("gom") AND ("su" OR "su"*)
    khamtrai → ("khamtrai" OR "kham trai" OR …typos…)
"""

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .contract import Plan, Term

TABLE = "catalogue_product_words"
BATCH = 500


def _term(term: Term) -> str:
    options = [f'"{term.word}"', *(f'"{word}"' for word in term.typos)]
    options += [f'"{first} {second}"' for first, second in term.splits]
    if term.last:
        options.append(f'"{term.word}"*')
    return "(" + " OR ".join(options) + ")"


def match_expression(plan: Plan) -> str:
    return " AND ".join(_term(term) for term in plan.terms)


def matching(qs: QuerySet, plan: Plan) -> QuerySet:
    # the table name is ours and the expression a bound parameter
    found = RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(plan)])  # noqa: S608, S611
    return qs.filter(pk__in=found)


def reindex(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, body) SELECT id, search_text FROM catalogue_product "  # noqa: S608
                f"WHERE id IN ({marks})",
                chunk,
            )
