"""The menu entries of the dashboards, the deputies' year and the display links.

settings.NAVIGATION lists this module's ENTRIES; congress.navigation shows them by role.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congress.navigation import NavEntry

ENTRIES: list[NavEntry] = [
    NavEntry(
        url_name="dashboard:town",
        label=_("Town dashboard"),
        icon="speedometer2",
        action="dashboard.town",
        description=_("Visits, projects and suggestions at a glance; every number opens its list."),
    ),
    NavEntry(
        url_name="dashboard:district",
        label=_("Towns compared"),
        icon="columns-gap",
        action="dashboard.district",
        description=_("The district's towns side by side."),
    ),
    NavEntry(
        url_name="activities:list",
        label=_("Deputies' activities"),
        icon="people",
        action="activities.view",
        group="duty",
        description=_("Inspections, research, training, group activities, reporting back, commendations."),
    ),
    NavEntry(
        url_name="activities:roster",
        label=_("Reception days"),
        icon="calendar-week",
        action="activities.view_roster",
        group="duty",
        description=_("Who is on duty at each liaison station, and the voters received."),
    ),
    NavEntry(
        url_name="activities:records",
        label=_("Records of duty"),
        icon="journal-text",
        action="records.view_record",
        group="duty",
        description=_("Each deputy's year in the sections of the file, with points and grade."),
    ),
    NavEntry(
        url_name="activities:checklist",
        label=_("Annual work checklist"),
        icon="list-check",
        action="records.view_checklist",
        group="duty",
        description=_("The year's statutory work: done, due or overdue."),
    ),
    NavEntry(
        url_name="activities:turn",
        label=_("Turn of the year and the term"),
        icon="arrow-repeat",
        action="records.turn_year",
        group="reference",
    ),
    NavEntry(
        url_name="dashboard:display_links",
        label=_("Meeting-room display links"),
        icon="display",
        action="dashboard.manage_display_links",
        group="reference",
        description=_("Read-only links that show the dashboard on a wall screen; revoke them at any time."),
    ),
]
