"""Shared fixtures: compiled catalogues, a fast hasher, and a town with a cast of personas (plus an
outsider in another town). App-specific fixtures go in tests/<app>/conftest.py."""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from hypothesis import HealthCheck

from congress import models
from congress.roles import Role
from tests import factories, figures

PASSWORD = "Congress-test-2026"
# PBKDF2's deliberate slowness tests nothing here; the real hasher stays in production.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Hypothesis: derandomised with no deadline and no example database, so a failure reproduces in CI; each
# property states its own example count (`@settings(max_examples=...)`) by what it needs. `dev` explores
# with fresh random examples on a developer's machine: HYPOTHESIS_PROFILE=dev.
hypothesis.settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis.settings.register_profile("dev", parent=hypothesis.settings.get_profile("ci"), derandomize=False)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def redis_url_of_this_worker() -> str:
    """A Redis database of the tests' own, so a developer's running worker (on db 0) never takes their
    tasks: 14 for a run in one process, and one each for parallel workers (gw0 on 14, gw1 on 13, ...)."""
    base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    if worker == 0:
        return base
    prefix, _, database = base.rpartition("/")
    number = int(database or 0) - worker
    if number < 1:
        raise pytest.UsageError(f"worker gw{worker} has no Redis database of its own left below {database}")
    return f"{prefix}/{number}"


TEST_REDIS_URL = redis_url_of_this_worker()


@pytest.fixture(scope="session", autouse=True)
def celery_on_test_redis() -> Iterator[None]:
    """Point the Celery app at the test Redis database before any test can send a task."""
    from congress.celery import app

    app.conf.update(
        broker_url=TEST_REDIS_URL,
        result_backend=TEST_REDIS_URL,
        # Keep the console logging the settings configure; a test worker must not replace it.
        worker_hijack_root_logger=False,
    )
    yield
    app.close()


@dataclass
class Cast:
    town: models.Town
    other_town: models.Town
    village: models.Village
    other_village: models.Village
    deputy: models.Deputy
    other_deputy: models.Deputy
    department: models.Department
    staff: models.User
    cadre: models.User
    chairman: models.User
    deputy_user: models.User
    other_deputy_user: models.User
    department_user: models.User
    district_user: models.User
    outsider_staff: models.User
    superuser: models.User
    sessions: dict[str, str] = field(default_factory=dict)  # persona → a session opened by open_sessions()

    def user(self, persona: str) -> models.User | None:
        """The user acting as a persona of the permission matrix; None is anonymous."""
        return None if persona == "anonymous" else getattr(self, persona)

    def open_sessions(self) -> None:
        """Sign every persona in once, for a world that outlives its tests: each test then takes the
        persona's session (`sign_in`) instead of writing a new one."""
        from django.test import Client

        for persona in PERSONAS:
            user = self.user(persona)
            if user is not None:
                client = Client()
                client.force_login(user)
                self.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def sign_in(self, client: Any, persona: str) -> models.User | None:
        """Sign the test client in as the persona (nobody for anonymous), with its open session if any."""
        user = self.user(persona)
        if user is not None:
            if persona in self.sessions:
                client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
            else:
                client.force_login(user)
        return user


PERSONAS = [
    "anonymous",
    "staff",
    "cadre",
    "chairman",
    "deputy_user",
    "other_deputy_user",
    "department_user",
    "outsider_staff",
    "district_user",
    "superuser",
]


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """Compile the .po catalogues (the .mo files are not committed), so the Chinese UI works in a fresh
    clone. compilemessages skips catalogues whose .mo is already newer than the .po."""
    with contextlib.chdir(Path(settings.BASE_DIR)):
        call_command(
            "compilemessages",
            ignore_patterns=[".venv", ".data", ".git", "static", "node_modules"],
            verbosity=0,
        )
    # Django caches each language's catalogue on first use; the signal Django's own test tools send when
    # LOCALE_PATHS changes makes it forget any catalogue loaded before the .mo files existed.
    setting_changed.send(sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


@pytest.fixture(scope="session", autouse=True)
def media_outside_the_worktree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Files the tests make (uploads, archived circulars) go to a temporary folder, not `.data/media`."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def cold_content_type_cache() -> None:
    """Every test starts with Django's content-type cache empty, as the first test of a process does:
    otherwise a query count would depend on which tests ran before it in the same worker."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def reset_login_lockouts(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[None]:
    """Forget django-axes' failed sign-ins after each database test, so no test inherits a lockout
    (tests that commit, and the matrix's module-wide transaction, would otherwise keep them)."""
    yield
    uses_db = {"db", "transactional_db", "django_db_reset_sequences"} & set(request.fixturenames)
    if uses_db or request.node.get_closest_marker("django_db"):
        from axes.utils import reset

        with django_db_blocker.unblock():
            reset()


@dataclass
class CastWorld:
    """The cast one module's tests share: built on the module's first test that asks for it, inside a
    transaction each test's own savepoint sits in, and rolled back before any test that must not see it
    (one that commits, or one that does not ask for the cast) and when the module ends. A module that
    defines `prepare_shared_cast(cast)` adds, once, the records all its tests read."""

    cast: Cast | None = None
    module: Any = None
    atomic: Any = None
    depth: int = 0


WORLD = CastWorld()


def commits(item: pytest.Item) -> bool:
    """Does the test run with real commits (`transactional_db`, a live server, the marker's `transaction`)?"""
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames):  # type: ignore[attr-defined]
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


def shares_the_cast(item: pytest.Item) -> bool:
    return "cast" in item.fixturenames and not commits(item)  # type: ignore[attr-defined]


def close_the_world(blocker: Any) -> None:
    if WORLD.atomic is None:
        return
    from django.db import connection, transaction

    with blocker.unblock():
        assert len(connection.atomic_blocks) == WORLD.depth, "a transaction opened inside the shared cast is open"
        transaction.set_rollback(True)
        WORLD.atomic.__exit__(None, None, None)
    WORLD.cast = WORLD.module = WORLD.atomic = None


def open_the_world(module: pytest.Module, blocker: Any) -> None:
    from django.db import connection, transaction
    from django.test import override_settings

    with blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        WORLD.atomic = transaction.atomic()
        WORLD.atomic.__enter__()
        WORLD.depth = len(connection.atomic_blocks)
        WORLD.module = module
        try:
            WORLD.cast = build_cast()
            prepare = getattr(module.obj, "prepare_shared_cast", None)
            if prepare is not None:  # what every test of the module reads on top of the cast (demo records)
                prepare(WORLD.cast)
        except BaseException:
            close_the_world(blocker)  # a failed build leaves no open transaction behind
            raise
    module.addfinalizer(lambda: close_the_world(blocker))


@pytest.fixture
def _shared_cast(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> None:
    """Open the module's shared cast before the test's own transaction, or close it for a test that must
    not see it."""
    item = request.node
    module = item.getparent(pytest.Module)
    if WORLD.atomic is not None and (WORLD.module is not module or not shares_the_cast(item)):
        close_the_world(django_db_blocker)
    if WORLD.atomic is None and shares_the_cast(item):
        open_the_world(module, django_db_blocker)


@pytest.fixture
def _django_db_helper(_shared_cast: None, _django_db_helper: None) -> None:
    """pytest-django's database access for a test, entered after the module's shared cast."""
    return _django_db_helper


@pytest.fixture
def cast(db: None) -> Cast:
    """The town and its people: a copy of the module's shared cast (its rows roll back with the test's
    savepoint), or a cast of its own for a test that commits."""
    if WORLD.cast is not None:
        return copy.deepcopy(WORLD.cast)
    return build_cast()


def build_cast() -> Cast:
    """The town, its people and an outsider; also used by module-scoped fixtures (the matrix)."""
    district = factories.DistrictFactory()
    other_district = factories.DistrictFactory(name="密云区")
    town = factories.TownFactory(district=district, name="北房镇", slug="beifang")
    other_town = factories.TownFactory(district=other_district, name="溪翁庄镇", slug="xiwengzhuang")
    village = factories.VillageFactory(town=town, name="北房村")
    other_village = factories.VillageFactory(town=town, name="宰相庄村")
    constituency = factories.ConstituencyFactory(town=town, villages=[village, other_village])
    deputy = factories.DeputyFactory(town=town, constituency=constituency, name="张晓明")
    other_deputy = factories.DeputyFactory(town=town, constituency=constituency, name="李桂兰")
    department = factories.DepartmentFactory(town=town, name="农业农村办")

    def user(username: str, role: str, **kw: object) -> models.User:
        return factories.UserFactory(username=username, role=role, **kw)

    deputy_user = user("deputy", Role.DEPUTY, town=town)
    deputy.user = deputy_user
    deputy.save(update_fields=["user"])
    other_deputy_user = user("other_deputy", Role.DEPUTY, town=town)
    other_deputy.user = other_deputy_user
    other_deputy.save(update_fields=["user"])
    return Cast(
        town=town,
        other_town=other_town,
        village=village,
        other_village=other_village,
        deputy=deputy,
        other_deputy=other_deputy,
        department=department,
        staff=user("staff", Role.STAFF, town=town),
        cadre=user("cadre", Role.VILLAGE_CADRE, town=town, village=village),
        chairman=user("chairman", Role.CHAIRMAN, town=town),
        deputy_user=deputy_user,
        other_deputy_user=other_deputy_user,
        department_user=user("department", Role.DEPARTMENT, town=town, department=department),
        district_user=user("district", Role.DISTRICT, town=None, district=district),
        outsider_staff=user("outsider", Role.STAFF, town=other_town),
        superuser=user("root", "", town=None, is_superuser=True, is_staff=True),
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A parallel worker hands its figures to the controller, which prints them."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["figures"] = figures.gathered()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    figures.add(getattr(node, "workeroutput", {}).get("figures", {}))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    """The run's figures: the browser tests' time, the security suites' counts (docs/security.md) and the
    reliability drills' figures (docs/reliability.md)."""
    write = terminalreporter.write_line
    if figures.BROWSER["tests"]:
        write(
            f"browser tests: {figures.BROWSER['tests']} in {figures.BROWSER['seconds']:.1f}s "
            f"(demo district seeded {figures.BROWSER['seeded']} times; CI budget 300s)"
        )
    reports = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, []) if r.when == "call"]
    cells = sum("test_permission_matrix.py::test_permission_matrix[" in r.nodeid for r in reports)
    tally = figures.TALLY
    if cells or tally:
        terminalreporter.section("security figures")
        write(f"permission matrix cells (URL x persona x method) checked: {cells}")
        write(f"forms covered: {tally['forms']}")
        posts, protected = tally["mass_assignment_posts"], tally["protected"]
        write(f"mass-assignment posts: {posts}, protected fields checked: {protected}")
        write(
            f"hostile inputs tried: {tally['inputs_form'] + tally['inputs_view']} "
            f"({tally['inputs_form']} on form.is_valid(), {tally['inputs_view']} through the views)"
        )
        write(f"distinct (URL, field, value) triples posted: {len(figures.TRIPLES)}")
        write(f"form fields the hostile posts could not reach: {tally['unreached_fields']}")
        write(f"server errors found: {tally['server_errors']}")
    if figures.FIGURES:
        terminalreporter.section("reliability figures")
        for line in figures.FIGURES:
            write(f"reliability: {line}")
