"""Pages keep working under the Content-Security-Policy: the label sheet's print button, the admin site's
widgets and the API docs, in Chromium. The `page` fixture fails a test on any policy violation."""

import pytest
from playwright.sync_api import Browser, Page, expect

from ocophub.accounts.models import User
from ocophub.catalogue.models import Producer

from ..factories import PASSWORD
from .conftest import log_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROBE = (
    '<!doctype html><title>probe</title><p style="color: red">styled</p>'
    '<script>document.title = "ran"</script><button onclick="document.title = \'clicked\'">go</button>'
)


def test_the_browser_watch_reports_what_the_policy_blocks(browser: Browser) -> None:
    context = browser.new_context()
    problems = watch(context)
    page = context.new_page()
    page.route(
        "http://policy.test/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "default-src 'self'"},
            body=PROBE,
        ),
    )
    page.goto("http://policy.test/")
    page.get_by_role("button", name="go").click()
    page.wait_for_function("window.__cspViolations.length >= 3")
    assert page.title() == "probe"
    context.close()
    blocked = "\n".join(problems)
    assert "style-src-attr blocked inline" in blocked
    assert "script-src-elem blocked inline" in blocked
    assert "script-src-attr blocked inline" in blocked


def test_the_label_sheet_prints_from_its_button(page: Page, catalogue, city_admin) -> None:
    producer = Producer.objects.filter(products__status="published").distinct().first()
    sheet = f"/chu-the/{producer.slug}/nhan-qr/"
    log_in(page, city_admin, sheet)
    page.wait_for_url(f"**{sheet}")
    assert page.locator(".label img").first.evaluate("img => img.complete && img.naturalWidth > 0")
    # the browser's print dialog cannot be driven; what matters is that the button calls it
    page.evaluate("() => { window.print = () => { document.body.dataset.printed = 'yes'; }; }")
    expect(page.locator("body")).not_to_have_attribute("data-printed", "yes")
    page.get_by_role("button", name="In").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")


@pytest.fixture
def superuser(loaded_places) -> User:
    return User.objects.create_superuser("root@ocophub.vn", PASSWORD, full_name="Quản trị")


def test_the_admin_site_works_under_the_policy(page: Page, superuser: User, screenshot) -> None:
    page.goto("/quan-tri/login/?next=/quan-tri/centers/center/add/")
    page.locator("#id_username").fill(superuser.email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()

    # the commune by search (select2 asking the admin's autocomplete view)
    page.locator(".field-commune .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Bát Tràng")
    page.locator(".select2-results__option", has_text="Bát Tràng").first.click()
    expect(page.locator(".field-commune .select2-selection__rendered")).to_contain_text("Bát Tràng")

    # crafts in the two-box chooser
    chosen = page.locator("#id_crafts_from option").first.inner_text()
    page.locator("#id_crafts_from").select_option(label=chosen)
    page.locator("#id_crafts_add").click()
    expect(page.locator("#id_crafts_to option")).to_have_text([chosen])

    # the related-object window of the craft village field
    with page.expect_popup() as popup_info:
        page.locator(".field-craft_village a.add-related").click()
    popup = popup_info.value
    expect(popup.locator("#id_name")).to_be_visible()
    popup.close()
    screenshot(page, "policy-01-admin-center-form")

    # a plan's date from the calendar, and a target row added in the page with its own widgets
    page.goto("/quan-tri/programme/plan/add/")
    page.locator(".field-issued_on .datetimeshortcuts a", has=page.locator(".date-icon")).click()
    page.locator(".calendarbox:visible td a", has_text="15").first.click()
    expect(page.locator("#id_issued_on")).not_to_have_value("")
    targets = page.locator("#targets-group")
    targets.locator(".add-row a").click()
    row = targets.locator(".dynamic-targets").first
    row.locator(".field-starts_on .datetimeshortcuts a", has=page.locator(".date-icon")).click()
    page.locator(".calendarbox:visible td a", has_text="1").first.click()
    expect(row.locator(".field-starts_on input")).not_to_have_value("")
    row.locator(".field-area .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Gia Lâm")
    page.locator(".select2-results__option", has_text="Gia Lâm").first.click()
    expect(row.locator(".field-area .select2-selection__rendered")).to_contain_text("Gia Lâm")
    screenshot(page, "policy-02-admin-plan-form")


def test_the_api_docs_work_under_the_policy(page: Page, db) -> None:
    page.goto("/api/v1/docs")
    health = page.locator(".opblock", has_text="/api/v1/health")
    # opening an operation changes the address's #fragment, which Playwright would wait on in vain
    health.locator("button.opblock-summary-control").click(no_wait_after=True)
    health.get_by_role("button", name="Try it out").click()
    health.get_by_role("button", name="Execute").click()
    expect(health.locator(".live-responses-table tbody .response-col_status")).to_have_text("200")
