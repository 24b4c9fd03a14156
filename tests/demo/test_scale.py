"""seed_scale fills a benchmark database of its own with the figures of issue 11, never the development one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.scale import SCALES

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    host, port, user = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432, db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _connect(name: str) -> psycopg2.extensions.connection:
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=name,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    )


@pytest.fixture
def throwaway_bench() -> Iterator[str]:
    """A database name that seed_scale must create and migrate itself; dropped after."""
    name = f"{settings.DATABASES['default']['NAME']}_seedtest_bench"[:63]
    admin = _connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.slow
def test_town_scale_seeds_the_issue_figures_into_a_throwaway_bench_database(throwaway_bench):
    result = subprocess.run(  # the real command, as a developer runs it
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "seed_scale",
            "--scale",
            "town",
            "--database-url",
            _url(throwaway_bench),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]

    town = SCALES["town"]
    with _connect(throwaway_bench) as db, db.cursor() as cursor:

        def count(sql: str) -> int:
            cursor.execute(sql)
            return cursor.fetchone()[0]

        assert count("SELECT COUNT(*) FROM congress_town") == 1
        assert count("SELECT COUNT(*) FROM congress_village") == 18
        assert count("SELECT COUNT(*) FROM congress_deputy") == 60 == town.deputies
        assert count("SELECT COUNT(*) FROM visits_household") == 3_000
        assert count("SELECT COUNT(*) FROM visits_visit") == 12_000
        assert count("SELECT COUNT(*) FROM supervision_livelihoodproject") == 20
        assert count("SELECT COUNT(*) FROM congress_suggestion") == 300
        # Visits over two years, opinions on some, and every project reviewed in its rounds.
        assert count("SELECT COUNT(DISTINCT EXTRACT(YEAR FROM visited_on)) FROM visits_visit") == 2
        assert 3_000 < count("SELECT COUNT(*) FROM visits_opinion") < 12_000
        assert count("SELECT COUNT(*) FROM supervision_reviewround") > 0
        assert count(
            "SELECT COUNT(*) FROM supervision_reviewround r JOIN supervision_livelihoodproject p "
            "ON p.town_id = r.town_id AND p.year = r.year"
        ) == count("SELECT COUNT(*) FROM supervision_projectreview")
        # Rules the services keep beyond the database's constraints.
        assert (
            count(
                "SELECT COUNT(*) FROM visits_visit v JOIN visits_household h ON h.id = v.household_id "
                "WHERE h.village_id <> v.village_id"
            )
            == 0
        )
        assert (
            count(
                "SELECT COUNT(*) FROM visits_visit v WHERE NOT EXISTS "
                "(SELECT 1 FROM visits_visit_deputies d WHERE d.visit_id = v.id)"
            )
            == 0
        )


def test_seed_scale_refuses_a_database_whose_name_does_not_end_in_bench():
    assert not settings.DATABASES["default"]["NAME"].endswith("_bench")

    with pytest.raises(CommandError, match="_bench"):
        call_command("seed_scale", "--scale", "town")


def test_seed_scale_refuses_the_development_database_named_by_url():
    with pytest.raises(CommandError, match="development database"):
        call_command("seed_scale", "--scale", "town", "--database-url", _url(settings.DATABASES["default"]["NAME"]))
