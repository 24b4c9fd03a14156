"""The one place that decides which navigation entries a user sees.

A feature adds its page by appending a `NavEntry` to `ENTRIES` with the access action its view
requires (so the menu and the view cannot disagree) or, for pages without one, the roles that may
open it. Entries fall into groups, each a menu of the navigation bar and a block of tiles on the home
page. An entry whose URL name does not resolve is skipped. Showing an entry is a convenience, not a
permission: the view itself still asks `congress.access`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress import access
from congress.models import Role

Section = Literal["main", "account"]

# The groups of the main entries, in menu order: (key, label).
GROUPS: list[tuple[str, str | Promise]] = [
    ("", ""),
    ("visits", _("Visits")),
    ("suggestions", _("Suggestions and sessions")),
    ("supervision", _("Supervision")),
    ("duty", _("Deputies' year")),
    ("reference", _("Town records")),
]


@dataclass(frozen=True)
class NavEntry:
    """A page the navigation may offer. Empty `roles` means every signed-in user."""

    url_name: str
    label: str | Promise
    icon: str
    roles: frozenset[str] = field(default_factory=frozenset)
    # The access action the page's view requires; when set it decides instead of `roles`.
    action: str | None = None
    group: str = ""
    section: Section = "main"
    description: str | Promise = ""
    superuser_only: bool = False
    # Entries with method "post" (logout) are rendered as a form with a CSRF token, never as a link.
    method: Literal["get", "post"] = "get"
    show_as_tile: bool = True

    def is_for(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if self.superuser_only:
            return bool(user.is_superuser)
        if self.action is not None:
            return access.can(user, self.action)
        return not self.roles or access.has_role(user, self.roles)


@dataclass(frozen=True)
class NavItem:
    """A resolved entry, ready for a template."""

    url_name: str
    url: str
    label: str | Promise
    icon: str
    group: str
    section: Section
    description: str | Promise
    method: str
    show_as_tile: bool
    active: bool


def roles(*members: Role) -> frozenset[str]:
    return frozenset(member.value for member in members)


ENTRIES: list[NavEntry] = [
    NavEntry(
        url_name="home",
        label=_("Home"),
        icon="house-door",
        show_as_tile=False,
    ),
    NavEntry(
        url_name="admin:index",
        label=_("System administration"),
        icon="gear",
        description=_("Installation settings, towns and login accounts."),
        superuser_only=True,
    ),
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
    NavEntry(
        url_name="sessions:list",
        label=_("Congress sessions"),
        icon="bank",
        action="sessions.view",
        group="suggestions",
        description=_("The sessions of the year: agenda, attendance, quorum, results."),
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
    NavEntry(
        url_name="congress:deputy_list",
        label=_("Deputies"),
        icon="person-vcard",
        roles=roles(Role.STAFF, Role.CHAIRMAN, Role.DISTRICT),
        group="reference",
        description=_("The town's deputies, their constituencies and terms."),
    ),
    NavEntry(
        url_name="congress:village_list",
        label=_("Villages and communities"),
        icon="geo-alt",
        roles=roles(Role.STAFF, Role.CHAIRMAN, Role.DISTRICT),
        group="reference",
    ),
    NavEntry(
        url_name="congress:constituency_list",
        label=_("Constituencies"),
        icon="diagram-3",
        roles=roles(Role.STAFF, Role.CHAIRMAN, Role.DISTRICT),
        group="reference",
    ),
    NavEntry(
        url_name="congress:department_list",
        label=_("Departments"),
        icon="building",
        roles=roles(Role.STAFF, Role.CHAIRMAN, Role.DISTRICT),
        group="reference",
    ),
    NavEntry(
        url_name="congress:venue_list",
        label=_("Deputies' home and liaison stations"),
        icon="door-open",
        roles=roles(Role.STAFF, Role.CHAIRMAN, Role.DISTRICT),
        group="reference",
    ),
    NavEntry(
        url_name="visits:category_list",
        label=_("Opinion categories"),
        icon="tags",
        action="visits.manage_categories",
        group="reference",
    ),
    NavEntry(
        url_name="congress:plan",
        label=_("Annual plan"),
        icon="calendar3",
        action="congress.view_plan",
        group="reference",
        description=_("Every number of the year: quotas, review months, deadlines."),
    ),
    NavEntry(
        url_name="congress:account_list",
        label=_("Accounts"),
        icon="person-gear",
        action="congress.manage_accounts",
        group="reference",
    ),
    NavEntry(
        url_name="congress:audit",
        label=_("Audit trail"),
        icon="journal-check",
        action="audit.view",
        group="reference",
        description=_("Who signed in, was refused, exported or revealed personal data, and when."),
    ),
    NavEntry(
        url_name="password_change",
        label=_("Change password"),
        icon="key",
        section="account",
        description=_("Choose a new password for your account."),
    ),
    NavEntry(
        url_name="logout",
        label=_("Sign out"),
        icon="box-arrow-right",
        section="account",
        method="post",
        show_as_tile=False,
    ),
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


def nav_items(
    user: Any, *, current_view: str | None = None, entries: Iterable[NavEntry] | None = None
) -> list[NavItem]:
    """The entries `user` may see, in declaration order, with their URLs; unresolvable ones are left out."""
    items = []
    for entry in ENTRIES if entries is None else entries:
        if not entry.is_for(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append(
            NavItem(
                url_name=entry.url_name,
                url=url,
                label=entry.label,
                icon=entry.icon,
                group=entry.group,
                section=entry.section,
                description=entry.description,
                method=entry.method,
                show_as_tile=entry.show_as_tile,
                active=entry.url_name == current_view,
            )
        )
    return items


def nav_groups(items: list[NavItem]) -> list[tuple[str, str | Promise, list[NavItem]]]:
    """The main items by group, in GROUPS order, leaving out empty groups: (key, label, items)."""
    grouped = [(key, label, [i for i in items if i.section == "main" and i.group == key]) for key, label in GROUPS]
    return [group for group in grouped if group[2]]
