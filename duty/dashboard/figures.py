"""The chairman's town dashboard and the district's comparison of its towns: the same tiles, read for
every town at once in grouped queries (a fixed number whatever the number of towns), and for one town
also the charts that come out of the same queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from congress import access
from congress.models import AnnualPlan, Deputy, Town, User
from duty import records
from duty.dashboard.base import UNREVIEWED, Chart, TownFigures, link, month_range, percent, scoped
from suggestions.models import Suggestion, SuggestionQuerySet
from suggestions.services import handling_statistics
from supervision.models import KeyProject, Light, LivelihoodProject, MonthlyTarget, Rectification
from visits.models import Household, Opinion, Visit
from visits.quota import MonthState, quota

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class ReviewFigures(TypedDict):
        """What LivelihoodProjectQuerySet.with_current_review annotates a project with (its declared return
        type does not say), and the count of overdue monthly targets _projects adds."""

        current_light: str | None
        current_planned: int | None
        current_actual: int | None
        overdue_targets: int

    ReviewedProject = WithAnnotations[LivelihoodProject, ReviewFigures]

State = Suggestion.State
overdue_condition = SuggestionQuerySet.overdue_condition


def town_figures(user: User, town: Town, *, today: dt.date) -> TownFigures:
    """Every tile and chart of the town dashboard, read through the user's scope, in fixed queries."""
    figures = _figures(user, [town], today=today, charts=True)[0]
    figures.charts.append(_opinions_chart(user, town, today.year))
    rectifications = scoped(user, Rectification.objects.all()).filter(town=town)
    checklist = records.checklist(
        town=town,
        year=today.year,
        today=today,
        plan=figures.plan,
        quotas=figures.quotas,
        # The open rectification items' tiles, read in the checklist's statement of counts.
        also_count={
            "rectifications_open": rectifications.open(),
            "rectifications_overdue": rectifications.overdue_on(today),
            "key_projects": KeyProject.objects.filter(town=town, year=today.year),
        },
    )
    figures.rectifications_open = checklist.also_counted["rectifications_open"]
    figures.rectifications_overdue = checklist.also_counted["rectifications_overdue"]
    figures.key_projects = checklist.also_counted["key_projects"]
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
        scoped(user, Deputy.objects.all())
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
        scoped(user, Household.objects.all())
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
        .overdue_on(today)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    projects = cast(
        "list[ReviewedProject]",
        list(
            scoped(user, LivelihoodProject.objects.all())
            .filter(town_id__in=list(by_town), year=year)
            .adopted()
            .with_current_review()
            .annotate(overdue_targets=Coalesce(Subquery(overdue), 0))
            .order_by("position", "pk")
            .only("pk", "name", "position", "town_id")
        ),
    )
    for p in projects:
        figures = by_town[p.town_id]
        figures.lights[p.current_light or UNREVIEWED] += 1
        figures.overdue_targets += p.overdue_targets
        figures.overdue_target_projects += p.overdue_targets > 0
    if not charts:
        return
    reviewed = [p for p in projects if p.current_actual is not None]
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
    suggestions = scoped(user, Suggestion.objects.all()).filter(town_id__in=list(by_town))
    stats = handling_statistics(suggestions=suggestions, year=year, today=today)
    for figures in by_town.values():
        mine = [s for s in stats if s.town_id == figures.town.pk]
        on_time = sum(s.on_time for s in mine)
        figures.on_time_percent = percent(on_time, on_time + sum(s.late_or_overdue for s in mine))
        figures.satisfied_percent = percent(sum(s.satisfied for s in mine), sum(s.rated for s in mine))
    if not charts:
        overdue = suggestions.overdue(today).order_by().values("town_id").annotate(n=Count("pk"))
        for row in overdue:
            by_town[row["town_id"]].suggestions_overdue = row["n"]
        return
    # One town: its overdue suggestions (of any year) beside the year's suggestions by state, in one aggregate.
    figures = _only_town(by_town)
    rows = (
        suggestions.submitted()
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
        scoped(user, Rectification.objects.all())
        .filter(town_id__in=list(by_town))
        .open()
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
