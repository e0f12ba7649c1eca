"""A unit officer registers a producer of the unit (the commune picked by typing), records an OCOP
certificate of its product, then records a funding commitment of a center and a disbursement."""

import datetime as dt

import pytest

from ocophub.catalogue import services as catalogue
from ocophub.catalogue.demo import reference_load
from ocophub.catalogue.models import Certificate, Producer
from ocophub.centers.models import Status
from ocophub.centers.services import center_create
from ocophub.places import selectors as places
from ocophub.programme.models import Commitment, Disbursement

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways: {scroll} > {width}"


def test_officer_records_a_producer_a_certificate_and_funding(page, screenshot, gia_lam_officer):
    reference_load()
    center = center_create(
        actor=None,
        name="Trung tâm OCOP Bát Tràng",
        commune=places.commune_by_code(583, era="legacy"),
        status=Status.PLANNED,
        effective_on=dt.date(2024, 9, 1),
    )
    log_in(page, gia_lam_officer, "/lam-viec/don-vi/chu-the/tao/")
    assert page.locator("input[name=commune]").count() == 0  # nothing listed before typing
    page.get_by_label("Tên", exact=True).fill("HTX Gốm Men Lam Bát Tràng")
    page.get_by_label("Loại", exact=True).select_option("cooperative")
    page.get_by_label("Tìm xã, phường").fill("bat trang")
    choices = page.locator("#commune-choices input[name=commune]")
    choices.first.wait_for()
    choices.first.check()
    page.get_by_label("Mã số thuế/số đăng ký").fill("0109999888")
    page.get_by_label("Điện thoại").fill("0912 345 678")
    screenshot(page, "officer-01-producer-form-desktop")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng ký", exact=True).click()
    producer = Producer.objects.get(name="HTX Gốm Men Lam Bát Tràng")
    assert producer.registration_number == "0109999888"
    assert "Đã đăng ký chủ thể HTX Gốm Men Lam Bát Tràng." in page.content()

    # the producer's product (added by the producer itself), then its certificate
    catalogue.product_save(actor=None, producer=producer, name="Bình gốm men lam vẽ tay")
    page.reload()
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Sản phẩm", exact=True).select_option(label="Bình gốm men lam vẽ tay")
    page.get_by_label("Số quyết định").fill("1234/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("15/03/2026")
    page.get_by_label("Cơ quan ban hành").fill("UBND thành phố Hà Nội")
    page.get_by_label("Hạng sao").select_option("4")
    page.get_by_label("Cấp quyết định").select_option("province")
    _fits(page, 390)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu chứng nhận").click()
    certificate = Certificate.objects.get(product__producer=producer)
    assert certificate.valid_until == dt.date(2029, 3, 15)
    assert "15/03/2029" in page.content()
    _fits(page, 390)
    screenshot(page, "officer-02-certificate-phone")

    page.goto("/lam-viec/don-vi/nguon-von/")
    page.get_by_label("Trung tâm", exact=True).select_option(str(center.pk))
    page.get_by_label("Nguồn vốn", exact=True).select_option("state_district")
    page.get_by_label("Số tiền (₫)").fill("150.000.000")
    page.get_by_label("Ngày cam kết").fill("02/09/2026")
    page.get_by_label("Số văn bản").fill("QĐ 12/2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu cam kết").click()
    commitment = Commitment.objects.get(center=center)
    assert commitment.amount == 150_000_000
    page.get_by_text("Giải ngân", exact=True).click()
    form = page.get_by_test_id(f"pay-{commitment.pk}")
    form.get_by_label("Số tiền (₫)").fill("50.000.000")
    form.get_by_label("Ngày giải ngân").fill("01/10/2026")
    form.get_by_label("Số văn bản").fill("UNC 5")
    with page.expect_navigation():
        form.get_by_role("button", name="Lưu khoản giải ngân").click()
    assert Disbursement.objects.get(commitment=commitment).amount == 50_000_000
    assert "còn 100.000.000 ₫" in page.content()
    _fits(page, 390)
    screenshot(page, "officer-03-funding-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "officer-04-funding-desktop")
