"""Browser fixtures: Playwright drives Debian's Chromium against pytest-django's live server, which serves
the portal from the real test PostgreSQL (every test gets a fresh, transactional database).

Each page records the browser's console errors and uncaught exceptions; a test that produced any fails,
even when its own assertions passed. Expected errors are declared with `browser_errors.allow(...)`.
The tests are skipped, with the reason, only where no Chromium is installed; `.ci/run` installs it.
"""

from __future__ import annotations

import os

# Playwright's sync API keeps an asyncio loop running in the test's thread, and Django refuses database
# calls from such a thread unless told otherwise. The tests still touch the database from one thread
# only, so the guard protects nothing here. Set before any test can reach the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import io
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from congress import demo
from scripts.chromium import find_chromium, launch
from tests.e2e.browser import PHONE, BrowserErrors, session_cookie

E2E_DIR = Path(__file__).resolve().parent
BROWSER_ERRORS = pytest.StashKey[BrowserErrors]()
_suite_timer: dict[str, float] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e/ is a browser test: mark it, so `-m "not e2e"` leaves them all out."""
    for item in items:
        if E2E_DIR in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    executable = find_chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    return executable


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Any]:
    """One headless Chromium for the whole run; each test opens its own context (cookies, storage)."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with sync_playwright() as playwright:
        chromium = launch(playwright, chromium_executable)
        _suite_timer["started"] = started
        yield chromium
        chromium.close()
    _suite_timer["finished"] = time.perf_counter()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print how long the browser tests took, so the CI budget (5 minutes) stays visible."""
    if "started" in _suite_timer:
        finished = _suite_timer.get("finished", time.perf_counter())
        terminalreporter.write_line(f"browser tests: {finished - _suite_timer['started']:.1f}s with Chromium open")


@pytest.fixture
def browser_errors(request: pytest.FixtureRequest) -> BrowserErrors:
    """The console errors and uncaught exceptions of this test's pages; checked after the test."""
    errors = BrowserErrors()
    request.node.stash[BROWSER_ERRORS] = errors
    return errors


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test whose pages logged a console error or threw, once its own assertions have passed."""
    result = yield
    errors = item.stash.get(BROWSER_ERRORS, None)
    if errors is not None:
        errors.settle()
        unexpected = errors.unexpected()
        if unexpected:
            raise AssertionError("the browser reported errors:\n" + "\n".join(unexpected))
    return result


@pytest.fixture
def new_page(browser: Any, live_server: Any, browser_errors: BrowserErrors) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh context on the live server: `new_page(**PHONE)`; options go to new_context.
    `signed_in_as="bf_staff"` starts it with that user's session, for tests about pages rather than
    signing in (which `login()` does through the form)."""
    contexts: list[Any] = []

    def open_page(*, signed_in_as: str | None = None, **options: Any) -> Any:
        options.setdefault("viewport", {"width": 1366, "height": 900})
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        browser_errors.watch(context)
        if signed_in_as:
            context.add_cookies([session_cookie(signed_in_as, live_server.url)])
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(new_page: Callable[..., Any]) -> Any:
    """A 360×740 phone held in the hand: touch, mobile viewport, two device pixels per CSS pixel."""
    return new_page(**PHONE)


@pytest.fixture
def desktop_page(new_page: Callable[..., Any]) -> Any:
    """An office screen, 1366×900."""
    return new_page(viewport={"width": 1366, "height": 900})


@pytest.fixture
def demo_district(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> demo.SeedResult:
    """The demo district of `seed_demo` (怀柔区, 北房镇 ...) with its logins, without the apps' records
    (two years of visits take seconds to write, and the live server's database is emptied after
    every test); use `demo_district_with_records` where a page needs them."""
    monkeypatch.setattr(demo, "APP_SEEDERS", ())
    return demo.seed_demo(today=timezone.localdate(), stdout=io.StringIO())


@pytest.fixture
def demo_district_with_projects(demo_district: demo.SeedResult) -> demo.SeedResult:
    """The demo district with 北房镇's livelihood projects, review rounds and published circulars of last
    year and this year (the other towns' and apps' records take far longer to write)."""
    from congress.models import Town
    from supervision.demo import seed_demo_records

    seed_demo_records(
        towns=[Town.objects.get(slug="beifang")], rng=random.Random(1), today=timezone.localdate(), stdout=io.StringIO()
    )
    return demo_district


@pytest.fixture
def demo_district_with_records(transactional_db: None) -> demo.SeedResult:
    """The whole demo district, with every app's records (visits, suggestions, projects ...)."""
    return demo.seed_demo(today=timezone.localdate(), stdout=io.StringIO())
