"""`check_stored_data [--fix]`: the rows stored before today's rules that the rules refuse.

Two kinds of row are checked as their forms check them:
- annual plans (AnnualPlan.clean): every number within its range, and the points table of known kinds
  with whole numbers in range. --fix puts each refused number back to its default and drops or resets
  each refused entry of the points table. The pages never break on such a plan (AnnualPlan.points_for
  counts a refused entry 0), but the office should see and settle it.
- phone numbers of users, deputies and households (congress.phones). --fix writes each number the one
  way the portal keeps it; a number that is no phone number at all is listed for the office to correct,
  never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction
from simple_history.models import HistoricalChanges

from congress.models import AnnualPlan
from congress.models.fields import PhoneField
from congress.phones import normalise_phone


class Command(BaseCommand):
    help = "List the plans and phone numbers that today's rules refuse; with --fix, settle what can be settled."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Reset refused plan values; rewrite phone numbers")

    def handle(self, *args: Any, **options: Any) -> None:
        fix = options["fix"]
        plans = 0
        for plan in AnnualPlan.objects.select_related("town").order_by("town_id", "year"):
            try:
                plan.clean()
            except ValidationError as exc:
                plans += 1
                for field, messages in exc.message_dict.items():
                    self.stdout.write(f"plan {plan.town.slug} {plan.year} {field}: {' '.join(messages)}")
                if fix:
                    self.stdout.write(f"  fixed: {', '.join(fix_plan(plan))}")
        rewritten = refused = 0
        for record, field, stored, written in phones_to_settle():
            label = f"{record._meta.model_name} {record.pk} {field} {stored!r}"
            if written is None:
                refused += 1
                self.stdout.write(f"{label}: no phone number; correct it by hand")
            else:
                rewritten += 1
                self.stdout.write(f"{label} → {written!r}")
                if fix:
                    type(record)._default_manager.filter(pk=record.pk).update(**{field: written})
        settled = "fixed" if fix else "to fix"
        self.stdout.write(f"{plans} plan(s) {settled}; {rewritten} phone number(s) {settled}; {refused} to correct")


def phones_to_settle() -> Iterator[tuple[models.Model, str, str, str | None]]:
    """Each stored phone number not written the one way, in every model with a PhoneField (history
    tables aside: they keep what was): (record, field, stored, rewritten or None if it is no number)."""
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            continue
        for field in (f.attname for f in model._meta.concrete_fields if isinstance(f, PhoneField)):
            rows = model._default_manager.exclude(**{field: ""}).only("pk", field).order_by("pk").iterator()
            for record in rows:
                stored = getattr(record, field)
                try:
                    written = normalise_phone(stored)
                except ValidationError:
                    yield record, field, stored, None
                    continue
                if written != stored:
                    yield record, field, stored, written


@transaction.atomic
def fix_plan(plan: AnnualPlan) -> list[str]:
    """Settle what the rules refuse in `plan` (AnnualPlan.settle_refused) and save it; the fields changed."""
    changed = plan.settle_refused()
    plan.full_clean()
    plan.save()
    return changed
