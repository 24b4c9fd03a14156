"""The menu entries of the key works, rectifications, evaluations and law inspections.

settings.NAVIGATION lists this module's ENTRIES; congress.navigation shows them by role.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congress.navigation import NavEntry

ENTRIES: list[NavEntry] = [
    NavEntry(
        url_name="supervision:keyproject_list",
        label=_("Key projects"),
        icon="building-gear",
        action="supervision.view_keyworks",
        group="supervision",
        description=_("The government's key works under the congress's whole-process supervision."),
    ),
    NavEntry(
        url_name="supervision:rectification_list",
        label=_("Rectification items"),
        icon="arrow-repeat",
        action="supervision.view_keyworks",
        group="supervision",
        description=_("Open and overdue rectification items, closed only by a look-back."),
    ),
    NavEntry(
        url_name="supervision:evaluation_list",
        label=_("Department evaluations"),
        icon="clipboard-check",
        action="supervision.view_keyworks",
        group="supervision",
        description=_("The year's appraisal of government departments and the satisfaction vote."),
    ),
    NavEntry(
        url_name="supervision:law_list",
        label=_("Law-enforcement inspections"),
        icon="journal-check",
        action="supervision.view_keyworks",
        group="supervision",
        description=_("The laws inspected this year, their findings and rectification items."),
    ),
]
