"""The studio board in real Chromium: it fits a phone (390 px) as well as a desktop, with its charts,
and breaks neither the Content-Security-Policy nor the console (the `page` fixture's watch)."""

import pytest

from ocophub.places.services import places_load

from ..design.test_board import PERIOD, URL, board_world
from .conftest import log_in
from .test_layout_widths import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_fits_a_phone(page, screenshot):
    places_load()
    w = board_world()
    log_in(page, w.city, URL)
    assert_fits(page, URL + PERIOD, "the studio board")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(URL + PERIOD)
    assert page.get_by_test_id("kpi-median").inner_text() == "7,3"  # a Vietnamese decimal comma
    assert page.locator("svg.chart").count() == 2
    assert page.get_by_test_id("overdue").count() == 1
    screenshot(page, "studio-board-390")
