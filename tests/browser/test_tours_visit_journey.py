"""The staff half of a tour's day: a group with a paid e-ticket arrives at the center; the center's
staff scan the ticket on the tour scan page (typed, as a keyboard-wedge scanner does), a second scan
says "already checked in"; a counter sale is rung up during the visit; the center's "Khách đoàn
tour" report shows the visit with its attributed sale, chart and table, at 1280 and 390 px."""

import datetime as dt

import pytest
from django.utils import timezone

from ..tours import visits_world as vw
from .conftest import log_in
from .test_layout_widths import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_check_a_tour_ticket_in_and_the_visit_and_its_sale_show_on_the_report(
    page, screenshot, loaded_places
):
    world = vw.build(minutes=60)
    late = dt.datetime.combine(timezone.localdate(), dt.time(23, 30), tzinfo=timezone.get_current_timezone())
    # the departure runs today (late, so that it has not left yet whatever the hour of the run)
    world.departure.starts_at = late
    world.departure.save(update_fields=["starts_at"])
    scan_url = f"/lam-viec/trung-tam/{world.center.slug}/khach-tour/soat-ve/"
    report_url = f"/lam-viec/trung-tam/{world.center.slug}/khach-tour/"

    log_in(page, world.shop.staff_a, scan_url)
    page.goto(scan_url)
    page.locator("#checkin-code").fill(world.booking.code)
    page.get_by_test_id("checkin-submit").click()
    result = page.get_by_test_id("checkin-result")
    result.wait_for()
    assert result.get_attribute("data-kind") == "ok"
    assert world.booking.name in result.inner_text()
    assert page.get_by_test_id("today-row").count() == 1
    screenshot(page, "tour-visit-scan-1280")

    page.locator("#checkin-code").fill(world.booking.code)
    page.get_by_test_id("checkin-submit").click()
    page.locator('[data-testid="checkin-result"][data-kind="already"]').wait_for()
    assert "Đã check-in tại trung tâm này" in page.get_by_test_id("checkin-result").inner_text()
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, "tour-visit-scan-390")

    sale = vw.sell_at(world.shop, timezone.now() + dt.timedelta(minutes=5), 2)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(report_url)
    rows = page.get_by_test_id("visit-row")
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert world.tour.title in text and world.operator.name in text
    amount = f"{sale.total:,}".replace(",", ".")
    assert amount in page.get_by_test_id("visit-sales").first.inner_text()
    assert page.get_by_test_id("visits-chart").locator("svg").count() == 1
    screenshot(page, "tour-visits-report-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(report_url)
    screenshot(page, "tour-visits-report-390")
    assert_fits(page, report_url, "the tour visits report")
    assert_fits(page, scan_url, "the tour scan page")
