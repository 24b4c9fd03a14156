"""The portal's key pages, as the people who use them see them.

One list feeds both the browser accessibility audit (tests/e2e/test_accessibility.py) and
`make screenshots`, so a page added here is audited and photographed. A feature adds its pages when it
lands; an entry whose URL name does not resolve yet (its app is not merged) is left out, like the
navigation does. Logins are the demo ones from `seed_demo`.

It reads the apps' models at import, so it is imported once Django is set up (pytest-django, or
scripts/screenshots.py after django.setup()).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, get_resolver, reverse

from congress.display_links import create_display_link
from congress.models import Town

Kwargs = Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class KeyPage:
    """A page, who opens it, and how to find the object it shows (run against a seeded database)."""

    slug: str  # test id and screenshot file name
    url_name: str
    username: str | None  # a demo login; None: signed out
    kwargs: Kwargs | None = None
    query: str = ""
    screenshot: bool = False
    tags: frozenset[str] = field(default_factory=frozenset)

    def url(self) -> str | None:
        """The page's path, or None when its view is not part of this build."""
        try:
            path = reverse(self.url_name, kwargs=self.kwargs() if self.kwargs else None)
        except NoReverseMatch:
            return None
        return f"{path}?{self.query}" if self.query else path


def _beifang(model_name: str, **filters: Any) -> Kwargs:
    """kwargs={"pk": ...} of the first row of a 北房镇 model, in primary-key order."""

    def kwargs() -> dict[str, Any]:
        model = apps.get_model("congress", model_name)
        return {
            "pk": model.objects.filter(town__slug="beifang", **filters).order_by("pk").values_list("pk", flat=True)[0]
        }

    return kwargs


def _account(username: str) -> Kwargs:
    def kwargs() -> dict[str, Any]:
        return {"pk": get_user_model().objects.get(username=username).pk}

    return kwargs


def _town(slug: str) -> Kwargs:
    def kwargs() -> dict[str, Any]:
        return {"pk": apps.get_model("congress", "Town").objects.get(slug=slug).pk}

    return kwargs


def _display_link() -> dict[str, Any]:
    """kwargs={"token": ...} of a new display link of 北房镇 (its token exists only when it is made)."""
    staff = get_user_model().objects.get(username="bf_staff")
    _link, token = create_display_link(by=staff, town=Town.objects.get(slug="beifang"), label="三楼会议室")
    return {"token": token}


# Every role's home page (the tiles differ by role).
ROLE_LOGINS = ("bf_staff", "bf_cadre", "bf_chair", "bf_deputy1", "bf_agri", "hr_district", "admin")

FORM = frozenset({"form"})
TABLE = frozenset({"table"})

KEY_PAGES: list[KeyPage] = [
    KeyPage("login", "login", None, screenshot=True, tags=FORM),
    *(KeyPage(f"home-{username}", "home", username, screenshot=True) for username in ROLE_LOGINS),
    KeyPage("password-change", "password_change", "bf_deputy1", screenshot=True, tags=FORM),
    # Reference data kept by the congress office (人大办); edit forms share the create forms' template.
    KeyPage("villages", "congress:village_list", "bf_staff", screenshot=True, tags=TABLE),
    KeyPage("village-new", "congress:village_create", "bf_staff", tags=FORM),
    KeyPage("constituencies", "congress:constituency_list", "bf_staff", tags=TABLE),
    KeyPage("constituency-new", "congress:constituency_create", "bf_staff", tags=FORM),
    KeyPage("departments", "congress:department_list", "bf_staff", tags=TABLE),
    KeyPage("department-new", "congress:department_create", "bf_staff", tags=FORM),
    KeyPage("venues", "congress:venue_list", "bf_staff", tags=TABLE),
    KeyPage("venue-new", "congress:venue_create", "bf_staff", tags=FORM),
    KeyPage("deputies", "congress:deputy_list", "bf_staff", screenshot=True, tags=TABLE),
    KeyPage("deputy", "congress:deputy_detail", "bf_staff", _beifang("Deputy"), screenshot=True),
    KeyPage("deputy-new", "congress:deputy_create", "bf_staff", screenshot=True, tags=FORM),
    KeyPage("deputy-leave", "congress:deputy_leave", "bf_staff", _beifang("Deputy"), tags=FORM),
    KeyPage("plan", "congress:plan", "bf_chair", screenshot=True),
    KeyPage("plan-edit", "congress:plan_edit", "bf_staff", tags=FORM),
    KeyPage("accounts", "congress:account_list", "bf_staff", screenshot=True, tags=TABLE),
    KeyPage("account-new", "congress:account_create", "bf_staff", tags=FORM),
    KeyPage("account-password-reset", "congress:account_password_reset", "bf_staff", _account("bf_cadre")),
    # Dashboards (数据看板): the chairman's overview, the wall a display link opens (signed out) and the
    # office's page of display links, the district's comparison.
    KeyPage("dashboard", "dashboard:town", "bf_chair", screenshot=True),
    KeyPage("dashboard-display", "display_wall", None, _display_link, screenshot=True),
    KeyPage("dashboard-display-links", "dashboard:display_links", "bf_staff", tags=TABLE),
    KeyPage("dashboard-district", "dashboard:district", "hr_district", screenshot=True, tags=TABLE),
    KeyPage("dashboard-town-read-only", "dashboard:town_detail", "hr_district", _town("beifang")),
    # Visits (走访): the phone form of a village cadre, the ledger, a deputy's duties, the quota.
    KeyPage("visit-new", "visits:visit_create", "bf_cadre", screenshot=True, tags=FORM),
    KeyPage("visit-ledger", "visits:ledger", "bf_staff", screenshot=True),
    KeyPage("my-duty", "visits:my_duty", "bf_deputy1", screenshot=True),
    KeyPage("visit-quota", "visits:quota_overview", "bf_staff"),
    KeyPage("households", "visits:household_list", "bf_staff"),
    # Deputies' suggestions (代表建议).
    KeyPage("suggestions", "suggestions:list", "bf_deputy1", screenshot=True),
    KeyPage("suggestion-new", "suggestions:create", "bf_deputy1", screenshot=True, tags=FORM),
    KeyPage("suggestion-statistics", "suggestions:statistics", "bf_chair"),
    # Sessions of the congress (人代会).
    KeyPage("sessions", "sessions:list", "bf_staff", screenshot=True),
    KeyPage("session-new", "sessions:create", "bf_staff", tags=FORM),
    # Livelihood-project supervision (民生实事监督).
    KeyPage("projects", "supervision:project_list", "bf_chair", screenshot=True),
    KeyPage("division-table", "supervision:division_table", "bf_staff", screenshot=True),
    KeyPage("review-rounds", "supervision:round_list", "bf_staff"),
    KeyPage("circulars", "supervision:circular_list", "bf_chair"),
    # The deputies' year: activities, reception days, records of duty and the annual checklist.
    KeyPage("activities", "activities:list", "bf_staff", screenshot=True, tags=TABLE),
    KeyPage("activity-new", "activities:create", "bf_staff", tags=FORM),
    KeyPage("training", "activities:training", "bf_chair", tags=TABLE),
    KeyPage("roster", "activities:roster", "bf_cadre", screenshot=True, tags=TABLE),
    KeyPage("records", "activities:records", "bf_chair", screenshot=True, tags=TABLE),
    KeyPage("record", "activities:record", "bf_chair", _beifang("Deputy"), screenshot=True),
    KeyPage("checklist", "activities:checklist", "bf_chair", screenshot=True, tags=TABLE),
    KeyPage("turn", "activities:turn", "bf_staff", tags=FORM),
]


def available(pages: Iterable[KeyPage] = KEY_PAGES) -> list[KeyPage]:
    """The pages whose views exist in this build (checked without touching the database)."""
    return [page for page in pages if url_name_exists(page.url_name)]


def url_name_exists(name: str) -> bool:
    """Whether a (namespaced) URL name is in the URLconf, whatever arguments its pattern takes."""
    resolver = get_resolver()
    *namespaces, view = name.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return view in resolver.reverse_dict
