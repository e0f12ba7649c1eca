"""The demo tours in Chromium at 1280 and 390 px: the list's cards with their drawn pictures, and a
tour's page with its hero, gallery and itinerary map (numbered markers in the stops' order joined by
a line from the meeting point and back), with no policy violation or console error."""

import pytest

from ocophub.catalogue.demo import demo_catalogue_create, reference_load
from ocophub.centers.demo import criteria_load, demo_centers_create
from ocophub.events.demo import demo_events_create
from ocophub.places.services import places_load
from ocophub.tours.demo import demo_tours_create
from ocophub.tours.models import Tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADED = "imgs => imgs.length > 0 && imgs.every(img => img.complete && img.naturalWidth > 0)"


def test_the_demo_tours_show_pictures_and_the_itinerary_map(page, screenshot):
    places_load()
    criteria_load()
    reference_load()
    demo_centers_create()
    demo_catalogue_create()
    demo_events_create()
    assert demo_tours_create() == 4
    tour = Tour.objects.get(title__contains="Bát Tràng")

    page.goto("/tour/")
    page.locator(".card-image").evaluate_all("imgs => imgs.forEach(img => img.loading = 'eager')")
    page.wait_for_function(f"() => ({LOADED})(Array.from(document.querySelectorAll('.card-image')))")
    assert page.locator('[data-testid="tour-card-photo"]').count() == 4
    screenshot(page, "tour-demo-01-list-1280")

    page.goto(f"/tour/{tour.slug}/")
    canvas = page.locator("#tour-map-canvas")
    canvas.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#tour-map-canvas').dataset.markers")
    stops = tour.stops.count()
    numbers = page.locator("#tour-map-canvas .map-number")
    assert numbers.count() == stops + 1  # the meeting point and every stop (all placed)
    assert numbers.all_inner_texts() == ["★", *[str(n) for n in range(1, stops + 1)]]
    assert page.locator("#tour-map-canvas path.leaflet-interactive").count() == 1
    assert "km" in page.locator('[data-testid="timeline-leg"]').first.inner_text()
    assert page.locator('[data-testid="tour-hero"] img').is_visible()
    screenshot(page, "tour-demo-02-tour-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/tour/{tour.slug}/")
    page.wait_for_function("() => document.querySelector('#tour-map-canvas').dataset.markers")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "tour-demo-03-tour-390")
    page.goto("/tour/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "tour-demo-04-list-390")
