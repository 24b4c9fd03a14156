"""Start a new year from the last one: copy a town's annual plan (年度工作计划)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from congress.models import Town
from congress.services import copy_annual_plan


class Command(BaseCommand):
    help = "Copy a town's annual plan (or every town's, with --town all) from one year to another."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--town", required=True, help="The town's short name (slug), or 'all' for every town.")
        parser.add_argument("--from", dest="from_year", type=int, required=True, help="The year to copy from.")
        parser.add_argument("--to", dest="to_year", type=int, required=True, help="The year to copy to.")
        parser.add_argument("--force", action="store_true", help="Overwrite a plan that already exists.")

    def handle(self, *args: Any, town: str, from_year: int, to_year: int, force: bool, **options: Any) -> None:
        if town == "all":
            towns = list(Town.objects.order_by("slug"))
            if not towns:
                raise CommandError(_("There are no towns yet."))
        else:
            found = Town.objects.filter(slug=town).first()
            if found is None:
                known = ", ".join(Town.objects.order_by("slug").values_list("slug", flat=True)) or "-"
                raise CommandError(
                    _("No town with the short name %(slug)s. Known: %(known)s.") % {"slug": town, "known": known}
                )
            towns = [found]

        # Each town is copied on its own: one town's refusal leaves the others copied, and says so.
        refused: list[str] = []
        exists = False
        for each in towns:
            try:
                copy_annual_plan(town=each, from_year=from_year, to_year=to_year, overwrite=force)
            except ValidationError as error:
                refused.append(f"{each.slug}: {' '.join(error.messages)}")
                exists = exists or getattr(error, "code", None) == "target_exists"
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(town)s: plan for %(from)s copied to %(to)s.")
                    % {"town": each, "from": from_year, "to": to_year}
                )
            )
        if refused:
            if exists:
                refused.append(_("Use --force to overwrite an existing plan."))
            raise CommandError("\n".join(refused))
