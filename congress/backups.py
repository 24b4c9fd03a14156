"""Backups of the portal's database (pg_dump custom format) and their restore into a fresh database.

The programs of the PostgreSQL client (`pg_dump`, `pg_restore`) do the work; this module builds their
connection arguments from the Django settings, so the commands need no superuser: the role the portal
connects as owns its tables, and restoring needs only CREATEDB.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings
from psycopg2 import sql

SUFFIX = ".dump"


@dataclass(frozen=True)
class Server:
    host: str
    port: str
    user: str
    password: str

    @classmethod
    def of(cls, database: dict[str, Any]) -> Server:
        return cls(
            host=str(database.get("HOST") or ""),
            port=str(database.get("PORT") or ""),
            user=str(database.get("USER") or ""),
            password=str(database.get("PASSWORD") or ""),
        )

    def args(self) -> list[str]:
        out = []
        if self.host:
            out += ["--host", self.host]
        if self.port:
            out += ["--port", self.port]
        if self.user:
            out += ["--username", self.user]
        return [*out, "--no-password"]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, dbname: str) -> Any:
        return psycopg2.connect(
            dbname=dbname,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
        )


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def default_server() -> tuple[Server, str]:
    database = settings.DATABASES["default"]
    return Server.of(database), str(database["NAME"])


def backup(*, directory: Path, keep: int, server: Server, dbname: str, now: dt.datetime | None = None) -> Path:
    """Dump `dbname` into `directory` as `<dbname>-<UTC time>.dump`, then keep only the `keep` newest.

    The dump is written under a temporary name and renamed when complete, so a failed dump never
    counts as a backup nor pushes a good one out of the rotation."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    # A dump holds every household's phone number: only the portal's own system user may read it.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = directory / f"{dbname}-{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    # Created 0600 before pg_dump writes a byte into it, whatever the umask.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    partial.chmod(0o600)
    try:
        subprocess.run(  # noqa: S603 - fixed program and options; the names come from the settings
            [_program("pg_dump"), *server.args(), "--format=custom", "--file", str(partial), dbname],
            check=True,
            env=server.env(),
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(exc.stderr.strip() or str(exc)) from exc
    partial.rename(target)
    for old in backups_of(directory, dbname)[keep:]:
        old.unlink()
    return target


def backups_of(directory: Path, dbname: str) -> list[Path]:
    """The backups of `dbname` in `directory`, newest first (the name carries the time)."""
    return sorted(directory.glob(f"{dbname}-*{SUFFIX}"), reverse=True)


@dataclass(frozen=True)
class Restored:
    database: str
    seconds: float


def restore(*, dump: Path, database: str, server: Server, maintenance_db: str) -> Restored:
    """Create `database` (it must not exist) and restore `dump` into it; the restoring role owns it all.

    On failure the half-restored database is dropped again."""
    if not dump.is_file():
        raise BackupError(f"no such backup: {dump}")
    started = time.monotonic()
    _create_database(server, maintenance_db, database)
    try:
        subprocess.run(  # noqa: S603 - fixed program and options; the names come from the settings
            [
                _program("pg_restore"),
                *server.args(),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                database,
                str(dump),
            ],
            check=True,
            env=server.env(),
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as exc:
        drop_database(server, maintenance_db, database)
        raise BackupError(exc.stderr.strip() or str(exc)) from exc
    return Restored(database=database, seconds=time.monotonic() - started)


def _create_database(server: Server, maintenance_db: str, database: str) -> None:
    conn = server.connect(maintenance_db)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone():
                raise BackupError(f"the database {database} exists already; restore only into a new one")
            cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(database)))
    finally:
        conn.close()


def drop_database(server: Server, maintenance_db: str, database: str) -> None:
    conn = server.connect(maintenance_db)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
    finally:
        conn.close()


class BackupError(Exception):
    """pg_dump or pg_restore failed, or the restore target is not a new database."""
