"""/sitemap.xml lists the public pages, paged for a catalogue of any size, in a fixed number of queries;
/robots.txt keeps crawlers out of the work pages and points at the sitemap."""

import datetime as dt
import re

import pytest
from django.test import Client

from ocophub.catalogue import services as catalogue
from ocophub.centers.models import Status
from ocophub.centers.services import center_create
from ocophub.places import selectors as places
from ocophub.places.models import CraftVillage
from ocophub.web import sitemaps

from ..helpers import assert_fixed_queries
from ..sales import world as w

pytestmark = pytest.mark.django_db
LOC = re.compile(r"<loc>(.*?)</loc>")


@pytest.fixture
def world(loaded_places):
    return w.build()


def locations(client: Client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    return LOC.findall(response.content.decode())


def test_the_index_names_each_section(client, world):
    listed = locations(client, "/sitemap.xml")
    for section in ("trang", "san-pham", "chu-the", "lang-nghe", "trung-tam"):
        assert f"http://testserver/sitemap-{section}.xml" in listed


def test_products_are_listed_only_when_published(client, world):
    draft = catalogue.product_save(actor=None, producer=world.producer_a, name="Chén gốm mẫu mới")
    listed = locations(client, "/sitemap-san-pham.xml")
    assert f"http://testserver/san-pham/{world.bowl.slug}/" in listed
    assert f"http://testserver/san-pham/{world.tea.slug}/" in listed
    assert not any(draft.slug in url for url in listed)


def test_producers_villages_centers_and_pages_are_listed(client, world):
    planned = center_create(
        actor=None,
        name="Trung tâm OCOP Đa Tốn",
        commune=places.commune_by_code(577, era="legacy"),
        status=Status.PLANNED,
        effective_on=dt.date(2024, 9, 1),
    )
    producers = locations(client, "/sitemap-chu-the.xml")
    assert f"http://testserver/chu-the/{world.producer_a.slug}/" in producers
    village = CraftVillage.objects.order_by("pk").first()
    assert f"http://testserver/lang-nghe/{village.slug}/" in locations(client, "/sitemap-lang-nghe.xml")
    centers = locations(client, "/sitemap-trung-tam.xml")
    assert f"http://testserver/trung-tam/{world.center_a.slug}/" in centers
    assert not any(planned.slug in url for url in centers)  # not open to the public yet
    assert "http://testserver/san-pham/" in locations(client, "/sitemap-trang.xml")


def test_a_producer_without_published_goods_is_left_out(client, world):
    bare = catalogue.producer_save(
        actor=None, name="Hộ Mây Tre (thử)", kind="household", commune=places.commune_by_code(583)
    )
    assert not any(bare.slug in url for url in locations(client, "/sitemap-chu-the.xml"))


def test_a_big_catalogue_is_split_into_pages(client, world, monkeypatch):
    monkeypatch.setattr(sitemaps.ProductSitemap, "limit", 1)
    index = locations(client, "/sitemap.xml")
    assert "http://testserver/sitemap-san-pham.xml" in index
    assert "http://testserver/sitemap-san-pham.xml?p=2" in index
    first = locations(client, "/sitemap-san-pham.xml")
    second = locations(client, "/sitemap-san-pham.xml?p=2")
    assert len(first) == len(second) == 1 and first != second
    assert client.get("/sitemap-san-pham.xml?p=3").status_code == 404
    assert client.get("/sitemap-san-pham.xml?p=abc").status_code == 404
    assert client.get("/sitemap-khong-co.xml").status_code == 404


def test_the_product_sitemap_and_the_index_run_a_fixed_number_of_queries(client, world):
    def grow(n: int) -> None:
        for i in range(n):
            w.make_product(world.producer_a, f"Bình gốm số {i} {n}", 100_000, "")

    assert_fixed_queries(lambda: client.get("/sitemap-san-pham.xml"), grow)
    assert_fixed_queries(lambda: client.get("/sitemap.xml"), grow)


def test_the_product_sitemap_reads_only_slugs_and_dates(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap-san-pham.xml")
    reads = [q["sql"] for q in queries.captured_queries if "catalogue_product" in q["sql"]]
    assert reads and all("LIMIT" in sql or "COUNT" in sql for sql in reads)
    assert not any('"catalogue_product"."description"' in sql for sql in reads)


def test_robots_keeps_crawlers_out_of_the_work_pages(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for path in ("/quan-tri/", "/lam-viec/", "/tai-khoan/", "/quay/", "/kho/", "/api/"):
        assert f"Disallow: {path}\n" in text
    assert "Allow: /\n" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
