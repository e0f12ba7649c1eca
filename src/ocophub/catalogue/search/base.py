"""The backend interface, and a portable candidate finder used until a backend has its own index."""

from django.db.models import Q, QuerySet

from ocophub.common.text import search_terms

from .ranking import rank


class Backend:
    def reindex(self, product_ids: list[int]) -> None:
        """Bring the index up to date for these products (created, changed or deleted)."""

    def candidates(self, terms: list[str], among: QuerySet, cap: int) -> list[tuple[int, str]]:
        """(id, search_text) of products that may match; at most `cap`."""
        condition = Q()
        for term in terms:
            condition &= Q(search_text__contains=term)
        return list(among.filter(condition).values_list("pk", "search_text")[:cap])

    def search(self, query: str, among: QuerySet | None = None, limit: int = 200) -> list[int]:
        from ..models import Product

        terms = search_terms(query)
        if not terms:
            return []
        among = among if among is not None else Product.objects.all()
        found = self.candidates(terms, among, cap=2000)
        return rank(" ".join(terms), found)[:limit]

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        from ..models import Product, ProductStatus

        terms = search_terms(prefix)
        if not terms:
            return []
        qs = Product.objects.filter(status=ProductStatus.PUBLISHED)
        for term in terms:
            qs = qs.filter(search_text__contains=term)
        return list(qs.order_by("folded_name").values_list("name", flat=True).distinct()[:limit])
