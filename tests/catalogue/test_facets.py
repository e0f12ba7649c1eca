"""The whole public catalogue's facet counts come from the cache under the catalogue's version, which
every write that can change them bumps; any filtered set is counted in SQL."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocophub.accounts.models import User
from ocophub.catalogue import selectors, services
from ocophub.catalogue.demo import DATA
from ocophub.catalogue.models import Product, ProductStatus, TaxonomyNode
from ocophub.catalogue.spreadsheet import products_import
from ocophub.common.dates import local_today
from ocophub.places.models import CraftVillage

from ..conftest import product_named
from .test_import_export import vase, workbook

pytestmark = pytest.mark.django_db


def page_facets(client, query: str = "") -> dict:
    response = client.get(f"/san-pham/{query}")
    assert response.status_code == 200
    return response.context["facets"]


def counted_in_sql() -> dict:
    """The counts straight from the database, bypassing the cache."""
    published = Product.objects.filter(status=ProductStatus.PUBLISHED)
    groups: dict[str, tuple[str, int]] = {}
    for product in published.select_related("taxonomy__parent__parent"):
        if product.taxonomy is not None:
            group = product.taxonomy.group
            groups[group.code] = (group.name, groups.get(group.code, ("", 0))[1] + 1)
    stars: dict[int, int] = {}
    for product in selectors.with_details(published):
        badge = selectors.badge(product)
        if badge is not None:
            stars[badge.stars] = stars.get(badge.stars, 0) + 1
    villages: dict[str, int] = {}
    for slug in published.filter(producer__craft_village__isnull=False).values_list(
        "producer__craft_village__slug", flat=True
    ):
        villages[slug] = villages.get(slug, 0) + 1
    return {"groups": groups, "stars": stars, "villages": villages}


def as_counts(facets: dict) -> dict:
    return {
        "groups": {code: (name, n) for code, name, n in facets["groups"]},
        "stars": {stars: n for stars, _label, n in facets["stars"]},
        "villages": {slug: n for slug, _name, n in facets["villages"]},
    }


def test_the_whole_catalogue_counts_equal_sql_and_are_then_read_without_counting(client, catalogue):
    first = page_facets(client)
    assert as_counts(first) == counted_in_sql()
    assert as_counts(first) == as_counts(
        selectors.facet_counts(Product.objects.filter(status=ProductStatus.PUBLISHED))
    )
    with CaptureQueriesContext(connection) as queries:
        again = page_facets(client)
    assert again == first
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert grouped == []


def _grouped(client, query: str) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        facets = page_facets(client, query)
    return facets, [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]


@pytest.mark.parametrize("query", ["?group={group}", "?q=binh", "?q=b%C3%ACnh+g%E1%BB%91m&stars=4&stars=5"])
def test_a_search_or_filter_is_counted_in_sql_once_then_read_from_the_cache(client, catalogue, query):
    group = product_named("Bình hút lộc").taxonomy.group.code
    query = query.format(group=group)
    first, grouped = _grouped(client, query)
    assert grouped  # counted in SQL, over every match
    found = selectors.product_search(
        None,
        selectors.Filters(
            q=client.get(f"/san-pham/{query}").context["filters"].q,
            group=group if "group" in query else "",
            stars=[4, 5] if "stars" in query else [],
        ),
    )
    assert as_counts(first) == as_counts(selectors.facet_counts(found.matches))
    again, grouped = _grouped(client, query)
    assert again == first and grouped == []
    # another sort of the same search is the same set: the same counts
    assert _grouped(client, f"{query}&sort=name") == (first, [])


def test_stock_filters_are_counted_in_sql_every_time(client, catalogue):
    page_facets(client, "?in_stock=1")
    _facets, grouped = _grouped(client, "?in_stock=1")
    assert grouped


def test_a_search_asked_again_after_a_write_is_counted_again(client, catalogue):
    product = product_named("Bình hút lộc")
    before = page_facets(client, "?q=binh")
    _archive(product, None)
    after, grouped = _grouped(client, "?q=binh")
    assert grouped
    total = sum(n for _c, _n, n in after["groups"])
    assert total == sum(n for _c, _n, n in before["groups"]) - 1


def test_those_who_see_drafts_get_their_own_counts(client, catalogue, city_admin):
    public = page_facets(client)
    client.force_login(city_admin)
    everything = page_facets(client)
    total = sum(n for _c, _n, n in everything["groups"])
    assert total == Product.objects.exclude(taxonomy=None).count() > sum(n for _c, _n, n in public["groups"])


def _archive(product: Product, admin: User) -> None:
    services.product_transition(actor=None, product=product, to=ProductStatus.ARCHIVED)


def _regroup(product: Product, admin: User) -> None:
    other = TaxonomyNode.objects.filter(rule_set__code="148", parent=None).exclude(
        pk=product.taxonomy.group.pk
    )
    services.product_save(actor=None, product=product, taxonomy=other.order_by("code").first())


def _leave_village(product: Product, admin: User) -> None:
    services.producer_save(actor=None, producer=product.producer, craft_village=None)


def _certify(product: Product, admin: User) -> None:
    uncertified = (
        Product.objects.filter(status=ProductStatus.PUBLISHED, current_stars=None).order_by("pk").first()
    )
    services.certificate_issue(
        actor=None,
        product=uncertified,
        decision_number="77/QĐ-TTg",
        decision_date=local_today() - dt.timedelta(days=3),
        issuer="Hội đồng OCOP Trung ương",
        deciding_level="central",
        stars=5,
    )


def _revoke(product: Product, admin: User) -> None:
    services.certificate_revoke(actor=None, certificate=selectors.badge(product), reason="Vi phạm")


def _rename_groups(product: Product, admin: User) -> None:
    data = json.loads((DATA / "reference.json").read_text(encoding="utf-8"))
    for rule_set in data["rule_sets"]:
        for group in rule_set.get("groups", []):
            group["name"] += " (mới)"
    services.reference_load(data)


def _import(product: Product, admin: User) -> None:
    report = products_import(actor=admin, data=workbook([vase()]), commit=True)
    assert report.committed, report.errors


def _generate(product: Product, admin: User) -> None:
    call_command("generate", products=30, seed=3, stdout=io.StringIO())


def _village_of_another(product: Product, admin: User) -> None:
    village = CraftVillage.objects.exclude(pk=product.producer.craft_village_id).order_by("slug").first()
    services.producer_save(actor=None, producer=product.producer, craft_village=village)


WRITES = {
    "product archived": _archive,
    "product moved to another group": _regroup,
    "producer left its village": _leave_village,
    "producer moved to another village": _village_of_another,
    "certificate issued": _certify,
    "certificate revoked": _revoke,
    "reference data reloaded": _rename_groups,
    "Excel import": _import,
    "generate": _generate,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_after_each_kind_of_write_the_page_shows_the_new_counts(client, catalogue, city_admin, write):
    product = product_named("Bình hút lộc")
    assert product.status == ProductStatus.PUBLISHED and product.current_stars is not None
    assert selectors.catalogue_version() is not None  # the whole catalogue's counts are cached
    before = page_facets(client)  # now in the cache
    write(product, city_admin)
    after = page_facets(client)
    assert as_counts(after) == counted_in_sql() != as_counts(before)


def test_a_new_day_counts_again(client, catalogue, time_machine):
    before = page_facets(client)
    time_machine.move_to(dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC))  # every demo certificate has expired
    after = page_facets(client)
    assert as_counts(before)["stars"] and as_counts(after)["stars"] == {}
