"""The menu entries of the congress sessions.

settings.NAVIGATION lists this module's ENTRIES; congress.navigation shows them by role.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congress.navigation import NavEntry

ENTRIES: list[NavEntry] = [
    NavEntry(
        url_name="sessions:list",
        label=_("Congress sessions"),
        icon="bank",
        action="sessions.view",
        group="suggestions",
        description=_("The sessions of the year: agenda, attendance, quorum, results."),
    ),
]
