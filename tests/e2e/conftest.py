"""Browser fixtures: Playwright drives Debian's Chromium against pytest-django's live server, which serves
the portal from the real test PostgreSQL.

Two ways to have the demo district in that database:
- `shared_demo_district`, for tests that only read it (the accessibility audit, layout and print checks):
  seeded by the first such test and kept while the next test asks for it too; after each, the rows of
  every table are counted again and a test that added or removed any fails, so it cannot spoil the next.
  The database is emptied after the last of a run of such tests, whatever order the tests run in.
- `demo_district` and its bigger variants, for tests that write (the journeys, tests that add records):
  seeded for the test, and the database emptied after it (`transactional_db`), as in any live-server test.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from demo import town as demo
from scripts.chromium import find_chromium, launch
from tests.e2e.browser import PHONE, BrowserErrors, session_cookie
from tests.figures import BROWSER

E2E_DIR = Path(__file__).resolve().parent
BROWSER_ERRORS = pytest.StashKey[BrowserErrors]()
SHARED = "shared_demo_district"
# Rows a test on the shared demo may add: signing in writes a session, django-axes its records and the
# audit trail its events; the wall's key page makes the display link it opens.
ROWS_A_READER_WRITES = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "congress_auditevent",
    "congress_displaylink",
}


@dataclass
class SharedDemo:
    """What the test database holds for the shared tests."""

    result: demo.SeedResult | None = None
    blocker: Any = None


SHARED_DEMO = SharedDemo()


def is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(item.fspath).resolve().parents


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e/ is a browser test: mark it, so `-m "not e2e"` leaves them all out.
    With parallel workers (`--dist loadgroup`) the tests on the shared demo district go to one worker,
    which seeds it for them."""
    for item in items:
        if is_e2e(item):
            item.add_marker(pytest.mark.e2e)
            if SHARED in item.fixturenames:  # type: ignore[attr-defined]
                item.add_marker(pytest.mark.xdist_group(SHARED))


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

    with sync_playwright() as playwright:
        chromium = launch(playwright, chromium_executable)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    """Time the browser tests, set-up and tear-down included, for the summary line (this hook sees every
    test of the run, not only those under tests/e2e/)."""
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        if is_e2e(item):
            BROWSER["tests"] += 1
            BROWSER["seconds"] += time.perf_counter() - started


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


@pytest.fixture(autouse=True)
def _live_server_helper(request: pytest.FixtureRequest) -> Iterator[None]:
    """pytest-django's helper of the same name, which gives every live-server test `transactional_db`
    (the database emptied after it), except for the tests on the shared demo district: their database
    access comes from `shared_demo_district`, and their data stays for the next one."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if SHARED not in request.fixturenames:
        request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


def seed_core_demo() -> demo.SeedResult:
    """The demo district of `seed_demo` (怀柔区, 北房镇 ...) with its logins, without the apps' records
    (two years of visits take seconds to write)."""
    from visits.models import OpinionCategory

    BROWSER["seeded"] += 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo, "APP_SEEDERS", ())
        result = demo.seed_demo(today=timezone.localdate(), stdout=io.StringIO())
    for town in result.towns:  # a town gets its opinion categories when its visit form first opens
        OpinionCategory.objects.for_town(town)
    return result


def row_counts() -> dict[str, int]:
    """The number of rows of every table but those that signing in writes to."""
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - ROWS_A_READER_WRITES)
        quote = connection.ops.quote_name
        cursor.execute(" UNION ALL ".join(f"SELECT %s, count(*) FROM {quote(table)}" for table in tables), tables)
        return dict(cursor.fetchall())


def empty_the_database() -> None:
    """Empty every table, as pytest-django does after a transactional test."""
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
    SHARED_DEMO.result = None


@pytest.fixture(scope="session")
def _shared_demo_cleanup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Whatever stops the run (`-x`, a failure in the last shared test), the demo does not outlive it."""
    SHARED_DEMO.blocker = django_db_blocker
    yield
    if SHARED_DEMO.result is not None:
        with django_db_blocker.unblock():
            empty_the_database()


@pytest.fixture
def shared_demo_district(_shared_demo_cleanup: None, django_db_blocker: Any) -> Iterator[demo.SeedResult]:
    """The demo district without the apps' records, seeded once for all the tests that only read it
    (a test that adds or removes rows fails); the database is theirs while they run."""
    from axes.utils import reset

    with django_db_blocker.unblock():
        if SHARED_DEMO.result is None:
            SHARED_DEMO.result = seed_core_demo()
        before = row_counts()
        yield SHARED_DEMO.result
        changed = {table for table, rows in row_counts().items() if before.get(table) != rows}
        reset()  # forget the sign-in failures a test made on purpose
    assert not changed, f"a test on the shared demo district changed the rows of {sorted(changed)}: use demo_district"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Once the last shared test is done, empty the database for the tests that follow."""
    try:
        return (yield)
    finally:
        if SHARED_DEMO.result is not None and (nextitem is None or SHARED not in nextitem.fixturenames):
            with SHARED_DEMO.blocker.unblock():
                empty_the_database()


@pytest.fixture
def demo_district(transactional_db: None) -> demo.SeedResult:  # Real commits: the live server's own connection
    """The demo district as `shared_demo_district` has it, for a test that writes: seeded for this test
    alone (the live server's database is emptied after every such test); use `demo_district_with_records`
    where a page needs every app's records."""
    return seed_core_demo()


@pytest.fixture
def demo_district_with_projects(demo_district: demo.SeedResult) -> demo.SeedResult:
    """The demo district with 北房镇's livelihood projects, review rounds and published circulars of last
    year and this year (the other towns' and apps' records take far longer to write)."""
    from congress.models import Town
    from demo.supervision import seed_demo_records

    seed_demo_records(
        towns=[Town.objects.get(slug="beifang")], rng=random.Random(1), today=timezone.localdate(), stdout=io.StringIO()
    )
    return demo_district


@pytest.fixture
def demo_district_with_records(transactional_db: None) -> demo.SeedResult:  # Real commits: as demo_district
    """The whole demo district, with every app's records (visits, suggestions, projects ...)."""
    BROWSER["seeded"] += 1
    return demo.seed_demo(today=timezone.localdate(), stdout=io.StringIO())
