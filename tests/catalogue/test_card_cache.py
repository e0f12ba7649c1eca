"""The catalogue page's product cards and its total come from the cache under the catalogue's version:
a page asked again reads neither the page's products nor counts the catalogue; every write that
changes a card shows on the next view; those who see drafts, and each language, get their own."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from ocophub.catalogue import selectors, services
from ocophub.catalogue.models import Product, ProductStatus

from ..conftest import product_named

pytestmark = pytest.mark.django_db


def _page(client, query: str = ""):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/san-pham/{query}")
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def _cards(response) -> str:
    html = response.content.decode()
    return html[html.index('<ul class="cards">') : html.index("</ul>", html.index('<ul class="cards">'))]


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("moi.png", buffer.getvalue(), content_type="image/png")


def test_a_page_asked_again_reads_no_product_row_and_counts_nothing(client, catalogue):
    assert selectors.catalogue_version() is not None
    first, _ = _page(client)
    again, queries = _page(client)
    assert _cards(again) == _cards(first) and "product-card" in _cards(first)
    assert again.context["count"] == Product.objects.filter(status=ProductStatus.PUBLISHED).count()
    assert not any("COUNT(" in sql.upper() for sql in queries), queries
    assert not any('FROM "catalogue_productphoto"' in sql for sql in queries), queries
    assert not any('FROM "catalogue_certificate"' in sql for sql in queries), queries
    # the ids of the page are still read, in the page's order
    assert again.context["ids"] == first.context["ids"]


def _rename(product, client):
    services.product_save(actor=None, product=product, name="Bình hút lộc men mới")
    return "Bình hút lộc men mới"


def _rename_producer(product, client):
    services.producer_save(actor=None, producer=product.producer, name="Xưởng gốm mới")
    return "Xưởng gốm mới"


def _photo(product, client):
    photo = services.product_photo_add(actor=None, product=product, image=_png())
    return photo.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _photo_removed(product, client):
    photo = product.photos.first()
    assert photo is not None
    name = photo.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    services.product_photo_remove(actor=None, photo=photo)
    return ("gone", name)


def _revoked(product, client):
    services.certificate_revoke(actor=None, certificate=selectors.badge(product), reason="Vi phạm")
    return ("stars", None)


WRITES = {
    "product renamed": _rename,
    "producer renamed": _rename_producer,
    "photo added": _photo,
    "photo removed": _photo_removed,
    "certificate revoked": _revoked,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_each_write_that_changes_a_card_shows_on_the_next_view(client, catalogue, write):
    product = product_named("Bình hút lộc")
    query = "?q=binh+hut+loc"
    before, _ = _page(client, query)
    assert product.pk in before.context["ids"]
    if write is _photo_removed and not product.photos.exists():
        services.product_photo_add(actor=None, product=product, image=_png())
        before, _ = _page(client, query)
    stars_before = selectors.badge(product)
    expected = write(Product.objects.get(pk=product.pk), client)
    after, _ = _page(client, query)
    cards = _cards(after)
    if isinstance(expected, str):
        assert expected in cards and expected not in _cards(before)
    elif expected[0] == "gone":
        assert expected[1] in _cards(before) and expected[1] not in cards
    else:
        assert stars_before is not None and _cards(after) != _cards(before)


def test_those_who_see_drafts_get_cards_of_their_own(client, catalogue, city_admin):
    draft = Product.objects.filter(status=ProductStatus.DRAFT).first() or product_named("Bình hút lộc")
    if draft.status != ProductStatus.DRAFT:
        services.product_transition(actor=None, product=draft, to=ProductStatus.DRAFT)
    _page(client, f"?q={draft.folded_name.replace(' ', '+')}")
    client.force_login(city_admin)
    staff, _ = _page(client, f"?q={draft.folded_name.replace(' ', '+')}")
    assert draft.pk in staff.context["ids"]
    assert "tag" in _cards(staff)  # the draft's state, which the public's cards never show


def test_each_language_has_its_own_cards(client, catalogue):
    product = product_named("Bình hút lộc")
    services.product_save(actor=None, product=product, name_en="Fortune vase")
    vietnamese, _ = _page(client, "?q=binh+hut+loc")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english, _ = _page(client, "?q=binh+hut+loc")
    assert "Fortune vase" in _cards(english) and "Fortune vase" not in _cards(vietnamese)


def test_a_new_day_renders_the_cards_again(client, catalogue, time_machine):
    before, _ = _page(client)
    time_machine.move_to(dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC))  # every demo certificate has expired
    after, _ = _page(client)
    assert "★" in _cards(before) and _cards(after) != _cards(before)


def _api(client, query: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/products{query}")
    assert response.status_code == 200
    return response.json(), [q["sql"] for q in queries.captured_queries]


def test_the_products_api_reads_a_page_asked_again_from_the_cache(client, catalogue):
    first, _ = _api(client, "?q=binh&limit=5")
    again, queries = _api(client, "?q=binh&limit=5")
    assert again == first and first["items"]
    assert not any('FROM "catalogue_productphoto"' in sql for sql in queries), queries
    assert not any('FROM "catalogue_certificate"' in sql for sql in queries), queries
    # the cursor's page and a smaller page are pages of their own, with the same items
    smaller, _ = _api(client, "?q=binh&limit=2")
    assert smaller["items"] == first["items"][:2]


def test_a_product_write_shows_in_the_api_at_once(client, catalogue):
    product = product_named("Bình hút lộc")
    before, _ = _api(client, "?q=binh+hut+loc")
    services.product_save(actor=None, product=product, list_price=123_000)
    after, _ = _api(client, "?q=binh+hut+loc")
    item = next(i for i in after["items"] if i["id"] == product.pk)
    assert item["list_price"] == 123_000
    assert next(i for i in before["items"] if i["id"] == product.pk)["list_price"] != 123_000


def test_those_who_manage_drafts_get_their_own_api_items(client, catalogue, city_admin):
    product = product_named("Bình hút lộc")
    _api(client, "?q=binh+hut+loc")  # the public's page, now in the cache
    services.product_transition(actor=None, product=product, to=ProductStatus.DRAFT)
    client.force_login(city_admin)
    staff, _ = _api(client, "?q=binh+hut+loc")
    assert {i["id"]: i["status"] for i in staff["items"]}[product.pk] == "draft"
