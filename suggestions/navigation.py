"""The menu entries of the deputies' suggestions.

settings.NAVIGATION lists this module's ENTRIES; congress.navigation shows them by role.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congress.navigation import NavEntry

ENTRIES: list[NavEntry] = [
    NavEntry(
        url_name="suggestions:list",
        label=_("Deputies' suggestions"),
        icon="envelope-paper",
        action="suggestions.view",
        group="suggestions",
        description=_("Submit a suggestion and follow it to its answer."),
    ),
    NavEntry(
        url_name="suggestions:statistics",
        label=_("Handling statistics"),
        icon="clipboard-data",
        action="suggestions.statistics",
        group="suggestions",
        description=_("Answers on time and satisfaction by department."),
    ),
]
