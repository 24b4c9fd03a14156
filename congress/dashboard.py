"""The read side across apps: the chairman's town dashboard, the deputy's and the staff's home panels and
the district comparison. Every figure comes with the URL of the filtered list that explains it, and
each dashboard reads a fixed number of queries whatever the number of deputies, households or projects.

Quota figures come from visits.quota (the one quota engine); suggestion rates from
congress.suggestions.handling_statistics; project lights are the lights recorded in review rounds
(supervision.services.record_review lights them with supervision.lights).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from congress import access
from congress.models import Deputy, Suggestion, Town, User
from congress.suggestions import handling_statistics
from supervision.models import Light, LivelihoodProject, MonthlyTarget
from visits.models import Household, Opinion, Pairing, Visit
from visits.quota import MonthState, quota

State = Suggestion.State
LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED)
UNREVIEWED = "none"


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

    def rows(self) -> list[tuple[str, list[Any]]]:
        return [(c, [s["data"][i] for s in self.series]) for i, c in enumerate(self.categories)]


@dataclass
class TownFigures:
    """The chairman's dashboard of a town for the year of `today`."""

    town: Town
    today: dt.date
    deputies_serving_month: int = 0
    deputies_met_month: int = 0
    households_visited: int = 0
    households_total: int = 0
    lights: dict[str, int] = field(default_factory=dict)
    overdue_targets: int = 0
    overdue_target_projects: int = 0
    on_time_percent: float | None = None
    satisfied_percent: float | None = None
    suggestions_overdue: int = 0
    charts: list[Chart] = field(default_factory=list)

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
    def projects(self) -> int:
        return sum(self.lights.values())

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)

    def links(self) -> dict[str, str]:
        year = self.year
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        links = {
            "quota": link("visits:quota_overview", year=year),
            "coverage": link("visits:household_list", status=Household.Status.RESIDENT, visited=year),
            "overdue_targets": link("supervision:project_list", year=year, overdue_targets=1),
            "on_time": link("suggestions:statistics", year=year),
            "satisfied": link("suggestions:statistics", year=year),
            "suggestions_overdue": link("suggestions:list", tab="overdue"),
            "projects": link("supervision:project_list", year=year),
            "ledger": link("visits:ledger", date_from=first.isoformat(), date_to=last.isoformat()),
        }
        for light in (*LIGHTS, UNREVIEWED):
            links[f"light_{light}"] = link("supervision:project_list", year=year, light=light)
        return links


def town_figures(user: User, town: Town, *, today: dt.date) -> TownFigures:
    """Every tile and chart of the town dashboard, read through the user's scope, in fixed queries."""
    year = today.year
    figures = TownFigures(town=town, today=today)
    _visit_quota(figures, user, town, today)
    _visits_and_coverage(figures, user, town, year)
    _projects(figures, user, town, today)
    _suggestions(figures, user, town, today)
    _opinions(figures, user, town, year)
    order = ["visits_by_month", "coverage", "deputies", "projects", "suggestions", "opinions"]
    figures.charts.sort(key=lambda c: order.index(c.key))
    return figures


def _visit_quota(figures: TownFigures, user: User, town: Town, today: dt.date) -> None:
    year = today.year
    deputies = list(
        access.scope(user, Deputy)  # type: ignore[attr-defined]
        .filter(town=town)
        .serving_in_year(year)
        .order_by("pk")
        .only("pk", "name", "town_id", "served_from", "served_until")
    )
    results = quota(deputies, year, today=today)
    this_month = [results[d.pk].month(today.month) for d in deputies]
    figures.deputies_serving_month = sum(1 for m in this_month if m.served)
    figures.deputies_met_month = sum(1 for m in this_month if m.served and m.state == MonthState.MET)
    ranked = sorted(deputies, key=lambda d: (-results[d.pk].households, d.name, d.pk))
    first, last = f"{year}-01-01", f"{year}-12-31"
    figures.charts.append(
        Chart(
            key="deputies",
            title=_("Each deputy's households this year against the target"),
            kind="bar",
            categories=[d.name for d in ranked],
            series=[
                {
                    "name": _("Households visited"),
                    "data": [results[d.pk].households for d in ranked],
                    "links": [link("visits:ledger", deputy=d.pk, date_from=first, date_to=last) for d in ranked],
                },
                {
                    "name": _("Target"),
                    "type": "line",
                    "data": [results[d.pk].household_target for d in ranked],
                    "links": [link("visits:quota_overview", year=year) for _d in ranked],
                },
            ],
        )
    )


def _visits_and_coverage(figures: TownFigures, user: User, town: Town, year: int) -> None:
    by_month: dict[tuple[int, int], int] = defaultdict(int)
    rows = (
        access.scope(user, Visit)
        .filter(town=town, visited_on__gte=dt.date(year - 1, 1, 1), visited_on__lte=dt.date(year, 12, 31))
        .annotate(y=ExtractYear("visited_on"), m=ExtractMonth("visited_on"))
        .order_by()
        .values("y", "m")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        by_month[(row["y"], row["m"])] = row["n"]

    def month_links(y: int) -> list[str]:
        ranges = [month_range(y, m) for m in range(1, 13)]
        return [link("visits:ledger", date_from=a.isoformat(), date_to=b.isoformat()) for a, b in ranges]

    figures.charts.append(
        Chart(
            key="visits_by_month",
            title=_("Visits by month, this year against last year"),
            kind="line",
            categories=[str(m) for m in range(1, 13)],
            series=[
                {"name": str(y), "data": [by_month[(y, m)] for m in range(1, 13)], "links": month_links(y)}
                for y in (year - 1, year)
            ],
        )
    )

    visited = Visit.objects.filter(household=OuterRef("pk"), visited_on__year=year)
    villages = (
        access.scope(user, Household)  # type: ignore[attr-defined]
        .resident()
        .filter(town=town)
        .annotate(seen=Exists(visited))
        .order_by()
        .values("village_id", "village__name")
        .annotate(total=Count("pk"), visited=Count("pk", filter=Q(seen=True)))
        .order_by("village__name", "village_id")
    )
    villages = list(villages)
    figures.households_total = sum(v["total"] for v in villages)
    figures.households_visited = sum(v["visited"] for v in villages)
    figures.charts.append(
        Chart(
            key="coverage",
            title=_("Household coverage by village"),
            kind="hbar",
            categories=[v["village__name"] for v in villages],
            series=[
                {
                    "name": _("Visited"),
                    "data": [v["visited"] for v in villages],
                    "links": [
                        link("visits:household_list", village=v["village_id"], status="resident", visited=year)
                        for v in villages
                    ],
                },
                {
                    "name": _("Not visited yet"),
                    "data": [v["total"] - v["visited"] for v in villages],
                    "links": [
                        link("visits:household_list", village=v["village_id"], status="resident", unvisited=year)
                        for v in villages
                    ],
                },
            ],
        )
    )


def _projects(figures: TownFigures, user: User, town: Town, today: dt.date) -> None:
    year = today.year
    projects = list(
        access.scope(user, LivelihoodProject)  # type: ignore[attr-defined]
        .filter(town=town, year=year)
        .adopted()
        .with_current_review()
        .order_by("position", "pk")
        .only("pk", "name", "position")
    )
    figures.lights = dict.fromkeys((*LIGHTS, UNREVIEWED), 0)
    for p in projects:
        figures.lights[p.current_light or UNREVIEWED] += 1  # type: ignore[attr-defined]
    overdue = (
        access.scope(user, MonthlyTarget).filter(project__town=town, project__year=year).overdue_on(today)  # type: ignore[attr-defined]
    ).aggregate(n=Count("pk"), projects=Count("project_id", distinct=True))
    figures.overdue_targets = overdue["n"]
    figures.overdue_target_projects = overdue["projects"]
    reviewed = [p for p in projects if p.current_actual is not None]  # type: ignore[attr-defined]
    figures.charts.append(
        Chart(
            key="projects",
            title=_("Projects: actual against planned progress"),
            kind="bar",
            categories=[p.name for p in reviewed],
            series=[
                {
                    "name": name,
                    "data": [getattr(p, attr) for p in reviewed],
                    "links": [reverse("supervision:project_detail", args=[p.pk]) for p in reviewed],
                }
                for name, attr in ((_("Planned %"), "current_planned"), (_("Actual %"), "current_actual"))
            ],
        )
    )


def _suggestions(figures: TownFigures, user: User, town: Town, today: dt.date) -> None:
    year = today.year
    suggestions = access.scope(user, Suggestion).filter(town=town)
    stats = handling_statistics(suggestions=suggestions, year=year, today=today)
    on_time = sum(s.on_time for s in stats)
    figures.on_time_percent = percent(on_time, on_time + sum(s.late_or_overdue for s in stats))
    figures.satisfied_percent = percent(sum(s.satisfied for s in stats), sum(s.rated for s in stats))
    states = [(value, label) for value, label in State.choices if value != State.DRAFT]
    # One read for the overdue tile and the chart: the overdue ones (as Suggestion.objects.overdue) and the
    # year's submitted ones by state.
    counts = suggestions.aggregate(
        overdue=Count("pk", filter=Q(state__in=Suggestion.AWAITING_ANSWER, due_on__lt=today)),
        **{f"state_{value}": Count("pk", filter=Q(year=year, state=value)) for value, _l in states},
    )
    figures.suggestions_overdue = counts["overdue"]
    by_state = {value: counts[f"state_{value}"] for value, _l in states}
    figures.charts.append(
        Chart(
            key="suggestions",
            title=_("Suggestions by state"),
            kind="pie",
            categories=[str(label) for _v, label in states],
            series=[
                {
                    "name": _("Suggestions"),
                    "data": [by_state.get(value, 0) for value, _l in states],
                    "links": [link("suggestions:list", tab="all", state=value, year=year) for value, _l in states],
                }
            ],
        )
    )


def _opinions(figures: TownFigures, user: User, town: Town, year: int) -> None:
    rows = list(
        access.scope(user, Opinion)
        .filter(visit__town=town, visit__visited_on__year=year)
        .order_by()
        .values("category_id", "category__name")
        .annotate(n=Count("*"))  # COUNT(*): answered from the (visit, category) index alone
        .order_by("-n", "category__name")
    )
    first, last = f"{year}-01-01", f"{year}-12-31"
    figures.charts.append(
        Chart(
            key="opinions",
            title=_("Opinions by category"),
            kind="pie",
            categories=[r["category__name"] for r in rows],
            series=[
                {
                    "name": _("Opinions"),
                    "data": [r["n"] for r in rows],
                    "links": [
                        link("visits:ledger", opinion_category=r["category_id"], date_from=first, date_to=last)
                        for r in rows
                    ],
                }
            ],
        )
    )


# --- the home page's panels -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number of a home panel with the list that explains it."""

    label: str
    value: int | str
    url: str
    alert: bool = False


def deputy_panel(user: User, deputy: Deputy, *, today: dt.date) -> dict[str, Any]:
    """A deputy's home: the quota (month, year), paired households due, supervised projects, suggestions."""
    result = quota([deputy], today.year, today=today)[deputy.pk]
    month = result.month(today.month)
    month_first, month_last = month_range(today.year, today.month)
    due_pairs = Pairing.objects.filter(deputy=deputy).overdue_on(today).count()
    mine = access.scope(user, Suggestion).filter(proposers=deputy).distinct()
    by_state = dict(mine.submitted().order_by().values_list("state").annotate(n=Count("pk", distinct=True)))  # type: ignore[attr-defined]
    to_rate = mine.filter(state=State.ANSWERED).count()
    projects = list(
        access.scope(user, LivelihoodProject)  # type: ignore[attr-defined]
        .filter(supervisors=deputy, year=today.year)
        .adopted()
        .with_current_review()
        .order_by("position", "pk")
        .only("pk", "name", "position", "status")
    )
    figures = [
        Figure(
            _("My visits this month"),
            f"{month.visits} / {month.required}",
            link("visits:ledger", deputy=deputy.pk, date_from=month_first.isoformat(), date_to=month_last.isoformat()),
            alert=month.served and month.state != MonthState.MET,
        ),
        Figure(
            _("My households this year"),
            f"{result.households} / {result.household_target}",
            reverse("visits:my_duty"),
            alert=result.households < result.expected_so_far,
        ),
        Figure(_("Paired households due a visit"), due_pairs, link("visits:pair_list", overdue=1), alert=due_pairs > 0),
        Figure(
            _("Answers awaiting my rating"),
            to_rate,
            link("suggestions:list", tab="all", state=State.ANSWERED),
            alert=to_rate > 0,
        ),
    ]
    states = [
        Figure(str(label), by_state[value], link("suggestions:list", tab="all", state=value))
        for value, label in State.choices
        if by_state.get(value)
    ]
    return {"figures": figures, "suggestion_states": states, "projects": projects}


def staff_panel(user: User, town: Town, *, today: dt.date) -> list[Figure]:
    """The office's work of the day: targets due and overdue, rounds, opinions to triage, suggestions."""
    targets = access.scope(user, MonthlyTarget).filter(project__town=town)
    due_this_month = targets.filter(
        project__status=LivelihoodProject.Status.IN_PROGRESS, month=today.replace(day=1), completed_on__isnull=True
    ).count()
    overdue = targets.overdue_on(today).count()  # type: ignore[attr-defined]
    new_opinions = access.scope(user, Opinion).filter(visit__town=town, status=Opinion.Status.NEW).count()
    suggestions = access.scope(user, Suggestion).filter(town=town)
    counts = suggestions.aggregate(
        to_accept=Count("pk", filter=Q(state=State.SUBMITTED)),
        overdue=Count("pk", filter=Q(state__in=Suggestion.AWAITING_ANSWER, due_on__lt=today)),
        unsatisfied=Count("pk", filter=Q(state=State.REDO)),
    )
    return [
        Figure(_("Monthly targets due this month"), due_this_month, link("supervision:project_list", year=today.year)),
        Figure(
            _("Overdue monthly targets"),
            overdue,
            link("supervision:project_list", year=today.year, overdue_targets=1),
            alert=overdue > 0,
        ),
        Figure(
            _("Opinions to triage"),
            new_opinions,
            link("visits:opinion_triage", status=Opinion.Status.NEW),
            alert=new_opinions > 0,
        ),
        Figure(
            _("Suggestions to accept"), counts["to_accept"], link("suggestions:list", tab="all", state=State.SUBMITTED)
        ),
        Figure(
            _("Overdue suggestions"),
            counts["overdue"],
            link("suggestions:list", tab="overdue"),
            alert=counts["overdue"] > 0,
        ),
        Figure(
            _("Unsatisfied, handled again"),
            counts["unsatisfied"],
            link("suggestions:list", tab="all", state=State.REDO),
            alert=counts["unsatisfied"] > 0,
        ),
    ]


# --- the district ---------------------------------------------------------------------------------

DISTRICT_SORTS = ("quota", "coverage", "red", "on_time", "satisfied")


def district_rows(user: User, *, today: dt.date, sort: str = "") -> list[TownFigures]:
    """The towns the user reads, side by side: the tiles' figures of each (no charts), each figure read
    for every town at once, so the queries do not grow with the number of towns."""
    towns = list(access.towns(user).order_by("pk"))
    rows = {t.pk: TownFigures(town=t, today=today) for t in towns}
    if rows:
        _district_quota(rows, user, today)
        _district_coverage(rows, user, today.year)
        _district_lights(rows, user, today.year)
        _district_suggestions(rows, user, today)
    result = list(rows.values())
    keys = {
        "quota": lambda f: f.quota_percent,
        "coverage": lambda f: f.coverage_percent,
        "red": lambda f: -f.lights.get(Light.RED, 0),
        "on_time": lambda f: f.on_time_percent,
        "satisfied": lambda f: f.satisfied_percent,
    }
    if sort in keys:
        key = keys[sort]
        result.sort(key=lambda f: (key(f) is None, key(f) if key(f) is not None else 0))
    return result


def _district_quota(rows: dict[int, TownFigures], user: User, today: dt.date) -> None:
    deputies = list(
        access.scope(user, Deputy)  # type: ignore[attr-defined]
        .filter(town__in=list(rows))
        .serving_in_year(today.year)
        .only("pk", "town_id", "served_from", "served_until")
    )
    results = quota(deputies, today.year, today=today)
    for d in deputies:
        month = results[d.pk].month(today.month)
        if month.served:
            rows[d.town_id].deputies_serving_month += 1
            rows[d.town_id].deputies_met_month += month.state == MonthState.MET


def _district_coverage(rows: dict[int, TownFigures], user: User, year: int) -> None:
    visited = Visit.objects.filter(household=OuterRef("pk"), visited_on__year=year)
    for row in (
        access.scope(user, Household)  # type: ignore[attr-defined]
        .resident()
        .filter(town__in=list(rows))
        .annotate(seen=Exists(visited))
        .order_by()
        .values("town_id")
        .annotate(total=Count("pk"), visited=Count("pk", filter=Q(seen=True)))
    ):
        rows[row["town_id"]].households_total = row["total"]
        rows[row["town_id"]].households_visited = row["visited"]


def _district_lights(rows: dict[int, TownFigures], user: User, year: int) -> None:
    for figures in rows.values():
        figures.lights = dict.fromkeys((*LIGHTS, UNREVIEWED), 0)
    projects = (
        access.scope(user, LivelihoodProject)  # type: ignore[attr-defined]
        .filter(town__in=list(rows), year=year)
        .adopted()
        .with_current_review()
        .only("pk", "town_id")
    )
    for p in projects:
        rows[p.town_id].lights[p.current_light or UNREVIEWED] += 1


def _district_suggestions(rows: dict[int, TownFigures], user: User, today: dt.date) -> None:
    """On-time and satisfied rates from the departments' statistics, which name their town (a town's
    name is unique in its district; towns of several districts sharing a name are read one by one)."""
    by_name = {f.town.name: f for f in rows.values()}
    groups = [list(rows)] if len(by_name) == len(rows) else [[pk] for pk in rows]
    for town_ids in groups:
        suggestions = access.scope(user, Suggestion).filter(town__in=town_ids)
        stats = handling_statistics(suggestions=suggestions, year=today.year, today=today)
        for town_id in town_ids:
            figures = rows[town_id]
            mine = [s for s in stats if s.town == figures.town.name]
            on_time = sum(s.on_time for s in mine)
            figures.on_time_percent = percent(on_time, on_time + sum(s.late_or_overdue for s in mine))
            figures.satisfied_percent = percent(sum(s.satisfied for s in mine), sum(s.rated for s in mine))
