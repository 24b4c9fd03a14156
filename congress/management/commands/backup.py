"""`manage.py backup`: dump the portal's database into the backup folder and keep the newest few."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congress import backups


class Command(BaseCommand):
    help = "Dump the database (pg_dump custom format) into the backup folder, keeping the newest N."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="folder of the backups (default: BACKUP_DIR)")
        parser.add_argument("--keep", type=int, default=None, help="how many backups to keep (default: BACKUP_KEEP)")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or Path(settings.BACKUP_DIR)
        keep = options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP
        if keep < 1:
            raise CommandError("--keep must be at least 1")
        server, dbname = backups.default_server()
        try:
            path = backups.backup(directory=directory, keep=keep, server=server, dbname=dbname)
        except backups.BackupError as exc:
            raise CommandError(f"the backup failed: {exc}") from exc
        self.stdout.write(str(path))
