"""Load the demo district (怀柔区, 北房镇 and two neighbours) with a login for every role."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from demo import town as demo


class Command(BaseCommand):
    help = "Create the demo district, towns, deputies and logins (development only; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            # Demo logins share a published password: they must never reach a real installation.
            raise CommandError(_("seed_demo only runs with DEBUG on: it creates logins with a published password."))
        result = demo.seed_demo(today=timezone.localdate(), stdout=self.stdout)

        rows = [
            (login.username, demo.DEMO_PASSWORD, login.role, login.full_name, login.scope) for login in result.logins
        ]
        headers = (_("username"), _("password"), _("role"), _("name"), _("scope"))
        widths = [max(display_width(str(value)) for value in column) for column in zip(headers, *rows, strict=True)]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo logins (all share one password):")))
        for row in (headers, *rows):
            cells = (
                str(value) + " " * (width - display_width(str(value))) for value, width in zip(row, widths, strict=True)
            )
            self.stdout.write("  ".join(cells).rstrip())


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
