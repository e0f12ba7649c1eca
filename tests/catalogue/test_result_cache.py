"""A public search page asked again is neither ranked nor counted again: its ids, count and facets come
from the cache under the catalogue's version and the day. Every write that changes what matches shows
on the next search; those who see drafts, and the stock filters, are searched every time."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ocophub.catalogue import services
from ocophub.catalogue.models import ProductStatus

from ..conftest import product_named

pytestmark = pytest.mark.django_db


def _get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response, [q["sql"] for q in queries.captured_queries]


def _reads_products(queries: list[str]) -> bool:
    return any('FROM "catalogue_product"' in sql or "catalogue_product_fts" in sql for sql in queries)


def test_an_api_search_asked_again_runs_no_ranking_and_no_count(client, catalogue):
    first, _ = _get(client, "/api/v1/products?q=binh&limit=5")
    again, queries = _get(client, "/api/v1/products?q=binh&limit=5")
    assert again.json() == first.json() and first.json()["count"] > 0
    assert not _reads_products(queries), queries
    # another page of the same search is a question of its own
    second, queries = _get(client, "/api/v1/products?q=binh&limit=5&offset=5")
    assert _reads_products(queries)
    assert {i["id"] for i in second.json()["items"]}.isdisjoint(i["id"] for i in first.json()["items"])


def test_a_catalogue_page_asked_again_reads_no_product(client, catalogue):
    first, _ = _get(client, "/san-pham/?q=gom")
    again, queries = _get(client, "/san-pham/?q=gom")
    assert again.context["ids"] == first.context["ids"] and again.context["count"] == first.context["count"]
    assert again.context["facets"] == first.context["facets"]
    assert not _reads_products(queries), queries
    page_two, queries = _get(client, "/san-pham/?q=gom&page=2")
    assert page_two.context["page"].number == (2 if first.context["page"].has_next() else 1)


def test_a_write_that_changes_the_matches_shows_in_the_next_search(client, catalogue):
    product = product_named("Bình hút lộc")
    before = client.get("/api/v1/products?q=binh+hut+loc").json()
    page_before = client.get("/san-pham/?q=binh+hut+loc").context
    assert product.pk in [i["id"] for i in before["items"]] and product.pk in page_before["ids"]
    services.product_save(actor=None, product=product, name="Lọ hoa men rạn")
    after = client.get("/api/v1/products?q=binh+hut+loc").json()
    page_after = client.get("/san-pham/?q=binh+hut+loc").context
    assert product.pk not in [i["id"] for i in after["items"]] and product.pk not in page_after["ids"]
    assert after["count"] == before["count"] - 1 and page_after["count"] == page_before["count"] - 1
    renamed = client.get("/api/v1/products?q=men+ran").json()
    assert product.pk in [i["id"] for i in renamed["items"]]


def test_those_who_see_drafts_never_get_the_publics_result(client, catalogue, city_admin):
    product = product_named("Bình hút lộc")
    services.product_transition(actor=None, product=product, to=ProductStatus.DRAFT)
    public = client.get("/api/v1/products?q=binh+hut+loc").json()  # the public's result, now kept
    public_page = client.get("/san-pham/?q=binh+hut+loc").context
    assert product.pk not in [i["id"] for i in public["items"]] and product.pk not in public_page["ids"]
    client.force_login(city_admin)
    staff = client.get("/api/v1/products?q=binh+hut+loc").json()
    staff_page = client.get("/san-pham/?q=binh+hut+loc").context
    assert product.pk in [i["id"] for i in staff["items"]] and product.pk in staff_page["ids"]
    assert staff["count"] == public["count"] + 1
    client.logout()
    assert client.get("/api/v1/products?q=binh+hut+loc").json() == public


def test_stock_filters_are_searched_every_time(client, catalogue):
    _get(client, "/api/v1/products?in_stock=true&limit=5")
    _response, queries = _get(client, "/api/v1/products?in_stock=true&limit=5")
    assert _reads_products(queries)
    _get(client, "/san-pham/?in_stock=1")
    _response, queries = _get(client, "/san-pham/?in_stock=1")
    assert _reads_products(queries)


@override_settings(CATALOGUE_RESULTS_CACHE_SECONDS=0)
def test_with_the_result_cache_off_every_search_is_ranked(client, catalogue):
    _get(client, "/api/v1/products?q=binh&limit=5")
    _response, queries = _get(client, "/api/v1/products?q=binh&limit=5")
    assert _reads_products(queries)


def test_a_tampered_cursor_is_refused_even_beside_a_kept_result(client, catalogue):
    good = client.get("/api/v1/products", {"q": "gom", "limit": 2}).json()["next_cursor"]
    assert client.get("/api/v1/products", {"q": "gom", "limit": 2, "cursor": good}).status_code == 200
    bad = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    response = client.get("/api/v1/products", {"q": "gom", "limit": 2, "cursor": bad})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_cursor"


def _filters_panel(response) -> str:
    html = response.content.decode()
    return html[html.index('<aside class="facets"') : html.index("</aside>")]


def test_the_filters_panel_of_a_kept_page_is_not_drawn_again(client, catalogue):
    first, _ = _get(client, "/san-pham/?q=gom&stars=4")
    again, queries = _get(client, "/san-pham/?q=gom&stars=4")
    assert _filters_panel(again) == _filters_panel(first)
    assert 'value="4" checked' in _filters_panel(again)
    # neither the centers holding stock nor the communes are read for it
    assert not any("inventory_stock" in sql or "places_administrativeunit" in sql for sql in queries), queries
    # the same search without the filter is a panel of its own, with nothing ticked
    other, _ = _get(client, "/san-pham/?q=gom")
    assert "checked" not in _filters_panel(other)


def test_the_english_site_keeps_its_own_filters_panel(client, catalogue):
    vietnamese, _ = _get(client, "/san-pham/?q=gom")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _ = _get(client, "/san-pham/?q=gom")
    assert 'aria-label="Bộ lọc"' in _filters_panel(vietnamese)
    assert 'aria-label="Filters"' in _filters_panel(english)
