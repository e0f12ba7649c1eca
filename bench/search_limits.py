"""The limit of the search figures: what the fastest query for the same rows costs.

Placeholder until the search rewrite provides the real one (the plain ranked full-text query, raw SQL):
for now it runs the search backend's own candidate queries and ranking over the published products, and
the exact count, so that the harness has something to check the API's rows against.
"""


def limit(query: str, limit: int) -> list[int]:
    """Ids of the published products matching `query`, best first (at most `limit`); also counts them."""
    from django.db import connection

    from ocophub.catalogue import search
    from ocophub.catalogue.models import Product, ProductStatus

    ids = search.search(query, among=Product.objects.filter(status=ProductStatus.PUBLISHED))
    if ids:
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM catalogue_product WHERE status = 'published' AND id IN ({marks})",  # noqa: S608 — placeholders only
                ids,
            )
            cursor.fetchone()
    return ids[:limit]
