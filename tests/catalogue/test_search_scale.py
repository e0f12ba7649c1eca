"""Search and product lists on a generated catalogue of a few thousand products.

Counts are true counts, every page is reachable (by cursor in the API), facet counts equal direct SQL
counts, bad paging input is refused, and list pages run a fixed number of queries whatever the page.
The catalogue is generated once for the module inside a transaction rolled back at its end.
"""

from collections import Counter
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ocophub.catalogue.models import Certificate, Product, ProductStatus
from ocophub.catalogue.search.contract import order_key, query_terms, tier
from ocophub.common.dates import local_today
from ocophub.places.services import places_load
from ocophub.web.management.commands.setup import reference_data_load

PRODUCTS = 2500
QUERIES = ["gom", "gom su", "bat trang", "son mai", "khamtrai", "men lam", "banh chung", "tra", "mây tre"]


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        places_load()
        reference_data_load()
        call_command("generate", products=PRODUCTS, seed=5, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def scale(catalogue, db):
    """The generated catalogue, for one test (its writes roll back to the module's state)."""


def public_rows() -> list[tuple[int, str]]:
    return list(Product.objects.filter(status=ProductStatus.PUBLISHED).values_list("pk", "search_text"))


def contract_order(query: str) -> list[int]:
    terms = query_terms(query)
    rows = [row for row in public_rows() if tier(terms, row[1])]
    return [pk for pk, _text in sorted(rows, key=lambda row: order_key(terms, *row))]


def walk(client, params: dict) -> list[int]:
    """Every page of the API list, following `next_cursor` to the end."""
    ids: list[int] = []
    response = client.get("/api/v1/products", params).json()
    while True:
        ids += [item["id"] for item in response["items"]]
        if response["next_cursor"] is None:
            return ids
        response = client.get("/api/v1/products", {**params, "cursor": response["next_cursor"]}).json()


def test_the_catalogue_is_big_enough_to_mean_something(scale):
    assert len(public_rows()) > 1500
    assert len(contract_order("gom")) > 200  # more than the old cap of 200 ranked ids


@pytest.mark.parametrize("query", QUERIES)
def test_count_is_every_match_and_every_page_is_reachable(scale, client, query):
    expected = contract_order(query)
    first = client.get("/api/v1/products", {"q": query, "limit": 1}).json()
    assert first["count"] == len(expected)
    assert walk(client, {"q": query, "limit": 200}) == expected


@pytest.mark.parametrize("sort", ["name", "price", "-price", "newest", "stars"])
def test_every_order_walks_the_whole_list_once(scale, client, sort):
    ids = walk(client, {"sort": sort, "limit": 200})
    published = {pk for pk, _text in public_rows()}
    assert len(ids) == len(published) and set(ids) == published
    by_offset = client.get("/api/v1/products", {"sort": sort, "limit": 50, "offset": 100}).json()
    assert [item["id"] for item in by_offset["items"]] == ids[100:150]


def test_an_order_with_a_query_walks_its_matches(scale, client):
    ids = walk(client, {"q": "gom", "sort": "-price", "limit": 100})
    assert sorted(ids) == sorted(contract_order("gom"))
    prices = list(Product.objects.filter(pk__in=ids).values_list("pk", "list_price"))
    price = dict(prices)
    assert [price[pk] for pk in ids] == sorted(
        (price[pk] for pk in ids), key=lambda p: (p is None, -(p or 0))
    )


def test_facet_counts_equal_a_direct_count_of_the_matches(scale, client):
    response = client.get("/san-pham/", {"q": "gom"})
    facets = response.context["facets"]
    matches = set(contract_order("gom"))
    groups = Counter(
        node.group.code
        for node in (
            p.taxonomy
            for p in Product.objects.filter(pk__in=matches).select_related("taxonomy__parent__parent")
        )
    )
    assert {code: n for code, _name, n in facets["groups"]} == dict(groups)
    day = local_today()
    stars = Counter(
        Certificate.objects.filter(
            product_id__in=matches, superseded_by__isnull=True, valid_until__gte=day, decision_date__lte=day
        )
        .exclude(revoked_on__lte=day)
        .values_list("stars", flat=True)
    )
    assert {value: n for value, _label, n in facets["stars"]} == dict(stars)
    assert response.context["count"] == len(matches)


def test_the_catalogue_page_offers_a_bounded_number_of_pages(scale, client):
    from ocophub.catalogue.views import MAX_PAGES, PAGE_SIZE

    response = client.get("/san-pham/")
    count = response.context["count"]
    assert count == len(public_rows()) > MAX_PAGES * PAGE_SIZE
    assert response.context["page"].paginator.num_pages == MAX_PAGES
    last = client.get("/san-pham/", {"page": 10_000})  # past the end: the last page offered
    assert last.status_code == 200 and last.context["page"].number == MAX_PAGES
    assert 'data-testid="pages-capped"' in last.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "base",
    ["/api/v1/products?limit=24", "/api/v1/products?q=gom&limit=24", "/api/v1/products?q=khamtrai&limit=24"],
)
def test_api_lists_run_a_fixed_number_of_queries(scale, client, base):
    first = _queries(client, base)
    deeper = _queries(client, base.replace("limit=24", "limit=100&offset=100"))
    response = client.get(base).json()
    by_cursor = _queries(client, f"{base}&cursor={quote(response['next_cursor'])}")
    assert first == deeper == by_cursor
    # a page not asked yet: the catalogue's version, the result's cache read, the ranking and the count,
    # the result kept in the cache, the page's items read (one query and two prefetches) and kept, and
    # for a query its words looked up in the vocabulary
    assert first <= 19
    # a page asked again: the version, then the result and its items from the cache, nothing ranked
    assert _queries(client, base) == 3


@pytest.mark.parametrize("base", ["/san-pham/?", "/san-pham/?q=gom+su&", "/san-pham/?q=gom&sort=price&"])
def test_catalogue_pages_run_a_fixed_number_of_queries(scale, client, base):
    _queries(client, f"{base}page=2")  # the whole catalogue's facet counts are cached by the first view
    assert _queries(client, f"{base}page=1") == _queries(client, f"{base}page=7")


# --- bad paging input -------------------------------------------------------------------------


def test_a_tampered_cursor_is_refused(scale, client):
    cursor = client.get("/api/v1/products", {"q": "gom", "limit": 5}).json()["next_cursor"]
    for bad in (
        cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"),
        "x" * 50,
        "abc:def",
        cursor + "==",
    ):
        response = client.get("/api/v1/products", {"q": "gom", "cursor": bad})
        assert response.status_code == 422, bad  # a refused field, as every API field error
        assert response.json()["error"]["code"] == "invalid_cursor"


def test_a_cursor_of_another_list_is_refused(scale, client):
    cursor = client.get("/api/v1/products", {"q": "gom", "limit": 5}).json()["next_cursor"]
    for other in ({"q": "son mai"}, {"q": "gom", "sort": "price"}, {"q": "gom", "stars": 4}):
        response = client.get("/api/v1/products", {**other, "cursor": cursor})
        assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_cursor"
    assert client.get("/api/v1/products", {"q": "gom", "cursor": cursor}).status_code == 200
    both = client.get("/api/v1/products", {"q": "gom", "cursor": cursor, "offset": 10})
    assert both.status_code == 422 and "offset" in both.json()["error"]["fields"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 10_000},
        {"offset": 10_001},
        {"q": "x" * 1000},
        {"offset": -1},
        {"cursor": "y" * 1000},
    ],
)
def test_out_of_range_paging_is_a_clear_4xx(scale, client, params):
    response = client.get("/api/v1/products", params)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]


def test_a_query_longer_than_any_url_is_refused_before_the_view(scale, client):
    response = client.get("/api/v1/products", {"q": "gốm " * 2500})
    assert response.status_code == 414


def test_a_page_past_the_end_is_empty(scale, client):
    response = client.get("/api/v1/products", {"q": "khamtrai", "offset": 10_000})
    assert response.status_code == 200
    body = response.json()
    assert (
        body["items"] == []
        and body["next_cursor"] is None
        and body["count"] == len(contract_order("khamtrai"))
    )


@pytest.mark.parametrize("query", ["!!!", "…", " ,;:-- ", "%%%"])
def test_a_query_of_punctuation_finds_nothing(scale, client, query):
    response = client.get("/api/v1/products", {"q": query})
    assert response.status_code == 200 and response.json()["count"] == 0
    page = client.get("/san-pham/", {"q": query})
    assert page.status_code == 200 and page.context["count"] == 0


def test_a_query_that_finds_nothing_says_what_would(scale, client):
    body = client.get("/api/v1/products", {"q": "gom suu bat trng"}).json()
    assert body["count"] == 0 and body["items"] == []
    assert body["suggestions"]
    for text in body["suggestions"]:
        assert client.get("/api/v1/products", {"q": text}).json()["count"] > 0
    page = client.get("/san-pham/", {"q": "bat trng"})
    assert 'data-testid="did-you-mean"' in page.content.decode()
    assert "bat trang" in page.context["suggestions"]
