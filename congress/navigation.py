"""The one place that decides which navigation entries a user sees.

A feature adds its page by appending a `NavEntry` to `ENTRIES` with the roles that may open it. An entry
whose URL name does not resolve (the feature is not merged yet) is skipped, so entries can land before
their views. The navigation bar and the home page tiles both read `nav_items()`. Showing an entry is a
convenience, not a permission: the view itself still asks `congress.access`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.models import Role

Section = Literal["main", "account"]


@dataclass(frozen=True)
class NavEntry:
    """A page the navigation may offer. Empty `roles` means every signed-in user."""

    url_name: str
    label: str | Promise
    icon: str
    roles: frozenset[str] = field(default_factory=frozenset)
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
        return not self.roles or user.role in self.roles


@dataclass(frozen=True)
class NavItem:
    """A resolved entry, ready for a template."""

    url_name: str
    url: str
    label: str | Promise
    icon: str
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
                section=entry.section,
                description=entry.description,
                method=entry.method,
                show_as_tile=entry.show_as_tile,
                active=entry.url_name == current_view,
            )
        )
    return items
