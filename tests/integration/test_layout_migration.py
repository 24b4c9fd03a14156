"""Moving models between apps keeps every table and every row.

A dump of the demo town made at commit 7b98154 (tests/fixtures/README.md) is restored into a new
database and migrated with today's migrations; every table in schema public is then compared with what
it held before: its row count and an md5 of its rows. Models that move to another app keep their
db_table, so only two tables may change: django_migrations (rows added) and django_content_type (the
moved models relabelled in place, ids kept). The beat schedule must still name tasks that exist.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from congress import backups
from congress.celery import app
from tests.integration.fingerprints import columns_of, fingerprints

DUMP = Path(__file__).resolve().parents[1] / "fixtures" / "demo_town_7b98154.dump"
MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"
MAINTENANCE_DB = "postgres"  # the restore database is created and dropped from here

# Tables the migrations may add (a new model's own table); every other table must be there before and after.
EXPECTED_NEW_TABLES: set[str] = {"congress_personaldatarequest"}
# Their models, which get content types and the four default permissions when the migrations have run.
EXPECTED_NEW_MODELS = {("congress", "personaldatarequest")}
PERMISSIONS = "auth_permission"
# Tables a migration folds into another: review files became attachments of the portal (supervision 0012),
# their rows moved to congress_attachment (the dump holds none; tests/supervision/test_review_files_migration.py
# moves one).
FOLDED_TABLES = {"supervision_reviewattachment"}

# Models that moved to another app: ("old_app", "model") -> ("new_app", "model"), lower-case as in
# django_content_type. Their content types keep their ids, so permissions and admin log rows stay valid.
MOVED_MODELS: dict[tuple[str, str], tuple[str, str]] = {
    **{
        ("congress", model): ("sittings", model)
        for model in ("session", "agendaitem", "budgetline", "attendance", "historicalattendance")
    },
    **{("congress", model): ("duty", model) for model in ("activity", "receptionduty")},
    **{
        ("congress", model): ("suggestions", model)
        for model in (
            "suggestion",
            "suggestionproposer",
            "suggestiondepartment",
            "suggestionanswer",
            "suggestionevent",
            "historicalsuggestion",
            "historicalsuggestionanswer",
        )
    },
}

# The beat schedule's tasks, by name: a migration may add a task (visits 0011, the monthly erasure of
# households past retention); every task that was there must stay as it was.
SCHEDULES = "django_celery_beat_periodictask"
ADDED_SCHEDULES = {"visits: erase households past retention, 1st of the month 03:00"}

# Compared by the rules above rather than by checksum.
COMPARED_APART = {"django_migrations", "django_content_type", SCHEDULES, PERMISSIONS}

pytestmark = pytest.mark.xdist_group("layout_migration")


@dataclass(frozen=True)
class Snapshot:
    tables: dict[str, tuple[int, str]]
    content_types: dict[int, tuple[str, str]]
    migrations: set[tuple[Any, ...]]
    schedules: dict[str, str]
    # Each permission's row as text, with its model's (app_label, model).
    permissions: dict[int, tuple[str, tuple[str, str]]]


@dataclass(frozen=True)
class Migrated:
    database: str
    before: Snapshot
    after: Snapshot


def rows(database: str, query: str) -> list[tuple[Any, ...]]:
    server, _ = backups.default_server()
    conn = server.connect(database)
    try:
        with conn.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall()
    finally:
        conn.close()


def snapshot(database: str, columns: dict[str, list[str]] | None = None) -> Snapshot:
    """The database's tables, content types and migrations; with `columns` (a snapshot taken before a
    migration), each table is read by the columns it had then: a column a migration adds is no change of rows."""
    return Snapshot(
        tables=fingerprints(database, columns=columns),
        content_types={
            id_: (app_label, model)
            for id_, app_label, model in rows(database, "SELECT id, app_label, model FROM django_content_type")
        },
        migrations=set(rows(database, "SELECT id, app, name, applied FROM django_migrations")),
        schedules=dict(rows(database, f"SELECT t.name, t::text FROM {SCHEDULES} AS t")),
        permissions={
            id_: (row, (app_label, model))
            for id_, row, app_label, model in rows(
                database,
                f"SELECT t.id, t::text, c.app_label, c.model FROM {PERMISSIONS} AS t "
                "JOIN django_content_type AS c ON c.id = t.content_type_id",
            )
        },
    )


def database_url(server: backups.Server, database: str) -> str:
    """A DATABASE_URL for the settings: the same server and role, another database."""
    auth = quote(server.user, safe="")
    if server.password:
        auth += ":" + quote(server.password, safe="")
    port = f":{server.port}" if server.port else ""
    return f"postgres://{auth}{'@' if auth else ''}{quote(server.host, safe='')}{port}/{quote(database, safe='')}"


def migrate(url: str) -> None:
    """`manage.py migrate` in a process of its own, as a deployment runs it, on the database at `url`."""
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "migrate", "--noinput"],
        cwd=MANAGE_PY.parent,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"migrate failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="module")
def migrated(worker_id: str) -> Iterator[Migrated]:
    """The dump restored into a database of this worker's own and migrated; dropped afterwards."""
    server, configured = backups.default_server()
    database = f"{configured}_layout_{worker_id}_{os.getpid()}"
    try:
        backups.restore(dump=DUMP, database=database, server=server, maintenance_db=MAINTENANCE_DB)
        before = snapshot(database)
        columns = columns_of(database)
        migrate(database_url(server, database))
        yield Migrated(database=database, before=before, after=snapshot(database, columns))
    finally:
        backups.drop_database(server, MAINTENANCE_DB, database)


def test_every_table_is_still_there_and_only_expected_ones_are_new(migrated):
    before, after = set(migrated.before.tables), set(migrated.after.tables)
    assert before - after == FOLDED_TABLES
    assert after - before <= EXPECTED_NEW_TABLES


def test_every_table_keeps_its_rows(migrated):
    compared = sorted(set(migrated.before.tables) - COMPARED_APART - FOLDED_TABLES)
    assert all(migrated.before.tables[table][0] == 0 for table in FOLDED_TABLES)  # nothing left uncompared
    assert {table: migrated.after.tables.get(table) for table in compared} == {
        table: migrated.before.tables[table] for table in compared
    }
    # The dump holds a town's worth of records, so a checksum over empty tables proves nothing here.
    assert migrated.before.tables["congress_suggestion"][0] > 0
    assert migrated.before.tables["visits_visit"][0] > 0


def test_scheduled_tasks_keep_their_rows_and_only_expected_ones_are_new(migrated):
    before, after = migrated.before.schedules, migrated.after.schedules
    assert before
    assert set(after) - set(before) <= ADDED_SCHEDULES
    assert {name: after.get(name) for name in before} == before


def test_permissions_keep_their_rows_and_only_new_models_add_some(migrated):
    before, after = migrated.before.permissions, migrated.after.permissions
    assert before
    assert {id_: after.get(id_, (None, None))[0] for id_ in before} == {id_: row for id_, (row, _) in before.items()}
    assert {model for id_, (_, model) in after.items() if id_ not in before} <= EXPECTED_NEW_MODELS


def test_migrations_are_only_added(migrated):
    assert migrated.before.migrations - migrated.after.migrations == set()


def test_content_types_keep_their_ids_and_follow_the_moved_models(migrated):
    expected = {id_: MOVED_MODELS.get(pair, pair) for id_, pair in migrated.before.content_types.items()}
    assert {id_: migrated.after.content_types.get(id_) for id_ in expected} == expected


def test_every_periodic_task_names_a_registered_task(migrated):
    app.loader.import_default_modules()  # imports each installed app's tasks module, as a worker does
    scheduled = {task for (task,) in rows(migrated.database, "SELECT task FROM django_celery_beat_periodictask")}
    assert scheduled
    assert scheduled - set(app.tasks) == set()
