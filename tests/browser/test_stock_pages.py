"""A center manager receives and corrects stock, and a producer reads its goods, in a real Chromium."""

import datetime as dt

import pytest

from ocophub.common.dates import local_today
from ocophub.inventory.models import Movement, MovementKind, Stock

from ..sales import world as w
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_receives_and_adjusts_stock_and_the_producer_sees_it(page, screenshot, loaded_places):
    world = w.build()
    w.checkout(world, 2)  # two bowls held for an online order
    soon = local_today() + dt.timedelta(days=12)

    log_in(page, world.manager_a, "/kho/")
    assert page.url.endswith(f"/kho/{world.center_a.slug}/")  # the manager's only center

    receive = page.get_by_test_id("receive")
    receive.locator("summary").click()
    assert receive.locator("input[name=product]").count() == 0  # no list of every product
    receive.get_by_label("Tìm sản phẩm").fill("tra sen")
    choice = receive.locator(f"#product-choices input[name=product][value='{world.tea.pk}']")
    choice.wait_for()
    choice.check()
    receive.locator("input[name=quantity]").fill("24")
    receive.locator("input[name=lot_code]").fill("TS-2611")
    receive.locator("input[name=expires_on]").fill(soon.strftime("%d/%m/%Y"))
    screenshot(page, "stock-00-receive-form")
    with page.expect_navigation():
        receive.get_by_role("button", name="Nhận hàng").click()
    tea = Stock.objects.get(center=world.center_a, product=world.tea)
    assert tea.on_hand == 24

    rows = page.get_by_test_id("stock-row")
    assert rows.count() == 2
    tea_row = page.locator(f"tr[data-stock='{tea.pk}']")
    assert soon.strftime("%d/%m/%Y") in tea_row.inner_text()
    assert tea_row.locator(".badge-soon").is_visible()
    assert page.get_by_test_id("total-value").inner_text() == "5.040.000 ₫"  # 20 × 150.000 + 24 × 85.000
    assert page.get_by_test_id("kpi-available").inner_text() == "42"

    bowl_row = page.locator(f"tr[data-stock='{world.stock_a.pk}']")
    bowl_row.locator("summary").click()
    bowl_row.locator("input[name=delta]").fill("-1")
    bowl_row.locator("form[action$='/dieu-chinh/'] input[name=reason]").fill("Vỡ khi trưng bày")
    screenshot(page, "stock-01-center-manage-row")
    with page.expect_navigation():
        bowl_row.locator("form[action$='/dieu-chinh/'] button").click()
    assert page.locator(f"tr[data-stock='{world.stock_a.pk}'] td.num").first.inner_text() == "19"
    screenshot(page, "stock-02-center-after-adjust")

    # more than is available: refused on the page, nothing written
    before = Movement.objects.count()
    bowl_row = page.locator(f"tr[data-stock='{world.stock_a.pk}']")
    bowl_row.locator("summary").click()
    bowl_row.locator("input[name=delta]").fill("-50")
    bowl_row.locator("form[action$='/dieu-chinh/'] input[name=reason]").fill("Kiểm kê")
    with page.expect_navigation():
        bowl_row.locator("form[action$='/dieu-chinh/'] button").click()
    assert page.get_by_test_id("problem").is_visible()
    assert Movement.objects.count() == before
    screenshot(page, "stock-03-refused-adjustment")

    page.goto(f"/kho/{world.center_a.slug}/so-kho/")
    assert page.get_by_test_id("movement-row").count() == 4
    assert Movement.objects.filter(kind=MovementKind.ADJUSTED).get().reason == "Vỡ khi trưng bày"
    screenshot(page, "stock-04-ledger")

    page.goto(f"/kho/{world.center_a.slug}/hop-dong/")
    assert page.get_by_test_id("agreement-row").count() == 2
    screenshot(page, "stock-05-agreements")

    page.context.clear_cookies()
    log_in(page, world.member_a, f"/kho/chu-the/{world.producer_a.slug}/")
    sections = page.get_by_test_id("center-goods")
    assert sections.count() == 2  # goods at A, an agreement at B
    first = sections.first.get_by_test_id("goods-row")
    assert first.count() == 1 and "19" in first.inner_text()
    screenshot(page, "stock-06-producer-goods")
