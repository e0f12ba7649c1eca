"""The city's dashboard and the public list of centers, in a real Chromium."""

import pytest

from ocophub.accounts.models import Role
from ocophub.centers.demo import criteria_load, demo_centers_create
from ocophub.places.services import places_load
from ocophub.programme.demo import demo_funding_create, plans_load

from ..conftest import make_user
from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    places_load()
    criteria_load()
    plans_load()
    demo_centers_create()
    demo_funding_create()


def test_city_administrator_reads_the_dashboard_with_charts_and_map(page, screenshot, demo):
    admin = make_user(Role.CITY_ADMIN)
    page.goto("/tai-khoan/dang-nhap/?next=/ke-hoach/")
    page.get_by_label("E-mail hoặc số điện thoại").fill(admin.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/ke-hoach/?plan=276-KH-UBND&date=2025-12-31")

    charts = page.locator("svg.chart")
    assert charts.count() == 2
    assert charts.first.locator("rect").count() > 10  # bars drawn
    assert page.get_by_test_id("progress-table").locator("tbody tr").count() == 18
    map_canvas = page.locator("#dashboard-map-canvas")
    map_canvas.scroll_into_view_if_needed()
    assert map_canvas.get_attribute("data-markers") == "13"
    assert page.locator("#dashboard-map-canvas path.leaflet-interactive").count() == 13
    assert (
        page.get_by_test_id("progress-table")
        .get_by_role("cell", name="Huyện Mỹ Đức", exact=True)
        .is_visible()
    )
    screenshot(page, "dashboard-01-plan-276-end-2025")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tiến độ (.xlsx)").click()
    assert download.value.suggested_filename == "tien-do-276-KH-UBND-2025-12-31.xlsx"


def test_visitor_finds_a_center_on_the_public_list(page, screenshot, demo):
    page.goto("/trung-tam/")
    assert page.get_by_test_id("center-count").inner_text() == "10 trung tâm"
    page.get_by_label("Tìm kiếm").fill("bat trang")
    with page.expect_navigation():
        page.get_by_role("button", name="Lọc").click()
    assert page.get_by_test_id("center-count").inner_text() == "1 trung tâm"
    screenshot(page, "centers-01-search-bat-trang")
    page.get_by_role("link", name="Trung tâm OCOP làng gốm Bát Tràng").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Trung tâm OCOP làng gốm Bát Tràng"
    assert page.get_by_text("717/QĐ-SCT").first.is_visible()
    assert page.get_by_text("Phường Long Biên*, Xã Gia Lâm*, Xã Bát Tràng*").is_visible()
    screenshot(page, "centers-02-bat-trang")


def test_center_names_on_the_map_are_text_not_markup(page, demo):
    from ocophub.centers.models import Center

    hostile = "<img src=x onerror=\"document.title='xss'\">"
    Center.objects.filter(name__contains="Kim Lan").update(name=hostile)
    page.goto("/trung-tam/")
    markers = page.locator("#centers-map-canvas path.leaflet-interactive")
    assert markers.count() == 10
    seen = []
    for index in range(markers.count()):
        markers.nth(index).hover(force=True)
        seen.append(page.locator(".leaflet-tooltip").last.inner_text())
    assert hostile in seen  # shown as the text it is
    assert page.title() != "xss"
    assert page.locator(".leaflet-tooltip img").count() == 0
