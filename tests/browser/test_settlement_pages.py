"""A center manager issues a producer's settlement, records its payout, and reads the sales reports."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from ocophub.sales import services
from ocophub.sales.forms_settlements import last_month
from ocophub.sales.models import Settlement, SettlementState

from ..sales import world as w
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_issues_a_statement_and_pays_it_out(page, screenshot, loaded_places):
    world = w.build(rate="0.1750")
    start, _end = last_month()
    for offset, quantity in ((1, 2), (8, 3), (15, 1)):
        moment = dt.datetime.combine(
            start + dt.timedelta(days=offset), dt.time(10), tzinfo=timezone.get_current_timezone()
        )
        with time_machine.travel(moment, tick=False):
            w.counter_sale(world, quantity)
    w.counter_sale(world, 4)  # this month, for the reports

    log_in(page, world.manager_a, "/quyet-toan/moi/")
    # the new texts of these pages are located by name and test id: their translations come with the
    # next catalogue build
    page.locator("select[name=producer]").select_option(label=world.producer_a.name)
    page.locator("button[name=action][value=preview]").click()
    preview = page.get_by_test_id("preview")
    assert "900.000 ₫" in preview.get_by_test_id("gross").inner_text()
    screenshot(page, "settlement-00-preview")
    with page.expect_navigation():
        page.locator("button[name=action][value=issue]").click()
    settlement = Settlement.objects.get()
    assert page.url.endswith(f"/quyet-toan/{settlement.pk}/")
    assert page.get_by_test_id("net").inner_text() == "742.500 ₫"
    screenshot(page, "settlement-01-issued")

    services.settlement_accept(actor=world.member_a, settlement=settlement)
    page.reload()
    assert page.get_by_test_id("payout-qr").locator("svg").count() == 1
    screenshot(page, "settlement-02-accepted-with-vietqr")
    page.locator("input[name=reference]").fill("UNC 2026-0001")
    with page.expect_navigation():
        page.locator("form[action$='/chi-tra/'] button[type=submit]").click()
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.PAID

    with page.expect_download() as download:
        page.locator("a[href$='/bang-ke.xlsx']").click()
    assert download.value.suggested_filename.startswith(f"bang-ke-quyet-toan-{settlement.pk}-")

    page.goto("/bao-cao-ban-hang/")
    assert page.locator("svg.chart").count() == 8
    assert page.get_by_test_id("kpi-gross").inner_text() == "600.000 ₫"
    screenshot(page, "settlement-03-sales-reports")
