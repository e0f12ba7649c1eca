"""A unit officer registers a center in a commune split in 2025, enters a score sheet and takes the
center through its life-cycle to operating; the pages fit a phone."""

import pytest

from ocophub.centers.demo import criteria_load
from ocophub.centers.models import Center, Recognition, ScoreSheet, Status
from ocophub.common.dates import local_today
from ocophub.places import selectors as places

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def move(page, to: str, **fields: str) -> None:
    box = page.get_by_test_id(f"move-{to}")
    box.locator("summary").click()
    for name, value in fields.items():
        box.locator(f"input[name={name}]").fill(value)
    with page.expect_navigation():
        box.get_by_role("button", name="Xác nhận").click()


def test_officer_registers_scores_and_opens_a_center(page, screenshot, gia_lam_officer):
    criteria_load()
    old_bat_trang = places.commune_by_code(583, era="legacy")
    new_bat_trang = places.commune_by_code(577, era="current")
    assert old_bat_trang is not None and new_bat_trang is not None
    log_in(page, gia_lam_officer, "/lam-viec/trung-tam/moi/")
    page.get_by_label("Tên", exact=True).fill("Trung tâm OCOP Bát Tràng")
    assert page.locator("input[name=commune]").count() == 0  # no list of every commune
    page.get_by_label("Tìm xã, phường").fill("bat trang")
    page.locator(f"#commune-choices input[value='{old_bat_trang.pk}']").wait_for()
    page.locator(f"#commune-choices input[value='{old_bat_trang.pk}']").check()
    page.get_by_label("Điện thoại liên hệ").fill("024 3874 1234")
    page.get_by_label("Diện tích sàn (m²)").fill("650")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng ký trung tâm").click()
    # the old commune was split in 2025: the officer says which new unit the site is in
    assert page.get_by_test_id("problem").is_visible()
    assert not Center.objects.exists()
    page.get_by_test_id("unit-2025").locator(f"input[value='{new_bat_trang.pk}']").check()
    screenshot(page, "officer-center-01-choose-2025-unit")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng ký trung tâm").click()
    center = Center.objects.get()
    assert center.unit_2025 == new_bat_trang
    assert page.get_by_test_id("unit-2025-value").inner_text() == "Xã Bát Tràng"

    page.get_by_role("link", name="Nhập phiếu chấm điểm").click()
    page.locator("input[name='score_display-sale']").fill("18")
    page.locator("input[name=score_transactions]").fill("13")
    page.locator("input[name=score_demonstration]").fill("17")
    page.locator("input[name=score_photo]").fill("8,5")
    page.locator("input[name=score_other]").fill("28")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu phiếu chấm điểm").click()
    assert str(ScoreSheet.objects.get().total) == "84.50"

    move(page, Status.PLANNED, reason="UBND huyện phê duyệt")
    move(page, Status.UNDER_CONSTRUCTION, reason="Khởi công")
    today = local_today().strftime("%d/%m/%Y")
    move(
        page,
        Status.RECOGNISED,
        decision_number="12/QĐ-SCT",
        decision_date=today,
        issuer="Sở Công Thương Hà Nội",
    )
    assert Recognition.objects.get().score is not None
    assert page.get_by_test_id("move-operating").count() == 1
    assert page.get_by_test_id("move-planned").count() == 0  # only the allowed moves
    move(page, Status.OPERATING, reason="Khai trương")
    center.refresh_from_db()
    assert center.status == Status.OPERATING
    screenshot(page, "officer-center-02-operating-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    culprits = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert page.evaluate(FITS), culprits
    screenshot(page, "officer-center-03-operating-390")
    page.goto("/lam-viec/trung-tam/moi/")
    assert page.evaluate(FITS)
    page.goto("/ke-hoach/")  # a unit officer lands on the progress of their own unit
    assert "/ke-hoach/don-vi/" in page.url and page.evaluate(FITS)
    screenshot(page, "officer-center-04-unit-progress-390")
