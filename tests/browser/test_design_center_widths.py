"""A center's design pages fit a phone: the list of requests and a request's page with the center's
forms and the files' previews do not scroll sideways at 390, 768 or 1280 px, and the previews load."""

import pytest

from ocophub.places.services import places_load

from ..design import world
from .conftest import log_in
from .test_layout_widths import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_center_design_pages_fit_phones(page, live_server, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    places_load()
    w = world.build()
    submitted = world.submit(w, title="Bao bì hộp quà cho bộ ấm chén gốm men lam vẽ tay Bát Tràng")
    working = world.advance(w, world.submit(w), "changes_requested")

    listing = f"/lam-viec/trung-tam/{w.center_a.slug}/thiet-ke/"
    log_in(page, w.manager_a, listing)
    assert_fits(page, listing, "the center's design requests")
    assert page.get_by_test_id("design-request-row").count() == 2
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "design-list-390")
    assert_fits(page, f"/thiet-ke/yeu-cau/{submitted.pk}/", "a submitted request, for its manager")
    assert page.locator("#accept-form").is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "design-accept-390")

    page.context.clear_cookies()
    log_in(page, w.designer_a, f"/thiet-ke/yeu-cau/{working.pk}/")
    assert_fits(page, f"/thiet-ke/yeu-cau/{working.pk}/", "a request with proposals, for its designer")
    assert page.locator("#version-form").is_visible()
    previews = page.get_by_test_id("design-file-preview")
    assert previews.count() == 2
    loaded = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-testid=design-file-preview]'))"
        ".every((img) => img.complete && img.naturalWidth === 320)"
    )
    assert loaded
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "design-versions-390")
