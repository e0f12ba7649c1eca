"""Route-permission rules of the product review pages (merged into tests/test_route_matrix.py)."""

from ..route_rules import PAGE, REDIRECT, Rule, _get


def _decide(client, ctx):
    from ocophub.catalogue.models import Product

    # the world's draft, submitted for this request only (each test runs in its own savepoint)
    Product.objects.filter(pk=ctx.draft.pk).update(status="submitted")
    return client.post(f"/lam-viec/duyet-san-pham/{ctx.draft.pk}/", {"decision": "publish"})


PAGES: dict[str, Rule] = {
    "catalogue_review:queue": Rule(
        _get("/lam-viec/duyet-san-pham/"), "officer_a", PAGE, REDIRECT, other="customer"
    ),
    "catalogue_review:detail": Rule(_decide, "officer_a", REDIRECT, REDIRECT, other="officer_b"),
}
OPERATIONS: dict = {}
