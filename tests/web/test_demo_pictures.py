"""Every demo product, producer and center has a picture drawn for it, with the drawing's credit."""

import pytest

from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.web.demo import demo_pictures_create
from ocophub.web.demo_pictures import CREDIT, center_picture, producer_picture, product_picture

pytestmark = pytest.mark.django_db


def test_every_demo_product_producer_and_center_gets_a_picture(catalogue, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    expected = Product.objects.count() + Producer.objects.count() + Center.objects.count()
    assert expected > 30
    assert demo_pictures_create() == expected
    for model in (Product, Producer, Center):
        for row in model.objects.prefetch_related("photos"):
            photos = list(row.photos.all())
            assert len(photos) == 1, row
            assert photos[0].caption == CREDIT
            assert (tmp_path / f"thumbs/card/{photos[0].image.name}.jpg").exists()
    assert demo_pictures_create() == 0  # a second run draws nothing more
    product = Product.objects.filter(status="published").first()
    photo = product.photos.get()
    assert client.get(photo.image.url).status_code == 200
    for url, name, row in [
        (f"/chu-the/{product.producer.slug}/", product.producer.name, product.producer),
        (f"/trung-tam/{Center.objects.filter(status='recognised').first().slug}/", None, None),
    ]:
        html = client.get(url).content.decode()
        assert 'src="/media/thumbs/detail/' in html and 'width="960" height="720"' in html
        assert CREDIT in html
        if row is not None:
            assert f'alt="{name}"' in html


def test_the_drawings_are_the_same_for_the_same_slug():
    vase = product_picture("binh-hut-loc", "Bình hút lộc gốm sứ Bát Tràng men lam", "148-gom-su")
    assert vase == product_picture("binh-hut-loc", "Bình hút lộc gốm sứ Bát Tràng men lam", "148-gom-su")
    assert vase != product_picture("gio-may", "Giỏ mây đan quai tròn", "148-may-tre-dan")
    assert producer_picture("htx-gom", "HTX Gốm") == producer_picture("htx-gom", "HTX Gốm")
    assert center_picture("tt-gom", "Trung tâm gốm")[:3] == b"\xff\xd8\xff"  # a JPEG
