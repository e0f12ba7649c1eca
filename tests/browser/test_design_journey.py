"""The design studio in a real Chromium, at 1280 and 390 px: a producer asks for a label with a reference
photo; the center's manager accepts it and assigns a designer; the designer sends a proposal; the
producer asks for a change, the designer sends version 2, the producer approves with the usage terms;
the designer delivers; the design is in the portfolio, on the center's page and on the product's page."""

import datetime as dt
import io

import pytest
from PIL import Image, ImageDraw

from ocophub.common.dates import local_today
from ocophub.design.models import DesignEvent, DesignRequest

from ..design import world as design_world
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def picture(tmp_path, name: str, colour: tuple[int, int, int], text: str) -> str:
    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 140, 520, 340), outline=(255, 255, 255), width=8)
    draw.text((140, 160), text, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return str(path)


def fits(page, width: int) -> None:
    widest = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(
        f"[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > {width})"
        ".slice(0, 5).map(e => e.outerHTML.slice(0, 120))"
    )
    assert widest <= width, culprits


def both_widths(page, screenshot, name: str) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    fits(page, 390)
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def switch_to(page, user, url: str) -> None:
    page.context.clear_cookies()
    log_in(page, user, url)


def submit(page, form_id: str) -> None:
    with page.expect_navigation():
        page.locator(f"#{form_id} button[type=submit]").first.click()


def images_load(page, selector: str) -> None:
    """Every image under `selector` (lazy ones scrolled into view) loads with real pixels."""
    images = page.locator(f"{selector} img")
    assert images.count() > 0
    for image in images.all():
        image.scroll_into_view_if_needed()
        image.evaluate(
            "img => img.complete ? null : new Promise(done => { img.onload = img.onerror = done; })"
        )
        assert image.evaluate("img => img.naturalWidth > 0"), image.evaluate("img => img.src")


def state_of(page) -> str:
    return page.get_by_test_id("request-state").inner_text().strip()


def test_a_label_from_request_to_portfolio(page, screenshot, loaded_places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = design_world.build()

    # the producer asks for a label, with a photo of the plain one it sells now
    log_in(page, w.member_a, f"/lam-viec/chu-the/{w.producer_a.slug}/thiet-ke/")
    with page.expect_navigation():
        page.get_by_test_id("new-request-link").click()
    form = page.locator("#new-request-form")
    form.locator("[name=center]").select_option(str(w.center_a.pk))
    form.locator("[name=kind]").select_option("label")
    form.locator("[name=title]").fill("Nhãn mới cho hũ gốm men rạn")
    form.locator(f"[name=products][value='{w.jar.pk}']").check()
    form.locator("[name=brief]").fill("Nhãn hiện đại, giữ họa tiết men rạn; ghi rõ OCOP 4 sao.")
    # a wished date in the past is refused beside the field, nothing written
    form.locator("[name=wished_on]").fill("2020-01-01")
    form.locator("[name=budget]").fill("3.000.000")
    form.locator("[name=payer][value=producer]").check()
    form.locator("[name=references]").set_input_files(
        picture(tmp_path, "nhan-cu.png", (150, 140, 120), "nhan cu")
    )
    submit(page, "new-request-form")
    assert DesignRequest.objects.count() == 0
    assert (
        page.locator("#new-request-form .field-error, #new-request-form [data-testid=problem]").count() >= 1
    )
    form = page.locator("#new-request-form")
    form.locator("[name=wished_on]").fill((local_today() + dt.timedelta(days=30)).isoformat())
    form.locator(f"[name=products][value='{w.jar.pk}']").check()
    form.locator("[name=references]").set_input_files(
        picture(tmp_path, "nhan-cu.png", (150, 140, 120), "nhan cu")
    )
    screenshot(page, "design-01-new-request-1280")
    submit(page, "new-request-form")
    request = DesignRequest.objects.get()
    assert page.url.endswith(f"/thiet-ke/yeu-cau/{request.pk}/")
    assert state_of(page) == "Đã gửi"
    assert request.files.filter(role="reference").count() == 1
    both_widths(page, screenshot, "design-02-submitted")

    # the manager accepts it from the center's list and assigns a designer
    switch_to(page, w.manager_a, f"/lam-viec/trung-tam/{w.center_a.slug}/thiet-ke/")
    assert page.get_by_test_id("design-request-row").count() == 1
    with page.expect_navigation():
        page.get_by_test_id("design-requests").get_by_role("link").first.click()
    accept = page.locator("#accept-form")
    accept.locator("[name=designer]").select_option(str(w.designer_a.pk))
    accept.locator("[name=due_on]").fill((local_today() + dt.timedelta(days=20)).isoformat())
    accept.locator("[name=price]").fill("2.500.000")
    submit(page, "accept-form")
    assert state_of(page) == "Đã nhận"
    request.refresh_from_db()
    assert (request.designer, request.price) == (w.designer_a, 2_500_000)
    screenshot(page, "design-03-accepted-1280")

    # the designer starts and sends a proposal
    switch_to(page, w.designer_a, f"/thiet-ke/yeu-cau/{request.pk}/")
    submit(page, "start-form")
    assert state_of(page) == "Đang thực hiện"
    version = page.locator("#version-form")
    version.locator("[name=note]").fill("Phương án 1: nền trắng ngà, chữ nâu.")
    version.locator("[name=files]").set_input_files(
        picture(tmp_path, "phuong-an-1.png", (230, 220, 200), "v1")
    )
    submit(page, "version-form")
    assert state_of(page) == "Đã gửi phương án"
    assert page.get_by_test_id("design-version").count() == 1
    images_load(page, "[data-testid=design-files]")
    both_widths(page, screenshot, "design-04-proposal")

    # the producer asks for a change
    switch_to(page, w.member_a, f"/thiet-ke/yeu-cau/{request.pk}/")
    page.locator("#changes-form [name=comment]").fill("Chữ to hơn, thêm dòng 'Làng gốm Bát Tràng'.")
    submit(page, "changes-form")
    assert state_of(page) == "Đề nghị chỉnh sửa"

    # the designer sends version 2
    switch_to(page, w.designer_a, f"/thiet-ke/yeu-cau/{request.pk}/")
    assert "Chữ to hơn" in page.locator("main").inner_text()
    version = page.locator("#version-form")
    version.locator("[name=note]").fill("Phương án 2: chữ lớn, thêm tên làng.")
    version.locator("[name=files]").set_input_files(picture(tmp_path, "phuong-an-2.png", (40, 90, 120), "v2"))
    submit(page, "version-form")
    assert page.get_by_test_id("design-version").count() == 2

    # the producer approves it with the usage terms, allowing the portfolio
    switch_to(page, w.member_a, f"/thiet-ke/yeu-cau/{request.pk}/")
    approve = page.locator("#approve-form")
    approve.locator("[name=accept_terms]").check()
    assert approve.locator("[name=portfolio_allowed]").is_checked()
    screenshot(page, "design-05-approve-1280")
    submit(page, "approve-form")
    assert state_of(page) == "Đã duyệt"

    # the designer delivers the print-ready files
    switch_to(page, w.designer_a, f"/thiet-ke/yeu-cau/{request.pk}/")
    deliver = page.locator("#deliver-form")
    deliver.locator("[name=note]").fill("Tệp in CMYK và ảnh xem trước.")
    deliver.locator("[name=files]").set_input_files(
        [picture(tmp_path, "nhan-moi.png", (40, 90, 120), "nhan moi"), str(_pdf(tmp_path))]
    )
    submit(page, "deliver-form")
    assert state_of(page) == "Đã bàn giao"
    request.refresh_from_db()
    assert request.state == "delivered" and request.after_file is not None

    # the producer puts the new label on the product's page
    switch_to(page, w.member_a, f"/thiet-ke/yeu-cau/{request.pk}/")
    use = page.locator("#product-design-form")
    use.locator("[name=product]").select_option(str(w.jar.pk))
    use.locator("[name=kind][value=label]").check()
    submit(page, "product-design-form")
    assert w.jar.current_designs.filter(kind="label", request=request).exists()
    moves = list(
        DesignEvent.objects.filter(request=request).order_by("pk").values_list("to_state", flat=True)
    )
    assert moves == [
        "submitted",
        "accepted",
        "in_progress",
        "proposal_sent",
        "changes_requested",
        "proposal_sent",
        "approved",
        "delivered",
    ]

    # the public sees it in the portfolio, on the center's page and on the product's page
    page.context.clear_cookies()
    page.goto("/thiet-ke/")
    card = page.get_by_test_id("portfolio-card").filter(has_text="Nhãn mới cho hũ gốm men rạn")
    assert card.count() == 1
    images_load(page, "[data-testid=portfolio-card]")
    both_widths(page, screenshot, "design-06-portfolio")
    page.goto(f"/trung-tam/{w.center_a.slug}/")
    assert page.get_by_test_id("center-designs").get_by_text("Nhãn mới cho hũ gốm men rạn").count() >= 1
    both_widths(page, screenshot, "design-07-center")
    page.goto(f"/san-pham/{w.jar.slug}/")
    designs = page.get_by_test_id("product-designs")
    assert w.center_a.name in designs.inner_text()
    images_load(page, "[data-testid=product-designs]")
    both_widths(page, screenshot, "design-08-product")


def _pdf(tmp_path):
    path = tmp_path / "nhan-in.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path
