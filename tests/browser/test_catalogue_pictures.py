"""The catalogue and the centers show each demo item's drawn picture, at desktop and phone widths."""

import pytest

from ocophub.catalogue.demo import demo_catalogue_create, reference_load
from ocophub.centers.demo import criteria_load, demo_centers_create
from ocophub.places.services import places_load
from ocophub.programme.demo import plans_load
from ocophub.web.demo import demo_pictures_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADED = "imgs => imgs.length > 0 && imgs.every(img => img.complete && img.naturalWidth > 0)"


def test_catalogue_and_center_cards_show_their_pictures(page, screenshot):
    places_load()
    criteria_load()
    plans_load()
    reference_load()
    demo_centers_create()
    demo_catalogue_create()
    assert demo_pictures_create() > 30

    page.goto("/san-pham/?sort=name")
    cards = page.locator(".product-card img.card-image")
    assert cards.count() >= 12
    cards.evaluate_all("imgs => imgs.forEach(img => img.loading = 'eager')")
    page.wait_for_function(f"() => ({LOADED})(Array.from(document.querySelectorAll('.card-image')))")
    assert page.get_by_role("img", name="Bình hút lộc gốm sứ Bát Tràng men lam").is_visible()
    screenshot(page, "pictures-01-catalogue-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/san-pham/?sort=name")
    page.locator(".card-image").evaluate_all("imgs => imgs.forEach(img => img.loading = 'eager')")
    page.wait_for_function(f"() => ({LOADED})(Array.from(document.querySelectorAll('.card-image')))")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "pictures-02-catalogue-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/trung-tam/")
    page.locator(".card-image").evaluate_all("imgs => imgs.forEach(img => img.loading = 'eager')")
    page.wait_for_function(f"() => ({LOADED})(Array.from(document.querySelectorAll('.card-image')))")
    assert page.get_by_role("img", name="Trung tâm OCOP làng gốm Bát Tràng").is_visible()
    screenshot(page, "pictures-03-centers-1280")
