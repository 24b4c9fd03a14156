"""Backup and restore, proven: the test database is dumped with `manage.py backup`, restored with
`manage.py restore` into a new database, and the key tables compared row for row (counts and an md5
of the ordered rows). The restore time is printed for docs/reliability.md."""

from __future__ import annotations

import os
import stat
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from congress import backups
from congress.models import Deputy, Town, User, Village
from suggestions.models import Suggestion
from supervision.models import LivelihoodProject, MonthlyTarget
from tests.conftest import build_cast
from tests.figures import report
from tests.integration.fingerprints import fingerprints
from tests.suggestions.factories import suggestion_in_state
from tests.supervision.factories import LivelihoodProjectFactory, MonthlyTargetFactory
from tests.visits.factories import OpinionFactory, VisitFactory
from visits.models import Household, Opinion, Visit

KEY_MODELS = [
    Town,
    Village,
    User,
    Deputy,
    Household,
    Visit,
    Opinion,
    Suggestion,
    LivelihoodProject,
    MonthlyTarget,
]
KEY_TABLES = [model._meta.db_table for model in KEY_MODELS]


@pytest.fixture
def a_town_with_records(transactional_db):  # Real commits: pg_dump reads on a connection of its own
    cast = build_cast()
    for i in range(30):
        visit = VisitFactory(town=cast.town, household__village=cast.village, deputies=[cast.deputy])
        OpinionFactory(visit=visit, text=f"第{i + 1}条意见：村口路灯不亮")
    for _ in range(5):
        MonthlyTargetFactory(project=LivelihoodProjectFactory(town=cast.town, lead_department=cast.department))
    suggestion_in_state(Suggestion.State.SUBMITTED, proposer=cast.deputy, staff=cast.staff)
    return cast


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    yield name
    server, current = backups.default_server()
    backups.drop_database(server, current, name)


def test_a_backup_restores_into_a_new_database_with_the_same_rows(a_town_with_records, tmp_path, restored_name):
    call_command("backup", dir=tmp_path, keep=3)
    (dump,) = tmp_path.glob("*.dump")
    started = time.monotonic()
    call_command("restore", str(dump), database_name=restored_name)
    seconds = time.monotonic() - started

    original = fingerprints(connection.settings_dict["NAME"], KEY_TABLES)
    restored = fingerprints(restored_name, KEY_TABLES)
    assert restored == original
    assert original[Visit._meta.db_table][0] == 30
    rows = sum(count for count, _ in original.values())
    report(f"restore of {rows} rows in {len(original)} key tables took {seconds:.2f} s (identical counts and md5)")


def test_the_restored_database_answers_the_portals_queries(a_town_with_records, tmp_path, restored_name):
    call_command("backup", dir=tmp_path, keep=1)
    call_command("restore", str(next(tmp_path.glob("*.dump"))), database_name=restored_name)
    server, _ = backups.default_server()
    conn = server.connect(restored_name)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'supervision'")
            assert cursor.fetchone()[0] > 0
            # The constraints came back with the data: a review outside 0-100 % is still refused.
            cursor.execute("SELECT conname FROM pg_constraint WHERE conname = 'target_planned_percent_range'")
            assert cursor.fetchone() is not None
    finally:
        conn.close()


def test_rotation_keeps_only_the_newest_backups(db, tmp_path):
    made = []
    for _ in range(4):
        call_command("backup", dir=tmp_path, keep=2)
        made.append(sorted(tmp_path.glob("*.dump"))[-1])
    kept = sorted(tmp_path.glob("*.dump"))
    assert kept == made[-2:]
    assert not list(tmp_path.glob("*.partial"))


def test_restore_refuses_a_database_that_exists(db, tmp_path):
    call_command("backup", dir=tmp_path, keep=1)
    with pytest.raises(CommandError, match="exists already"):
        call_command("restore", str(next(tmp_path.glob("*.dump"))), database_name="postgres")


def test_restore_refuses_the_portals_own_database(db, tmp_path):
    call_command("backup", dir=tmp_path, keep=1)
    with pytest.raises(CommandError, match="new database"):
        call_command("restore", str(next(tmp_path.glob("*.dump"))), database_name=connection.settings_dict["NAME"])


def test_a_failed_backup_keeps_the_earlier_ones_and_says_why(db, tmp_path):
    call_command("backup", dir=tmp_path, keep=1)
    before = sorted(tmp_path.glob("*"))
    server, _ = backups.default_server()
    with pytest.raises(backups.BackupError, match="no_such_database_here"):
        backups.backup(directory=tmp_path, keep=1, server=server, dbname="no_such_database_here")
    assert sorted(tmp_path.glob("*")) == before


def test_keep_below_one_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("backup", dir=tmp_path, keep=0)
    assert not list(tmp_path.iterdir())


def test_backups_are_readable_by_the_portals_system_user_only(db, tmp_path):
    folder = tmp_path / "backups"
    old_umask = os.umask(0o022)  # the usual umask would leave a dump readable by every user of the machine
    try:
        call_command("backup", dir=folder, keep=1)
    finally:
        os.umask(old_umask)
    dump = next(folder.glob("*.dump"))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600


def test_an_existing_backup_folder_is_closed_to_other_users(db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o755)
    call_command("backup", dir=folder, keep=1)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
