"""Thumbnails are made once under a fixed name, in the pages' sizes, upright, and never from a bomb."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image

from ocophub.catalogue import services
from ocophub.catalogue.models import ProductPhoto
from ocophub.common.errors import DomainError
from ocophub.common.thumbnails import SIZES, ThumbnailError, thumbnail_make, thumbnail_name

from ..conftest import product_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _image(size=(1200, 900), kind="PNG", **save) -> bytes:
    picture = Image.new("RGB", size, (200, 120, 40))
    buffer = io.BytesIO()
    picture.save(buffer, format=kind, **save)
    return buffer.getvalue()


def test_a_thumbnail_is_made_once_and_not_rewritten(media):
    source = default_storage.save("products/lo-hoa.png", ContentFile(_image()))
    name = thumbnail_make(source, "card")
    assert name == thumbnail_name(source, "card") == f"thumbs/card/{source}.jpg"
    path = media / name
    first = (path.read_bytes(), path.stat().st_mtime_ns)
    path.write_bytes(b"kept as it is")  # a second call must not even look at the photo again
    assert thumbnail_make(source, "card") == name
    assert path.read_bytes() == b"kept as it is"
    assert sorted(p.name for p in (media / "thumbs" / "card" / "products").iterdir()) == [path.name]
    assert first[0] != b"kept as it is"


@pytest.mark.parametrize("size", list(SIZES))
def test_thumbnails_have_the_pages_sizes(media, size):
    for shape in [(1200, 900), (500, 1400), (80, 40)]:
        source = default_storage.save("products/anh.png", ContentFile(_image(shape)))
        with Image.open(media / thumbnail_make(source, size)) as thumb:
            assert thumb.format == "JPEG"
            assert thumb.size == (SIZES[size].width, SIZES[size].height)


def test_exif_orientation_is_honoured(media):
    # stored sideways: red on top, blue below; the camera's tag says "turn it a quarter clockwise"
    raw = Image.new("RGB", (400, 300), (0, 0, 255))
    raw.paste((255, 0, 0), (0, 0, 400, 150))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    raw.save(buffer, format="JPEG", exif=exif, quality=95)
    source = default_storage.save("products/xoay.jpg", ContentFile(buffer.getvalue()))
    with Image.open(media / thumbnail_make(source, "card")) as thumb:
        left, right = thumb.getpixel((10, 120)), thumb.getpixel((310, 120))
    assert left[2] > 200 and left[0] < 60  # blue on the left once turned upright
    assert right[0] > 200 and right[2] < 60


def test_a_decompression_bomb_is_refused(media, catalogue, city_admin):
    bomb = io.BytesIO()
    Image.new("1", (8000, 6000)).save(bomb, format="PNG")  # 48 megapixels in a few kilobytes
    source = default_storage.save("products/bom.png", ContentFile(bomb.getvalue()))
    with pytest.raises(ThumbnailError):
        thumbnail_make(source, "card")
    assert not default_storage.exists(thumbnail_name(source, "card"))
    with pytest.raises(DomainError):
        services.product_photo_add(
            actor=city_admin,
            product=product_named("Bình hút lộc"),
            image=SimpleUploadedFile("bom.png", bomb.getvalue(), content_type="image/png"),
        )
    assert not ProductPhoto.objects.exists()


def test_a_photo_that_is_not_an_image_gives_no_thumbnail(media):
    source = default_storage.save("products/gia.png", ContentFile(b"not an image"))
    with pytest.raises(ThumbnailError):
        thumbnail_make(source, "card")
    with pytest.raises(ThumbnailError):
        thumbnail_make("products/khong-co.png", "card")


def test_the_tag_gives_the_thumbnail_or_a_placeholder(media, catalogue, city_admin):
    product = product_named("Bình hút lộc")
    photo = services.product_photo_add(
        actor=city_admin,
        product=product,
        image=SimpleUploadedFile("binh.png", _image(), content_type="image/png"),
    )
    template = Template('{% load thumbnails %}{% thumbnail photo "card" %}|{% thumbnail None "detail" %}')
    with_photo, without = template.render(Context({"photo": photo})).split("|")
    assert with_photo == f"/media/thumbs/card/{photo.image.name}.jpg"
    assert without.endswith("common/placeholder.svg")


def test_catalogue_cards_show_the_thumbnail_with_the_products_name(media, client, catalogue, city_admin):
    product = product_named("Bình hút lộc")
    photo = services.product_photo_add(
        actor=city_admin,
        product=product,
        image=SimpleUploadedFile("binh.png", _image(), content_type="image/png"),
    )
    html = client.get("/san-pham/?group=148-gom-su&sort=name").content.decode()
    card = (
        f'<img src="/media/thumbs/card/{photo.image.name}.jpg" alt="{product.name}" width="320" height="240"'
    )
    assert card in html
    assert 'src="/static/common/placeholder.svg" alt="" width="320" height="240" loading="lazy"' in html
    assert client.get(f"/media/thumbs/card/{photo.image.name}.jpg").status_code == 200
    page = client.get(f"/san-pham/{product.slug}/").content.decode()
    assert (
        f'src="/media/thumbs/detail/{photo.image.name}.jpg" alt="{product.name}" width="960" height="720"'
        in page
    )


def test_the_command_makes_missing_thumbnails_and_reports_unreadable_photos(media, catalogue):
    import io as text_io

    from django.core.management import call_command

    product = product_named("Bình hút lộc")
    good = ProductPhoto.objects.create(
        product=product, image=default_storage.save("products/a.png", ContentFile(_image()))
    )
    bad = ProductPhoto.objects.create(
        product=product, image=default_storage.save("products/b.png", ContentFile(b"x"))
    )
    out, err = text_io.StringIO(), text_io.StringIO()
    call_command("make_thumbnails", stdout=out, stderr=err)
    assert all(default_storage.exists(thumbnail_name(good.image.name, size)) for size in SIZES)
    assert not default_storage.exists(thumbnail_name(bad.image.name, "card"))
    assert "1 photos could not be read" in out.getvalue() and bad.image.name in err.getvalue()
    call_command("make_thumbnails", stdout=out, stderr=err)  # again: nothing to redo
