"""A producer's member adds a product with two photos and submits it, the unit's officer publishes it and
the public finds it with its photo, in a real Chromium, on a desktop and on a phone."""

import io

import pytest
from PIL import Image

from ocophub.catalogue.demo import reference_load
from ocophub.catalogue.models import Product, ProductPhoto, ProductStatus

from ..sales import world as w
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(tmp_path, name: str, colour: tuple[int, int, int]) -> str:
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, format="JPEG" if name.endswith(".jpg") else "PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def fits(page, width: int) -> None:
    widest = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(
        f"[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > {width})"
        ".slice(0, 5).map(e => e.outerHTML.slice(0, 120))"
    )
    assert widest <= width, culprits


def test_member_creates_a_product_with_two_photos_and_submits_it(
    page, screenshot, loaded_places, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_load()
    world = w.build()
    base = f"/lam-viec/chu-the/{world.producer_a.slug}/"

    log_in(page, world.member_a, "/")
    with page.expect_navigation():
        page.get_by_test_id("workspace-link").click()
    assert page.url.endswith(base)  # the member's only producer
    screenshot(page, "workspace-00-home-1280")

    with page.expect_navigation():
        page.get_by_role("link", name="Thêm sản phẩm").first.click()
    form = page.get_by_test_id("product-form")
    # a price that is not a number is refused with the reason beside the field
    form.get_by_label("Tên sản phẩm").fill("Lọ hoa gốm men rạn")
    form.get_by_label("Giá niêm yết (₫)").fill("hai trăm nghìn")
    with page.expect_navigation():
        form.get_by_role("button", name="Lưu bản nháp").click()
    assert page.get_by_test_id("problem").is_visible()
    assert not Product.objects.filter(name="Lọ hoa gốm men rạn").exists()
    form = page.get_by_test_id("product-form")
    form.get_by_label("Giá niêm yết (₫)").fill("250.000")
    form.get_by_label("Đơn vị tính", exact=True).fill("chiếc")
    form.get_by_label("Giới thiệu", exact=True).fill("Lọ hoa men rạn, vẽ tay.")
    screenshot(page, "workspace-01-new-product-1280")
    with page.expect_navigation():
        form.get_by_role("button", name="Lưu bản nháp").click()
    product = Product.objects.get(name="Lọ hoa gốm men rạn")
    assert page.url.endswith(f"{base}san-pham/{product.pk}/")
    assert page.get_by_test_id("status").inner_text() == "Bản nháp"

    photos = page.get_by_test_id("photo-form")
    for name, colour, caption in (("truoc.jpg", (180, 60, 40), "Mặt trước"), ("sau.png", (40, 90, 160), "")):
        photos = page.get_by_test_id("photo-form")
        photos.locator("input[type=file]").set_input_files(photo_file(tmp_path, name, colour))
        photos.get_by_label("Chú thích").fill(caption)
        with page.expect_navigation():
            photos.get_by_role("button", name="Thêm ảnh").click()
    assert ProductPhoto.objects.filter(product=product).count() == 2
    assert page.get_by_test_id("photos").locator("li").count() == 2

    with page.expect_navigation():
        page.get_by_role("button", name="Gửi duyệt để đăng").click()
    product.refresh_from_db()
    assert product.status == ProductStatus.SUBMITTED
    assert page.get_by_test_id("status").inner_text() == "Chờ duyệt"
    screenshot(page, "workspace-02-submitted-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    fits(page, 390)
    screenshot(page, "workspace-03-submitted-390")
    page.goto(f"{base}san-pham/")
    assert page.get_by_test_id("product-row").filter(has_text="Lọ hoa gốm men rạn").count() == 1
    fits(page, 390)
    screenshot(page, "workspace-04-products-390")

    # the unit's officer finds it in the review queue and publishes it
    from ocophub.accounts.models import Role
    from ocophub.places import selectors as places

    from ..conftest import make_user

    officer = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18))  # Gia Lâm: Bát Tràng
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, officer, "/")
    page.locator(".nav-work summary").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Duyệt sản phẩm").click()
    with page.expect_navigation():
        page.get_by_test_id("review-queue").get_by_role("link", name="Lọ hoa gốm men rạn").click()
    assert page.locator(".gallery img").count() == 2
    screenshot(page, "workspace-05-review-1280")
    with page.expect_navigation():
        page.get_by_test_id("publish-form").get_by_role("button", name="Đăng").click()
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED

    # and the public finds it, with its photo, on a phone
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/san-pham/?q=lo hoa men ran")
    card = page.locator("main").get_by_role("img", name="Lọ hoa gốm men rạn").first
    assert card.is_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", card.element_handle())
    fits(page, 390)
    screenshot(page, "workspace-06-public-390")
