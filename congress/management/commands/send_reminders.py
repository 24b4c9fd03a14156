"""`send_reminders --date YYYY-MM-DD [--dry-run]`: the daily sweep for sites that use cron, or a look
at what a day would send and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from congress import notifications, reminders


class Command(BaseCommand):
    help = "Send the reminders due on a day (the daily sweep), or list them with --dry-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to work for, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent and why; send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        day = self._day(options["date"], dry_run=options["dry_run"])
        with translation.override(settings.LANGUAGE_CODE):
            if options["dry_run"]:
                self._list(day)
                return
            created = reminders.run_sweep(day)
        sent = notifications.relay_outbox()
        self.stdout.write(f"{day.isoformat()}: {created} new notifications, {sent} deliveries sent")

    @staticmethod
    def _day(given: str | None, *, dry_run: bool) -> dt.date:
        """The day asked for; a mistyped one is refused in one line rather than sending a wrong day's reminders.

        A sweep sends for real, so it takes today or a day already past (to catch up after an outage);
        a dry run may look up to a year ahead."""
        today = timezone.localdate()
        if given is None:
            return today
        try:
            day = dt.date.fromisoformat(given.strip())
        except ValueError:
            raise CommandError(f"--date must be a day written YYYY-MM-DD, not {given!r}") from None
        latest = today + dt.timedelta(days=366) if dry_run else today
        if not dt.date(2000, 1, 1) <= day <= latest:
            raise CommandError(
                f"--date {day.isoformat()} is out of range: from 2000-01-01 to {latest.isoformat()}"
                + ("" if dry_run else " (a later day only with --dry-run)")
            )
        return day

    def _list(self, day: dt.date) -> None:
        due = reminders.collect(day)
        sent_before = reminders.already_sent(due)
        for r in sorted(due, key=lambda r: (r.kind, r.recipient.pk, r.subject)):
            mark = "already sent" if r.key in sent_before else "would send"
            channels = ",".join(["inbox", *notifications.channel_addresses(r.recipient)])
            self.stdout.write(f"[{mark}] {r.kind} → {r.recipient} ({channels}): {r.title} — {r.reason}")
        new = sum(1 for r in due if r.key not in sent_before)
        self.stdout.write(f"{day.isoformat()}: {len(due)} due, {new} would be sent")
