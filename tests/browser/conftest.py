"""Real Chromium through Playwright, against Django's live server, with the site's
Content-Security-Policy on: a test fails when a page breaks the policy or throws."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Response

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM}: apt-get install chromium chromium-driver")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


# Runs in every document before its own scripts. Chromium reports a blocked script, style or eval as a
# securitypolicyviolation event on the document; the event is handed to Python through a binding (which
# outlives navigations) and kept on the window for tests that wait for one.
VIOLATION_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  var violation = {
    directive: event.effectiveDirective, blocked: event.blockedURI, source: event.sourceFile,
    line: event.lineNumber, sample: event.sample
  };
  window.__cspViolations.push(violation);
  window.__reportCspViolation(violation);
});
"""
# The server's answer to a request the test made on purpose (a 404 page, a 422 to a bad form sent by
# htmx) is logged like this; the test checks that answer itself. Other console errors are problems.
SERVER_ANSWER = "Failed to load resource: the server responded with a status of 4"


def watch(context: "BrowserContext") -> list[str]:
    """Collect, for every page of `context`, policy violations, console errors and warnings, uncaught
    exceptions and static files that fail to load."""
    problems: list[str] = []

    def on_violation(source: dict[str, Any], violation: dict[str, Any]) -> None:
        problems.append(
            f"{source['page'].url}: {violation['directive']} blocked {violation['blocked']} "
            f"({violation['source']}:{violation['line']}) {violation['sample']}"
        )

    def on_console(message: "ConsoleMessage") -> None:
        if message.type in {"error", "warning"} and not message.text.startswith(SERVER_ANSWER):
            problems.append(
                f"{message.page.url if message.page else '?'}: console {message.type}: {message.text}"
            )

    def on_response(response: "Response") -> None:
        if response.status >= 400 and "/static/" in response.url:
            problems.append(f"{response.url}: {response.status}")

    context.expose_binding("__reportCspViolation", on_violation)
    context.add_init_script(VIOLATION_LISTENER)
    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"uncaught: {error.error}"))
    context.on("response", on_response)
    return problems


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", base_url=live_server.url
    )
    problems = watch(context)
    page = context.new_page()
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000, "the screenshot is blank"
        return path

    return take


def log_in(page, user, next_url: str) -> None:
    """Log in through the Vietnamese login form, then land on `next_url`."""
    from ..factories import PASSWORD

    page.goto(f"/tai-khoan/dang-nhap/?next={next_url}")
    page.get_by_label("E-mail hoặc số điện thoại").fill(user.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
