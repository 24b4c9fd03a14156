"""Fill a benchmark database with a town's, a district's or a large installation's data.

Never the development database: the target is DATABASE_URL only when its name ends in `_bench`, or the
database named by --database-url (which may not be DATABASE_URL's own). A missing database is created and
migrated; one that holds data is emptied only with --reset.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import environ
import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from congress.models import Town
from demo import scale

BENCH_SUFFIX = "_bench"
CONFIRMED_TARGET = "CONGRESS_SEED_SCALE_TARGET"  # set for the child run against a --database-url target
# Truncating these empties every table the generator fills (the rest refer to them and go by CASCADE);
# the rows data migrations made that refer to none of them (periodic tasks) stay.
ROOT_TABLES = ("congress_district", "congress_town", "congress_user")


def database_config(url: str) -> dict[str, Any]:
    return dict(environ.Env.db_url_config(url))


def same_database(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a["NAME"], a.get("HOST") or "", str(a.get("PORT") or "")) == (
        b["NAME"],
        b.get("HOST") or "",
        str(b.get("PORT") or ""),
    )


def ensure_database(config: dict[str, Any], *, drop: bool = False) -> bool:
    """Create the database when it is missing (after dropping it with `drop`); True when created."""
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    admin.autocommit = True
    name = config["NAME"]
    try:
        with admin.cursor() as cursor:
            if drop:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{name}"')
            return True
    finally:
        admin.close()


class Command(BaseCommand):
    help = "Seed a separate benchmark database at town, district or large scale (never the development one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(scale.SCALES), default="town")
        parser.add_argument(
            "--database-url",
            help="the benchmark database (created and migrated if missing); default: DATABASE_URL if it ends in _bench",
        )
        parser.add_argument("--reset", action="store_true", help="empty the benchmark database first")

    def handle(self, *args: Any, **options: Any) -> None:
        current = settings.DATABASES["default"]
        url = options["database_url"]
        if url:
            target = database_config(url)
            if same_database(target, current) and not target["NAME"].endswith(BENCH_SUFFIX):
                raise CommandError("--database-url names the development database; choose another one.")
            ensure_database(target)
            self.run_in(url, target, options)
            return
        if not current["NAME"].endswith(BENCH_SUFFIX) and os.environ.get(CONFIRMED_TARGET) != current["NAME"]:
            raise CommandError(
                f"Refusing to seed {current['NAME']!r}: the benchmark database's name must end in {BENCH_SUFFIX!r} "
                "(set DATABASE_URL to one) or be given with --database-url."
            )
        connection.close()
        created = ensure_database(current)
        self.seed(options, created=created)

    def run_in(self, url: str, target: dict[str, Any], options: dict[str, Any]) -> None:
        """Run again with the target as the default database, so every query of the apps goes there."""
        manage = Path(settings.BASE_DIR) / "manage.py"
        argv = [sys.executable, str(manage), "seed_scale", "--scale", options["scale"]]
        if options["reset"]:
            argv.append("--reset")
        env = {**os.environ, "DATABASE_URL": url, CONFIRMED_TARGET: target["NAME"]}
        result = subprocess.run(argv, env=env, check=False)  # noqa: S603 (our own manage.py)
        if result.returncode:
            raise CommandError(f"seed_scale failed against {target['NAME']!r}.")

    def seed(self, options: dict[str, Any], *, created: bool) -> None:
        began = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        migrated = time.monotonic() - began
        if Town.objects.exists():
            if not options["reset"]:
                raise CommandError("The benchmark database holds data: pass --reset to empty it first.")
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(ROOT_TABLES)} RESTART IDENTITY CASCADE")
        chosen = scale.SCALES[options["scale"]]
        name = settings.DATABASES["default"]["NAME"]
        self.stderr.write(f"Seeding {name!r} at {chosen.name} scale{' (created)' if created else ''}")
        report = scale.seed(chosen)
        self.stdout.write(
            f"{chosen.name} scale into {name}: migrate {migrated:.1f} s, seed {report.total_seconds:.1f} s"
        )
        for step, seconds in report.seconds.items():
            self.stdout.write(f"  {step:<12} {seconds:7.1f} s")
        for table, count in report.counts.items():
            self.stdout.write(f"  {table:<16} {count:>9}")
