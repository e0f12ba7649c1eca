"""A center manager records the center's bank account with a typing mistake, corrects it, then answers
a producer's dispute of a statement, on a wide screen and on a phone."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from ocophub.sales import services
from ocophub.sales.forms_settlements import last_month
from ocophub.sales.models import BankAccount, Settlement, SettlementState

from ..sales import world as w
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


@pytest.mark.parametrize("width", [1280, 390])
def test_manager_enters_a_bank_account_and_answers_a_dispute(page, screenshot, loaded_places, width):
    page.set_viewport_size({"width": width, "height": 900})
    world = w.build(rate="0.1750")
    start, end = last_month()
    moment = dt.datetime.combine(
        start + dt.timedelta(days=3), dt.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(moment, tick=False):
        w.counter_sale(world, 3)
    # center B has no account yet: its manager records one
    log_in(page, world.manager_b, f"/lam-viec/trung-tam/{world.center_b.slug}/tai-khoan-ngan-hang/")
    assert page.get_by_test_id("no-account").is_visible()
    page.get_by_label("Ngân hàng", exact=True).fill("BIDV")
    page.get_by_label("Mã BIN ngân hàng (NAPAS)").fill("97041")
    page.get_by_label("Số tài khoản").fill("1201-0000-1234")
    page.get_by_label("Chủ tài khoản").fill("TT OCOP DUYEN THAI")
    page.get_by_role("button", name="Lưu tài khoản").click()
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 2
    assert "Sáu chữ số" in page.content()
    assert not BankAccount.objects.filter(center=world.center_b).exists()
    _no_sideways_scroll(page)
    screenshot(page, f"dispute-00-bank-account-errors-{width}")
    page.get_by_label("Mã BIN ngân hàng (NAPAS)").fill("970418")
    page.get_by_label("Số tài khoản").fill("12010000123456")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu tài khoản").click()
    assert page.get_by_test_id("account-qr").locator("svg").count() == 1
    assert BankAccount.objects.get(center=world.center_b).account_number == "12010000123456"
    _no_sideways_scroll(page)
    screenshot(page, f"dispute-01-bank-account-saved-{width}")

    # the producer disputes center A's statement; its manager answers
    settlement = services.settlement_create(
        actor=world.manager_a,
        producer=world.producer_a,
        center=world.center_a,
        period_start=start,
        period_end=end,
    )
    services.settlement_dispute(actor=world.member_a, settlement=settlement, reason="Thiếu 1 bát ngày 04")
    page.context.clear_cookies()
    log_in(page, world.manager_a, "/quyet-toan/")
    assert page.get_by_test_id("dispute-flag").count() == 1
    assert page.get_by_test_id("disputed-count").is_visible()
    _no_sideways_scroll(page)
    screenshot(page, f"dispute-02-list-flag-{width}")
    page.get_by_role("link", name=f"QT {settlement.pk}").click()
    page.wait_for_load_state()
    assert "Thiếu 1 bát ngày 04" in page.get_by_test_id("dispute-reason").inner_text()
    form = page.get_by_test_id("answer-form")
    form.get_by_role(
        "button", name="Gửi trả lời"
    ).click()  # nothing filled in: the browser or the server refuses
    page.wait_for_load_state()
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.DISPUTED
    form = page.get_by_test_id("answer-form")
    form.get_by_label("Trả lời chủ thể").fill("Đã kiểm lại sổ quầy: đủ 3 bát.")
    form.get_by_label("Giữ nguyên bảng kê", exact=False).check()
    _no_sideways_scroll(page)
    screenshot(page, f"dispute-03-answer-form-{width}")
    with page.expect_navigation():
        form.get_by_role("button", name="Gửi trả lời").click()
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.ISSUED
    assert settlement.dispute_reply == "Đã kiểm lại sổ quầy: đủ 3 bát."
    assert "đủ 3 bát" in page.get_by_test_id("dispute-reply").inner_text()
    assert list(settlement.events.values_list("to_state", flat=True).order_by("at", "pk")) == [
        "issued",
        "disputed",
        "issued",
    ]
    _no_sideways_scroll(page)
    screenshot(page, f"dispute-04-answered-{width}")
    assert Settlement.objects.count() == 1
