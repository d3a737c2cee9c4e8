"""Browser tests: Debian's Chromium, driven by Playwright, against the live test server.

The fixtures are imported by `coopchain/conftest.py`. Mark such tests `@pytest.mark.browser`.
Playwright's own browser downloads are never used: the machines reach no download host, and
Debian's Chromium is the browser people on these machines have.
"""

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Headless as root on a machine with no network but loopback: no sandbox (root), and none of
# the background connections Chromium would otherwise keep trying and failing.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A cheap phone, the device most members and collectors use.
PHONE_VIEWPORT = {"width": 360, "height": 740}
RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"
TIMEOUT_MS = 15_000

_call_report = pytest.StashKey[pytest.TestReport]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_call_report] = report
    return report


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole run; each test gets its own context."""
    if not CHROMIUM.exists():
        reason = (
            f"Chromium is not installed at {CHROMIUM}: `make test` installs it when run as "
            "root (apt-get install chromium)."
        )
        if in_ci():
            pytest.fail(f"Browser tests cannot run in CI. {reason}")
        pytest.skip(reason)
    # Playwright's sync API keeps an event loop running in this thread, which Django would
    # otherwise take for async code and refuse ORM calls from the test body.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def migrated_rows(django_db_setup: None, django_db_blocker: Any) -> dict[type, list[Any]]:
    """The rows the data migrations wrote (provinces and wards, the crop catalogue, ...), read
    once from the new test database."""
    from django.apps import apps

    with django_db_blocker.unblock():
        rows = {}
        for model in apps.get_models(include_auto_created=True):
            # bulk_create cannot write a child of multi-table inheritance.
            if model._meta.proxy or not model._meta.managed or model._meta.parents:
                continue
            found = list(model._base_manager.all())
            if found:
                rows[model] = found
    return rows


@pytest.fixture
def migrated_rows_restored(transactional_db: None, migrated_rows: dict[type, list[Any]]) -> None:
    """Put back the data migrations' rows that a table flush after a live-server test removed.

    Cheaper than Django's serialized rollback, which rewrites every row one by one before each
    test: only emptied tables are refilled, in one transaction so foreign keys may point ahead.
    """
    from django.db import transaction

    with transaction.atomic():
        for model, found in migrated_rows.items():
            if not model._base_manager.exists():
                model._base_manager.bulk_create(found, batch_size=500)


@pytest.fixture
def admin_units_loaded(migrated_rows_restored: None) -> None:
    """Provinces and wards are there (kept for tests that ask for them by this name)."""


@pytest.fixture
def page(
    chromium: Any,
    live_server: Any,
    migrated_rows_restored: None,
    request: pytest.FixtureRequest,
) -> Iterator[Any]:
    """A fresh phone-sized browser tab on the live server (`page.goto("/accounts/login/")`).

    The live server needs committed rows, so each browser test ends with a flush of every table;
    what the data migrations wrote is put back before the next one.

    The phone asks for Vietnamese, as members' phones do. A failing test leaves a screenshot
    in test-results/.
    """
    context = chromium.new_context(
        viewport=PHONE_VIEWPORT, base_url=live_server.url, locale="vi-VN"
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        report = request.node.stash.get(_call_report, None)
        if report is not None and report.failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-180:]
            # A lost screenshot must not hide the failure itself.
            with contextlib.suppress(Exception):
                tab.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
        context.close()


def log_in(page: Any, username: str, password: str) -> None:
    """Log in through the login page, as a person would."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form[action$='/accounts/login/'] button[type=submit]").click()


def use_english(page: Any) -> None:
    """Choose English with the language button, so tests can read the English messages."""
    page.goto("/accounts/login/")
    if page.locator("html").get_attribute("lang") != "en":
        with page.expect_navigation():
            page.locator("#language-form button[value=en]").click()
