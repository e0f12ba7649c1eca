"""The studio board in real Chromium: it fits a phone (390 px) as well as a desktop, with its charts,
and breaks neither the Content-Security-Policy nor the console."""

from pathlib import Path

import pytest

from ocophub.places.services import places_load

from ..browser.conftest import ARGS, CHROMIUM, SCREENSHOTS, log_in, watch
from ..browser.test_layout_widths import assert_fits
from .test_board import PERIOD, URL, board_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_fits_a_phone(live_server):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM}")
    places_load()
    w = board_world()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
        problems = watch(context)
        page = context.new_page()
        log_in(page, w.city, URL)
        assert_fits(page, URL + PERIOD, "the studio board")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(URL + PERIOD)
        assert page.get_by_test_id("kpi-median").inner_text() == "7,3"  # a Vietnamese decimal comma
        assert page.locator("svg.chart").count() == 2
        assert page.get_by_test_id("overdue").count() == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "studio-board-390.png"), full_page=True)
        context.close()
        browser.close()
    assert not problems, problems
