"""The one place that decides which navigation entries a user sees.

Each app lists its pages as `NavEntry` values in its own `navigation.py` (`ENTRIES`), and
settings.NAVIGATION names those lists in menu order, so the core never names an app above it. An
entry carries the access action its view requires (so the menu and the view cannot disagree) or, for
pages without one, the roles that may open it. Entries fall into groups, each a menu of the navigation
bar and a block of tiles on the home page. An entry whose URL name does not resolve is skipped.
Showing an entry is a convenience, not a permission: the view itself still asks `congress.access`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
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


# The core's own entries: the home page, the administration, the town's records and the account.
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
        url_name="congress:deliveries_unconfirmed",
        label=_("Unconfirmed deliveries"),
        icon="envelope-exclamation",
        action="congress.resolve_deliveries",
        group="reference",
        description=_("E-mails and messages that may not have arrived: check and resolve them."),
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
        url_name="congress:data_requests",
        label=_("Personal data requests"),
        icon="person-lock",
        action="privacy.view_requests",
        group="reference",
        description=_("Requests to see, correct or delete personal data, and the answers given."),
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
]


@cache
def registered_entries() -> tuple[NavEntry, ...]:
    """Every app's entries, in the order settings.NAVIGATION lists them."""
    return tuple(entry for path in settings.NAVIGATION for entry in import_string(path))


def nav_items(
    user: Any, *, current_view: str | None = None, entries: Iterable[NavEntry] | None = None
) -> list[NavItem]:
    """The entries `user` may see, in declaration order, with their URLs; unresolvable ones are left out."""
    items = []
    for entry in registered_entries() if entries is None else entries:
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
