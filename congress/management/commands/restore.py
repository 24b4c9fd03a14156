"""`manage.py restore <file> --database-name X`: restore a backup into a new database X."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congress import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into a new database on the same server. The portal's own "
        "database is never touched: point DATABASE_URL at the restored one once it has been checked."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .dump file made by `manage.py backup`")
        parser.add_argument("--database-name", required=True, help="the new database to create and fill")

    def handle(self, *args: Any, **options: Any) -> None:
        server, current = backups.default_server()
        if options["database_name"] == current:
            raise CommandError("restore into a new database, not the one the portal uses")
        try:
            restored = backups.restore(
                dump=options["file"], database=options["database_name"], server=server, maintenance_db=current
            )
        except backups.BackupError as exc:
            raise CommandError(f"the restore failed: {exc}") from exc
        self.stdout.write(f"restored {options['file']} into {restored.database} in {restored.seconds:.1f} s")
