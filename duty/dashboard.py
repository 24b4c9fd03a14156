"""The read side across apps: the chairman's town dashboard, the deputy's and the staff's home panels and
the district comparison. Every figure comes with the URL of the filtered list that explains it, and
each dashboard reads a fixed number of queries whatever the number of deputies, households or projects.

Quota figures come from visits.quota (the one quota engine); suggestion rates from
suggestions.services.handling_statistics; project lights are the lights recorded in review rounds
(supervision.services.record_review lights them with supervision.lights).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from congress import access
from congress.models import AnnualPlan, Deputy, Notification, Town, User
from duty import records
from suggestions.models import Suggestion, SuggestionQuerySet
from suggestions.services import handling_statistics
from supervision.models import Light, LivelihoodProject, MonthlyTarget, Rectification, ReviewRound
from visits.models import Household, Opinion, Pairing, Visit
from visits.quota import DeputyQuota, MonthState, quota

State = Suggestion.State
overdue_condition = SuggestionQuerySet.overdue_condition
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


def town_figures(user: User, town: Town, *, today: dt.date) -> TownFigures:
    """Every tile and chart of the town dashboard, read through the user's scope, in fixed queries."""
    figures = _figures(user, [town], today=today, charts=True)[0]
    figures.charts.append(_opinions_chart(user, town, today.year))
    rectifications = access.scope(user, Rectification).filter(town=town)
    checklist = records.checklist(
        town=town,
        year=today.year,
        today=today,
        plan=figures.plan,
        quotas=figures.quotas,
        # The open rectification items' tiles, read in the checklist's statement of counts.
        also_count={
            "rectifications_open": rectifications.open(),  # type: ignore[attr-defined]
            "rectifications_overdue": rectifications.overdue_on(today),  # type: ignore[attr-defined]
        },
    )
    figures.rectifications_open = checklist.also_counted["rectifications_open"]
    figures.rectifications_overdue = checklist.also_counted["rectifications_overdue"]
    figures.checklist_done = checklist.count(records.DONE)
    figures.checklist_total = len(checklist.lines)
    order = ["visits_by_month", "coverage", "deputies", "projects", "suggestions", "opinions"]
    figures.charts.sort(key=lambda c: order.index(c.key))
    return figures


def _figures(user: User, towns: list[Town], *, today: dt.date, charts: bool) -> list[TownFigures]:
    """The tiles of several towns in one set of grouped queries, whatever their number; with `charts`
    (one town) also the charts that come out of the same queries."""
    by_town = {t.pk: TownFigures(town=t, today=today) for t in towns}
    _visit_quota(by_town, user, today, charts)
    _visits_and_coverage(by_town, user, today.year, charts)
    _projects(by_town, user, today, charts)
    _suggestions(by_town, user, today, charts)
    if not charts:  # one town's are read with its checklist (town_figures)
        _rectifications(by_town, user, today)
    return list(by_town.values())


def _only_town(by_town: dict[int, TownFigures]) -> TownFigures:
    (figures,) = by_town.values()
    return figures


def _visit_quota(by_town: dict[int, TownFigures], user: User, today: dt.date, charts: bool) -> None:
    year = today.year
    deputies = list(
        access.scope(user, Deputy)  # type: ignore[attr-defined]
        .filter(town_id__in=list(by_town))
        .serving_in_year(year)
        .order_by("pk")
        .only("pk", "name", "town_id", "served_from", "served_until")
    )
    plans = None
    if charts:  # one town: its plan is read here once, for the quota and the checklist
        figures = _only_town(by_town)
        figures.plan = AnnualPlan.objects.for_town_year(figures.town, year)
        plans = {figures.town.pk: figures.plan}
    results = quota(deputies, year, today=today, plans=plans)
    for d in deputies:
        month = results[d.pk].month(today.month)
        figures = by_town[d.town_id]
        figures.quotas[d.pk] = results[d.pk]
        figures.deputies_serving_month += month.served
        figures.deputies_met_month += month.served and month.state == MonthState.MET
    if not charts:
        return
    town = _only_town(by_town).town.pk
    ranked = sorted(deputies, key=lambda d: (-results[d.pk].households, d.name, d.pk))
    first, last = f"{year}-01-01", f"{year}-12-31"
    _only_town(by_town).charts.append(
        Chart(
            key="deputies",
            title=_("Each deputy's households this year against the target"),
            kind="bar",
            categories=[d.name for d in ranked],
            series=[
                {
                    "name": _("Households visited"),
                    "data": [results[d.pk].households for d in ranked],
                    "links": [
                        link("visits:ledger", deputy=d.pk, date_from=first, date_to=last, town=town) for d in ranked
                    ],
                },
                {
                    "name": _("Target"),
                    "type": "line",
                    "data": [results[d.pk].household_target for d in ranked],
                    "links": [link("visits:quota_overview", year=year, town=town) for _d in ranked],
                },
            ],
        )
    )


def _visits_and_coverage(by_town: dict[int, TownFigures], user: User, year: int, charts: bool) -> None:
    visited = Visit.objects.filter(household=OuterRef("pk"), visited_on__year=year)
    villages = list(
        access.scope(user, Household)  # type: ignore[attr-defined]
        .resident()
        .filter(town_id__in=list(by_town))
        .annotate(seen=Exists(visited))
        .order_by()
        .values("town_id", "village_id", "village__name")
        .annotate(total=Count("pk"), visited=Count("pk", filter=Q(seen=True)))
        .order_by("village__name", "village_id")
    )
    for v in villages:
        by_town[v["town_id"]].households_total += v["total"]
        by_town[v["town_id"]].households_visited += v["visited"]
    if not charts:
        return
    figures = _only_town(by_town)
    town = figures.town.pk
    by_month: dict[tuple[int, int], int] = defaultdict(int)
    rows = (
        access.scope(user, Visit)
        .filter(town_id=town, visited_on__gte=dt.date(year - 1, 1, 1), visited_on__lte=dt.date(year, 12, 31))
        .annotate(y=ExtractYear("visited_on"), m=ExtractMonth("visited_on"))
        .order_by()
        .values("y", "m")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        by_month[(row["y"], row["m"])] = row["n"]

    def month_links(y: int) -> list[str]:
        ranges = [month_range(y, m) for m in range(1, 13)]
        return [link("visits:ledger", date_from=a.isoformat(), date_to=b.isoformat(), town=town) for a, b in ranges]

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

    def village_links(**filters: Any) -> list[str]:
        return [
            link("visits:household_list", village=v["village_id"], status="resident", town=town, **filters)
            for v in villages
        ]

    figures.charts.append(
        Chart(
            key="coverage",
            title=_("Household coverage by village"),
            kind="hbar",
            categories=[v["village__name"] for v in villages],
            series=[
                {"name": _("Visited"), "data": [v["visited"] for v in villages], "links": village_links(visited=year)},
                {
                    "name": _("Not visited yet"),
                    "data": [v["total"] - v["visited"] for v in villages],
                    "links": village_links(unvisited=year),
                },
            ],
        )
    )


def _projects(by_town: dict[int, TownFigures], user: User, today: dt.date, charts: bool) -> None:
    year = today.year
    # Each project's overdue monthly targets (as MonthlyTarget.objects.overdue_on) in the same statement.
    overdue = (
        MonthlyTarget.objects.filter(project=OuterRef("pk"))
        .overdue_on(today)  # type: ignore[attr-defined]
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    projects = list(
        access.scope(user, LivelihoodProject)  # type: ignore[attr-defined]
        .filter(town_id__in=list(by_town), year=year)
        .adopted()
        .with_current_review()
        .annotate(overdue_targets=Coalesce(Subquery(overdue), 0))
        .order_by("position", "pk")
        .only("pk", "name", "position", "town_id")
    )
    for p in projects:
        figures = by_town[p.town_id]
        figures.lights[p.current_light or UNREVIEWED] += 1  # type: ignore[attr-defined]
        figures.overdue_targets += p.overdue_targets  # type: ignore[attr-defined]
        figures.overdue_target_projects += p.overdue_targets > 0  # type: ignore[attr-defined]
    if not charts:
        return
    reviewed = [p for p in projects if p.current_actual is not None]  # type: ignore[attr-defined]
    _only_town(by_town).charts.append(
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


def _suggestions(by_town: dict[int, TownFigures], user: User, today: dt.date, charts: bool) -> None:
    year = today.year
    suggestions = access.scope(user, Suggestion).filter(town_id__in=list(by_town))
    stats = handling_statistics(suggestions=suggestions, year=year, today=today)
    for figures in by_town.values():
        mine = [s for s in stats if s.town_id == figures.town.pk]
        on_time = sum(s.on_time for s in mine)
        figures.on_time_percent = percent(on_time, on_time + sum(s.late_or_overdue for s in mine))
        figures.satisfied_percent = percent(sum(s.satisfied for s in mine), sum(s.rated for s in mine))
    if not charts:
        overdue = suggestions.overdue(today).order_by().values("town_id").annotate(n=Count("pk"))  # type: ignore[attr-defined]
        for row in overdue:
            by_town[row["town_id"]].suggestions_overdue = row["n"]
        return
    # One town: its overdue suggestions (of any year) beside the year's suggestions by state, in one aggregate.
    figures = _only_town(by_town)
    rows = (
        suggestions.submitted()  # type: ignore[attr-defined]
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk", filter=Q(year=year)), overdue=Count("pk", filter=overdue_condition(today)))
    )
    by_state: dict[str, int] = {}
    for state, n, overdue_n in rows:
        by_state[state] = n
        figures.suggestions_overdue += overdue_n
    states = [(value, label) for value, label in State.choices if value != State.DRAFT]
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
                    "links": [
                        link("suggestions:list", tab="all", state=value, year=year, town=figures.town.pk)
                        for value, _l in states
                    ],
                }
            ],
        )
    )


def _rectifications(by_town: dict[int, TownFigures], user: User, today: dt.date) -> None:
    """Rectification items (整改事项) not yet closed by a look-back (回头看), and those past their due date."""
    rows = (
        access.scope(user, Rectification)
        .filter(town_id__in=list(by_town))
        .open()  # type: ignore[attr-defined]
        .order_by()
        .values("town_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    for row in rows:
        by_town[row["town_id"]].rectifications_open = row["n"]
        by_town[row["town_id"]].rectifications_overdue = row["overdue"]


def _opinions_chart(user: User, town: Town, year: int) -> Chart:
    rows = list(
        access.scope(user, Opinion)
        .filter(visit__town=town, visit__visited_on__year=year)
        .order_by()
        .values("category_id", "category__name")
        .annotate(n=Count("*"))  # COUNT(*): answered from the (visit, category) index alone
        .order_by("-n", "category__name")
    )
    first, last = f"{year}-01-01", f"{year}-12-31"
    return Chart(
        key="opinions",
        title=_("Opinions by category"),
        kind="pie",
        categories=[r["category__name"] for r in rows],
        series=[
            {
                "name": _("Opinions"),
                "data": [r["n"] for r in rows],
                "links": [
                    link(
                        "visits:ledger",
                        opinion_category=r["category_id"],
                        date_from=first,
                        date_to=last,
                        town=town.pk,
                    )
                    for r in rows
                ],
            }
        ],
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
    """A deputy's home: the quota (month, year), paired households due, supervised projects, suggestions
    and answers to rate, unread notifications."""
    result = quota([deputy], today.year, today=today)[deputy.pk]
    month = result.month(today.month)
    month_first, month_last = month_range(today.year, today.month)
    due_pairs = Pairing.objects.filter(deputy=deputy).overdue_on(today).count()
    mine = access.scope(user, Suggestion).filter(proposers=deputy).distinct()
    by_state = dict(mine.submitted().order_by().values_list("state").annotate(n=Count("pk", distinct=True)))  # type: ignore[attr-defined]
    to_rate = mine.filter(state=State.ANSWERED).count()
    unread = Notification.objects.filter(recipient=user).unread().count()  # type: ignore[attr-defined]
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
        Figure(_("My unread notifications"), unread, reverse("congress:inbox"), alert=unread > 0),
    ]
    states = [
        Figure(str(label), by_state[value], link("suggestions:list", tab="all", state=value))
        for value, label in State.choices
        if by_state.get(value)
    ]
    return {"figures": figures, "suggestion_states": states, "projects": projects}


def staff_panel(user: User, town: Town, *, today: dt.date) -> list[Figure]:
    """The office's work of the day: rounds and targets due, overdue items, opinions to triage,
    unsatisfactory suggestions and rectifications awaiting a look-back."""
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
    plan = AnnualPlan.objects.for_town_year(town, today.year)
    opened = set(access.scope(user, ReviewRound).filter(town=town, year=today.year).values_list("month", flat=True))
    rounds_due = sum(1 for m in plan.review_months or [] if m <= today.month and m not in opened)
    look_backs = access.scope(user, Rectification).filter(town=town).open().count()  # type: ignore[attr-defined]
    return [
        Figure(
            _("Review rounds due and not opened"),
            rounds_due,
            reverse("supervision:round_list"),
            alert=rounds_due > 0,
        ),
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
        Figure(
            _("Rectifications awaiting a look-back"),
            look_backs,
            reverse("supervision:rectification_list"),
            alert=look_backs > 0,
        ),
    ]


# --- the district ---------------------------------------------------------------------------------

DISTRICT_SORTS = ("quota", "coverage", "red", "on_time", "satisfied")


def district_rows(user: User, *, today: dt.date, sort: str = "") -> list[TownFigures]:
    """The towns the user reads, side by side, in a fixed number of queries whatever their number."""
    rows = _figures(user, list(access.towns(user).order_by("pk")), today=today, charts=False)
    keys = {
        "quota": lambda f: f.quota_percent,
        "coverage": lambda f: f.coverage_percent,
        "red": lambda f: -f.lights.get(Light.RED, 0),
        "on_time": lambda f: f.on_time_percent,
        "satisfied": lambda f: f.satisfied_percent,
    }
    if sort in keys:
        key = keys[sort]
        rows.sort(key=lambda f: (key(f) is None, key(f) if key(f) is not None else 0))
    return rows
