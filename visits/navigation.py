"""The menu entries of the visits, households, opinions, pairing and mediation.

settings.NAVIGATION lists this module's ENTRIES; congress.navigation shows them by role.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congress.navigation import NavEntry

ENTRIES: list[NavEntry] = [
    NavEntry(
        url_name="visits:visit_create",
        label=_("Record a visit"),
        icon="pencil-square",
        action="visits.record",
        group="visits",
        description=_("A household visit with the opinions collected, from a phone in the village."),
    ),
    NavEntry(
        url_name="visits:my_duty",
        label=_("My duties"),
        icon="person-badge",
        action="visits.view_own_duty",
        group="visits",
        description=_("This month's and this year's visits against the target."),
    ),
    NavEntry(
        url_name="visits:ledger",
        label=_("Visit ledger"),
        icon="journal-text",
        action="visits.view_ledger",
        group="visits",
        description=_("Every visit, filtered by village, deputy and date; Excel export."),
    ),
    NavEntry(
        url_name="visits:quota_overview",
        label=_("Visit quota"),
        icon="bar-chart-line",
        action="visits.view_quota",
        group="visits",
        description=_("Which deputies met this month's and this year's targets."),
    ),
    NavEntry(
        url_name="visits:household_list",
        label=_("Household register"),
        icon="houses",
        action="visits.view_households",
        group="visits",
        description=_("Households of the villages, searchable by pinyin initials."),
    ),
    NavEntry(
        url_name="visits:opinion_triage",
        label=_("Sort opinions"),
        icon="funnel",
        action="visits.triage_opinions",
        group="visits",
        description=_("Merge new opinions into summary items."),
    ),
    NavEntry(
        url_name="visits:summary_list",
        label=_("Opinion summaries"),
        icon="list-check",
        action="visits.view_summaries",
        group="visits",
        description=_("Summary items and where each went: a project, a department, an answer."),
    ),
    NavEntry(
        url_name="visits:pair_list",
        label=_("Pairing assistance"),
        icon="people",
        action="visits.view_pairings",
        group="visits",
        description=_("Deputies paired with elderly people living alone and people with limited mobility."),
    ),
    NavEntry(
        url_name="visits:mediation_list",
        label=_("Mediation"),
        icon="chat-square-heart",
        action="visits.view_mediations",
        group="visits",
        description=_("Disputes the deputies helped resolve."),
    ),
    NavEntry(
        url_name="visits:category_list",
        label=_("Opinion categories"),
        icon="tags",
        action="visits.manage_categories",
        group="reference",
    ),
]
