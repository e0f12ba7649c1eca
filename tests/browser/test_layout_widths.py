"""The pages people use on phones and tablets fit the screen: nothing scrolls sideways at 390, 768 or
1280 px (the till, the catalogue, a product page, the plan dashboard), and the phone menu opens."""

import datetime as dt

import pytest

from ocophub.accounts.models import Role
from ocophub.inventory import services as inventory
from ocophub.places.services import places_load
from ocophub.programme.demo import plans_load
from ocophub.sales import services as sales

from ..conftest import make_user
from ..sales import world as sample
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 768, 1280)
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
# the innermost elements that reach past the right edge, to name the culprit in a failure
CULPRITS = """() => Array.from(document.querySelectorAll("body *"))
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => !Array.from(e.children).some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 8)
  .map((e) => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))"""


def assert_fits(page, path: str, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        page.wait_for_load_state("load")
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= 0, f"{name} scrolls sideways at {width} px: {page.evaluate(CULPRITS)}"


def test_pages_fit_phones_tablets_and_desktops(page, browser, live_server, screenshot):
    places_load()
    plans_load()
    world = sample.build()
    inventory.stock_receive(
        actor=None,
        center=world.center_a,
        product=world.tea,
        quantity=12,
        lot_code="TS-2611",
        expires_on=dt.date.today() + dt.timedelta(days=180),
    )
    till = f"/quay/{world.center_a.slug}/"
    sales.shift_open(actor=world.staff_a, center=world.center_a, opening_float=500_000)

    # the public pages
    assert_fits(page, "/san-pham/", "the catalogue")
    assert_fits(page, f"/san-pham/{world.tea.slug}/", "a product page")
    center = f"/trung-tam/{world.center_a.slug}/"
    for path, name in ((center, "center"), ("/chu-the/", "producers")):
        assert_fits(page, path, f"the {name} page")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path)
        screenshot(page, f"layout-{name}-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, f"layout-{name}-390")
    assert page.get_by_test_id("producer-card").count() == 2

    # the till, with goods in the basket
    log_in(page, world.staff_a, till)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(till)
    page.locator("#pos-code").fill(sample.TEA_GTIN)
    page.keyboard.press("Enter")
    page.locator("#pos-basket .pos-line").first.wait_for()
    assert_fits(page, till, "the till")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "layout-till-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "layout-till-390")

    # the phone menu: a button that opens the menu; staff see no basket
    menu = page.locator(".menu-button")
    assert menu.is_visible()
    assert not page.get_by_role("link", name="Sản phẩm", exact=True).is_visible()
    menu.click()
    assert page.get_by_role("link", name="Sản phẩm", exact=True).is_visible()
    assert page.get_by_test_id("basket-link").count() == 0
    screenshot(page, "layout-menu-open-390")

    # the plan dashboard, as the city
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    city_page = context.new_page()
    log_in(city_page, make_user(Role.CITY_ADMIN), "/ke-hoach/")
    assert_fits(city_page, "/ke-hoach/", "the plan dashboard")
    # the map's controls speak Vietnamese
    assert city_page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Phóng to"
    assert city_page.locator(".leaflet-control-attribution a").first.inner_text() == "Leaflet"
    context.close()
