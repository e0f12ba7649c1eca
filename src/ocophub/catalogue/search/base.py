"""The backend interface, and a portable candidate finder used until a backend has its own index."""

from django.core.exceptions import EmptyResultSet
from django.db.models import F, Q, QuerySet

from ocophub.common.text import search_terms

from .ranking import SIMILARITY, rank, trigrams

# the most candidates a backend hands to the ranking (it keeps the ones the ranking would put first)
CAP = 2000


class Backend:
    def reindex(self, product_ids: list[int]) -> None:
        """Bring the index up to date for these products (created, changed or deleted)."""

    def candidates(self, terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
        """(id, search_text) of products that may match; at most `cap`."""
        condition = Q()
        for term in terms:
            condition &= Q(search_text__contains=term)
        return list(among.filter(condition).values_list("pk", "search_text")[:cap])

    def similar(self, terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
        """Products similar enough to the query (ranking tier 1) beyond `candidates`; none by default."""
        return []

    def search(self, query: str, among: QuerySet | None = None, limit: int = 200) -> list[int]:
        from ..models import Product

        terms = search_terms(query)
        if not terms:
            return []
        among = among if among is not None else Product.objects.all()
        found = self.candidates(terms, among, CAP)
        if len(found) < limit:
            found += self.similar(terms, among, CAP)
        return rank(" ".join(terms), found)[:limit]

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Names of published products whose words start with the typed words, best ranked first."""
        from ..models import Product, ProductStatus

        terms = search_terms(prefix)
        if not terms:
            return []
        published = Product.objects.filter(status=ProductStatus.PUBLISHED)
        ranked = rank(" ".join(terms), self.candidates(terms, published, limit * 4))
        names = dict(Product.objects.filter(pk__in=ranked).values_list("pk", "name"))
        return list(dict.fromkeys(names[pk] for pk in ranked if pk in names))[:limit]


def inner_trigrams(phrase: str) -> list[str]:
    """The query's trigrams without padding ("khamtrai" → kha ham amt mtr tra rai)."""
    return sorted(trigram for trigram in trigrams(phrase.replace(" ", "")) if " " not in trigram)


def least_shared(phrase: str) -> int:
    """The fewest shared trigrams that reach the ranking's similarity threshold."""
    wanted = len(trigrams(phrase.replace(" ", "")))
    return next(count for count in range(wanted + 1) if count / wanted >= SIMILARITY)


def shared_trigrams(phrase: str, flat: str, sql: dict[str, str]) -> tuple[str, list[str]]:
    """SQL counting the query's trigrams found in `flat` (the text without spaces), as
    `ranking.similarity` counts them: padded ones say how the text starts and ends. `sql` holds the
    dialect's expressions for the first letter, the first two, the last two and "contains"."""
    parts, params = [], []
    for trigram in sorted(trigrams(phrase.replace(" ", ""))):
        if trigram.startswith("  "):  # "  k": the text starts with k
            parts.append(sql["first1"].format(flat=flat) + " = %s")
            params.append(trigram[2])
        elif trigram.startswith(" ") and trigram.endswith(" "):  # " k ": the text is k
            parts.append(f"{flat} = %s")
            params.append(trigram[1])
        elif trigram.startswith(" "):  # " kh": the text starts with kh
            parts.append(sql["first2"].format(flat=flat) + " = %s")
            params.append(trigram[1:])
        elif trigram.endswith(" "):  # "ai ": the text ends with ai
            parts.append(sql["last2"].format(flat=flat) + " = %s")
            params.append(trigram[:2])
        else:
            parts.append(sql["contains"].format(flat=flat))
            params.append(trigram)
    return " + ".join(sql["one"].format(part=part) for part in parts), params


def among_clause(among: QuerySet) -> tuple[str, tuple] | None:
    """`among` as a subquery of (found_id, found_text); None when it can hold no row (`pk__in=[]`)."""
    rows = among if among.query.is_sliced else among.order_by()
    try:
        return rows.values(found_id=F("pk"), found_text=F("search_text")).query.sql_with_params()
    except EmptyResultSet:
        return None
