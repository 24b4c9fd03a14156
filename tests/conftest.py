"""Shared fixtures: compiled catalogues, a fast hasher, and a town with a cast of personas (plus an
outsider in another town). App-specific fixtures go in tests/<app>/conftest.py."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed

from congress import models
from congress.roles import Role
from tests import factories
from tests.figures import FIGURES

PASSWORD = "Congress-test-2026"

# A Redis database of the tests' own, so a developer's running worker (on db 0) never takes their tasks.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


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

    def user(self, persona: str) -> models.User | None:
        """The user acting as a persona of the permission matrix; None is anonymous."""
        return None if persona == "anonymous" else getattr(self, persona)


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
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """PBKDF2's deliberate slowness tests nothing here; the real hasher stays in production."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def cast(db: None) -> Cast:
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


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    """The reliability drills' figures (restore time, reminders after a crash...), for docs/reliability.md."""
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for line in FIGURES:
        terminalreporter.write_line(f"reliability: {line}")
