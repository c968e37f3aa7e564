"""Browser tests: Debian's Chromium driven by Playwright (no `playwright install`: it cannot download here).
A missing browser fails these tests; it never skips them."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One xdist worker runs all browser tests, so the two cores are not both running Chromium.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run ./scripts/bootstrap"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        # While Playwright's event loop runs on this thread, Django keeps this thread's database connections in
        # a context of their own (asgiref's Local): the ones the browser tests opened are closed here, where
        # they can be seen, or they outlive the run and the test database cannot be dropped at its end.
        connections.close_all()
        browser.close()


@pytest.fixture
def page(chromium, live_server, request):
    """A fresh browser context (a phone-sized viewport unless the test asks otherwise)."""
    marker = request.node.get_closest_marker("viewport")
    size = marker.args[0] if marker else {"width": 390, "height": 844}
    context = chromium.new_context(viewport=size, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.base = live_server.url
    # The Content Security Policy (settings.SECURE_CSP) is on in these tests: anything it blocks fails the test.
    csp_violations = []
    pg.on(
        "console",
        lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield pg
    assert csp_violations == [], csp_violations
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def login(page, username: str, password: str) -> None:
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # the form's POST and its redirect, not the login page's idle network
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
