"""Remove audit events and change history past the retention period; never rows younger than six months."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congress import audit


class Command(BaseCommand):
    help = "Delete audit records older than AUDIT_RETENTION_DAYS (or --days), never younger than six months."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"keep this many days (at least {audit.RETENTION_FLOOR_DAYS}; a smaller number is raised to it)",
        )

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        if days is not None and days < audit.RETENTION_FLOOR_DAYS:
            self.stderr.write(
                f"--days {days} is below the six-month floor; keeping {audit.RETENTION_FLOOR_DAYS} days instead."
            )
        removed = audit.prune(days=days)
        total = sum(removed.values())
        for table, count in removed.items():
            if count:
                self.stdout.write(f"{table}: {count}")
        self.stdout.write(f"Removed {total} audit rows.")
