"""`erase_expired_households`: erase the personal data of households that left longer ago than their
town's plan keeps it (visits.retention), as the monthly task does; --dry-run only counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from visits.retention import erase_expired


def iso_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date takes a day as YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = "Erase the personal data of moved-out and deregistered households past their town's retention."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_day, default=None, help="the day to erase for (default today)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be erased, change nothing")

    def handle(self, *args: Any, date: dt.date | None = None, dry_run: bool = False, **options: Any) -> None:
        day = date or timezone.localdate()
        erasures = erase_expired(day, dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        for erasure in erasures:
            if erasure.households:
                self.stdout.write(
                    f"{erasure.town.name}: {verb} {len(erasure.households)} households that left before "
                    f"{erasure.kept_until.isoformat()} ({erasure.visits} visits, {erasure.pairings} pairings)"
                )
        total = sum(len(erasure.households) for erasure in erasures)
        self.stdout.write(f"{'Would erase' if dry_run else 'Erased'} {total} households on {day.isoformat()}.")
