"""The product page's body comes from the cache under the catalogue's version, the day and the language
(catalogue/product_page.py): a page asked again reads neither the product's photos nor its
certificates; what depends on the viewer (the producer members' edit link, the CSRF token of the
add-to-basket forms) is the viewer's own; every write shows on the next view; a product that is not
published is never read from or written to the cache."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from ocophub.accounts.models import Role
from ocophub.catalogue import selectors, services
from ocophub.catalogue.models import Product, ProductStatus

from ..conftest import make_user, product_named
from ..sales import world as shop_world

pytestmark = pytest.mark.django_db

NOV_26 = dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC)  # Bình hút lộc's certificate is valid until 15/06/2027


def _view(client, product, status: int = 200):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/san-pham/{product.slug}/")
    assert response.status_code == status
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def _read_details(queries: list[str]) -> bool:
    return any(
        'FROM "catalogue_productphoto"' in sql or 'FROM "catalogue_certificate"' in sql for sql in queries
    )


def _unmasked(html: str) -> str:
    """The page without its CSRF tokens, which Django masks afresh on every response."""
    return re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', r"\1", html)


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("moi.png", buffer.getvalue(), content_type="image/png")


def test_a_page_asked_again_is_the_same_page_without_reading_the_details(client, catalogue, time_machine):
    time_machine.move_to(NOV_26)
    product = product_named("Bình hút lộc")
    first, queries = _view(client, product)
    assert _read_details(queries)
    again, queries = _view(client, product)
    assert not _read_details(queries), queries
    assert (
        _unmasked(again) == _unmasked(first)
        and "OCOP ★★★★" in again
        and "15/06/2027" in again
        and "1.250.000 ₫" in again
    )


@pytest.fixture
def shop(loaded_places):
    """A product in stock at one center, with a price: the page has its buy panel."""
    return shop_world.build()


def test_a_repeated_view_runs_a_fixed_number_of_queries(client, shop, customer):
    product = shop.bowl
    _view(client, product)
    # the catalogue's version, the product, the centers carrying it (its stock rows, the centers),
    # the cache's one read (body, panels, QR code), the buy panel's stock
    html, queries = _view(client, product)
    assert len(queries) == 6, queries
    assert 'max="20"' in html and not _read_details(queries)
    client.force_login(customer)
    _view(client, product)
    # and the viewer's session, user and role grants
    _html, queries = _view(client, product)
    assert len(queries) == 9, queries


def test_the_producers_member_sees_the_edit_link_after_the_public_filled_the_cache(client, catalogue):
    product = product_named("Bình hút lộc")
    public, _ = _view(client, product)
    assert 'data-testid="edit-product"' not in public
    member = Client()
    member.force_login(make_user(Role.PRODUCER_MEMBER, scope_id=product.producer_id))
    html, queries = _view(member, product)
    assert not _read_details(queries)  # the body the public's view put in the cache
    assert f'href="/lam-viec/chu-the/{product.producer.slug}/san-pham/{product.pk}/"' in html
    # a member of another producer, and the public again, do not get it
    other = Client()
    other_producer = product_named("Lọ hoa gốm Kim Lan").producer
    other.force_login(make_user(Role.PRODUCER_MEMBER, scope_id=other_producer.pk))
    assert 'data-testid="edit-product"' not in _view(other, product)[0]
    assert 'data-testid="edit-product"' not in _view(client, product)[0]


def _csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_each_viewer_gets_forms_with_their_own_csrf_token(shop):
    product = shop.bowl
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one, _ = _view(first, product)
    two, queries = _view(second, product)
    assert not _read_details(queries)
    assert 'action="/cua-hang/gio-hang/them/"' in two
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    center = re.search(r'name="center" value="([^"]+)"', two)
    assert center is not None and _csrf_tokens(one) and _csrf_tokens(two)
    # the second viewer's add-to-basket form is accepted with the second viewer's cookie
    fields = {"product": product.pk, "center": center[1], "quantity": 1}
    added = second.post("/cua-hang/gio-hang/them/", {"csrfmiddlewaretoken": _csrf_tokens(two)[-1], **fields})
    assert added.status_code == 302
    assert second.session["shop_basket"]


def _price(product, client):
    services.product_save(actor=None, product=product, list_price=987_000)
    return "987.000 ₫"


def _rename(product, client):
    services.product_save(actor=None, product=product, name="Bình hút lộc men rạn mới")
    return "Bình hút lộc men rạn mới"


def _photo(product, client):
    photo = services.product_photo_add(actor=None, product=product, image=_png())
    return photo.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _revoked(product, client):
    services.certificate_revoke(actor=None, certificate=selectors.badge(product), reason="Vi phạm")
    return "Không có chứng nhận OCOP còn hiệu lực."


def _producer(product, client):
    services.producer_save(actor=None, producer=product.producer, name="Xưởng gốm Bát Tràng mới")
    return "Xưởng gốm Bát Tràng mới"


WRITES = {
    "price": _price,
    "name": _rename,
    "photo": _photo,
    "certificate revoked": _revoked,
    "producer renamed": _producer,
}


def test_stock_shows_at_once_on_a_page_from_the_cache(client, shop):
    from ocophub.inventory import services as inventory

    _view(client, shop.bowl)
    inventory.stock_receive(actor=None, center=shop.center_a, product=shop.bowl, quantity=5)
    html, queries = _view(client, shop.bowl)
    assert 'max="25"' in html and not _read_details(queries)


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_product_write_shows_on_the_next_view(client, catalogue, time_machine, write):
    time_machine.move_to(NOV_26)
    product = product_named("Bình hút lộc")
    before, _ = _view(client, product)
    _view(client, product)  # from the cache
    expected = write(Product.objects.get(pk=product.pk), client)
    after, _ = _view(client, Product.objects.get(pk=product.pk))
    assert expected in after and expected not in before


def test_a_draft_is_never_served_from_the_cache(client, catalogue):
    product = product_named("Bình hút lộc")
    member = Client()
    member.force_login(make_user(Role.PRODUCER_MEMBER, scope_id=product.producer_id))
    _view(client, product)
    _view(member, product)  # the published body, in the cache, for the public and the member alike
    services.product_transition(actor=None, product=product, to=ProductStatus.DRAFT)
    _view(client, product, status=404)
    # those who see the draft get it rendered for them, every time: never read from the cache ...
    html, queries = _view(member, product)
    again, queries_again = _view(member, product)
    assert _read_details(queries) and _read_details(queries_again)
    assert "product-head" in again
    # ... and never written to it: once published again, the public's first view renders it
    services.product_transition(actor=None, product=product, to=ProductStatus.PUBLISHED)
    _html, queries = _view(client, product)
    assert _read_details(queries)


def test_a_draft_seen_first_by_its_member_does_not_reach_the_public(client, catalogue):
    draft = product_named("Tượng gỗ sơn son")
    assert draft.status != ProductStatus.PUBLISHED
    member = Client()
    member.force_login(make_user(Role.PRODUCER_MEMBER, scope_id=draft.producer_id))
    _view(member, draft)
    _view(client, draft, status=404)


def test_the_certificates_state_is_that_of_today(client, catalogue, time_machine):
    product = product_named("Bình hút lộc")  # valid until 15/06/2027, no write in between
    time_machine.move_to(NOV_26)
    today, _ = _view(client, product)
    assert "certificate-active" in today and "OCOP ★★★★" in today
    time_machine.move_to(dt.datetime(2027, 6, 1, 3, tzinfo=dt.UTC))
    expiring, _ = _view(client, product)
    assert "certificate-expiring" in expiring
    # 16/06/2027 at 00:30 in Hanoi is still 15/06 in UTC: the city's day decides
    time_machine.move_to(dt.datetime(2027, 6, 15, 17, 30, tzinfo=dt.UTC))
    expired, _ = _view(client, product)
    assert "certificate-expiring" not in expired and "OCOP ★★★★" not in expired


def test_each_language_has_its_own_body(client, catalogue):
    product = product_named("Bình hút lộc")
    services.product_save(actor=None, product=product, name_en="Fortune vase")
    vietnamese, _ = _view(client, product)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english, _ = _view(client, product)
    assert "<h1>Fortune vase</h1>" in english and "<h1>Fortune vase</h1>" not in vietnamese
