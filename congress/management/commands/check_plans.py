"""`check_plans [--fix]`: the annual plans stored before today's rules that the rules refuse.

Each plan is checked as the plan form checks it (AnnualPlan.clean): every number within its range and
the points table of known kinds with whole numbers in range. Without --fix the command lists what is
wrong, plan by plan; with --fix it puts each refused number back to its default and drops or resets
each refused entry of the points table, and says what it changed. The pages never break on such a row
(AnnualPlan.points_for counts a refused entry 0), but the office should see and settle it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from congress.models import AnnualPlan
from congress.models.core import PLAN_NUMBER_RANGES, POINTS_RANGE, default_points_table


class Command(BaseCommand):
    help = "List the annual plans that the plan rules refuse; with --fix, put the refused values back to defaults."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Reset each refused value to its default")

    def handle(self, *args: Any, **options: Any) -> None:
        refused = 0
        for plan in AnnualPlan.objects.select_related("town").order_by("town_id", "year"):
            try:
                plan.clean()
            except ValidationError as exc:
                refused += 1
                for field, messages in exc.message_dict.items():
                    self.stdout.write(f"{plan.town.slug} {plan.year} {field}: {' '.join(messages)}")
                if options["fix"]:
                    self.stdout.write(f"  fixed: {', '.join(fix(plan))}")
        verb = "fixed" if options["fix"] else "refused"
        self.stdout.write(f"{refused} plan(s) {verb}")


@transaction.atomic
def fix(plan: AnnualPlan) -> list[str]:
    """Reset what the rules refuse in `plan` and save it; the names of the fields changed."""
    changed = []
    default = AnnualPlan()  # an unsaved plan holds every field's default
    for field, (low, high) in PLAN_NUMBER_RANGES.items():
        value = getattr(plan, field)
        if value is None or not low <= value <= high:
            setattr(plan, field, getattr(default, field))
            changed.append(field)
    defaults = default_points_table()
    table = plan.points_table if isinstance(plan.points_table, dict) else {}
    low, high = POINTS_RANGE
    cleaned = {
        key: value if type(value) is int and low <= value <= high else defaults[key]
        for key, value in table.items()
        if key in defaults
    }
    if cleaned != plan.points_table:
        plan.points_table = cleaned
        changed.append("points_table")
    plan.full_clean()
    plan.save()
    return changed
