"""What the dashboards are made of: links to filtered lists, percentages, charts, the town's figures, and
the user's scope typed as it behaves."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from congress import access
from congress.models import AnnualPlan, Town, User
from supervision.models import Light
from supervision.services.keyworks import PlanCheck
from visits.models import Household
from visits.quota import DeputyQuota

LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED)
UNREVIEWED = "none"

QS = TypeVar("QS", bound=QuerySet[Any, Any])


def scoped(user: User, queryset: QS) -> QS:
    """`access.scope(user, queryset)`, typed as it behaves: it only filters the queryset it is given, so
    the result keeps the queryset's class and with it the model's own methods (`.open()`, `.adopted()`),
    which `access.scope`'s declared return type, a plain QuerySet, leaves out."""
    return cast(QS, access.scope(user, queryset))


def link(url_name: str, **params: Any) -> str:
    """The URL of a list with its filter query."""
    url = reverse(url_name)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Chart:
    """One chart's data as the page script draws it, and as the data table beside it shows it."""

    key: str
    title: str
    kind: str  # bar, line, pie, hbar
    categories: list[str]
    series: list[dict[str, Any]]  # {"name", "data": [numbers], "links": [urls], "type"?}

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "categories": self.categories, "series": self.series}

    def rows(self) -> list[tuple[str, list[tuple[Any, str]]]]:
        """The data table: each category with (value, the URL of its list) per series."""
        return [
            (c, [(s["data"][i], (s.get("links") or [""] * len(self.categories))[i]) for s in self.series])
            for i, c in enumerate(self.categories)
        ]

    def without_links(self) -> Chart:
        """The same chart with nothing to click (the wall display is looked at, not used)."""
        return replace(self, series=[{**s, "links": []} for s in self.series])


@dataclass
class TownFigures:
    """The chairman's dashboard of a town for the year of `today` (the district's comparison fills the
    tiles alone: `charts` stays empty and the checklist unread)."""

    town: Town
    today: dt.date
    deputies_serving_month: int = 0
    deputies_met_month: int = 0
    households_visited: int = 0
    households_total: int = 0
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*LIGHTS, UNREVIEWED), 0))
    overdue_targets: int = 0
    overdue_target_projects: int = 0
    on_time_percent: float | None = None
    satisfied_percent: float | None = None
    suggestions_overdue: int = 0
    rectifications_open: int = 0
    rectifications_overdue: int = 0
    key_projects: int = 0  # the year's key projects (重点工作), one town's only (town_figures)
    checklist_done: int = 0
    checklist_total: int = 0
    charts: list[Chart] = field(default_factory=list)
    # Each serving deputy's quota of the year, by deputy id (the checklist's quota line reads it too).
    quotas: dict[int, DeputyQuota] = field(default_factory=dict, repr=False)
    plan: AnnualPlan | None = field(default=None, repr=False)  # the year's plan, read once for the town's page

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def quota_percent(self) -> float | None:
        return percent(self.deputies_met_month, self.deputies_serving_month)

    @property
    def coverage_percent(self) -> float | None:
        return percent(self.households_visited, self.households_total)

    @property
    def checklist_percent(self) -> float | None:
        return percent(self.checklist_done, self.checklist_total)

    @property
    def projects(self) -> int:
        return sum(self.lights.values())

    @property
    def key_project_check(self) -> PlanCheck | None:
        """The year's key projects against the plan's range (one town's page only: it has the plan)."""
        if self.plan is None:
            return None
        return PlanCheck(self.key_projects, self.plan.key_projects_min, self.plan.key_projects_max)

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)

    def links(self) -> dict[str, str]:
        """Each tile's list, narrowed to this town (a district user's lists hold every town)."""
        year, town = self.year, self.town.pk
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        links = {
            "quota": link("visits:quota_overview", year=year, town=town),
            "coverage": link("visits:household_list", status=Household.Status.RESIDENT, visited=year, town=town),
            "overdue_targets": link("supervision:project_list", year=year, overdue_targets=1, town=town),
            "on_time": link("suggestions:statistics", year=year, town=town),
            "satisfied": link("suggestions:statistics", year=year, town=town),
            "suggestions_overdue": link("suggestions:list", tab="overdue", town=town),
            "projects": link("supervision:project_list", year=year, town=town),
            "ledger": link("visits:ledger", date_from=first.isoformat(), date_to=last.isoformat(), town=town),
            "rectifications": link("supervision:rectification_list", town=town),
            "checklist": link("activities:checklist", year=year, town=town),
        }
        for light in (*LIGHTS, UNREVIEWED):
            links[f"light_{light}"] = link("supervision:project_list", year=year, light=light, town=town)
        return links
