"""`rebuild_visit_tallies`: recount the visit quota's counters from the visits (after a bulk load)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from visits import tallies


class Command(BaseCommand):
    help = "Recount the visit quota's counters (visits per deputy and month, households per deputy and year)."

    def handle(self, *args: Any, **options: Any) -> None:
        months, households = tallies.rebuild()
        self.stdout.write(f"{months} deputy-month rows, {households} deputy-household rows")
