"""The visit quota (社情民意收集员): the one computation every page, export, dashboard and reminder uses.

For a deputy and a year, with the town's plan: a month counts as served when the deputy held office
for at least `served_month_min_days` of its days; each served month needs `visits_per_month` counted
visits (a visit record the deputy took part in, made by a method the plan counts); the year needs
ceil(households_per_year × served months / 12) distinct registered households among counted visits.
Year to date, the pace compares households with ceil(target × completed served months / served months).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import AnnualPlan, Deputy
from visits.models import DeputyHouseholdTally, DeputyMonthTally, Visit


class MonthState:
    NOT_SERVED = "not_served"
    UPCOMING = "upcoming"
    IN_PROGRESS = "in_progress"
    MET = "met"
    MISSED = "missed"


class Pace:
    NOT_SERVING = "not_serving"
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_MET = "not_met"


PACE_LABELS = {
    Pace.NOT_SERVING: _("not in office"),
    Pace.MET: _("met"),
    Pace.ON_TRACK: _("on track"),
    Pace.BEHIND: _("behind"),
    Pace.NOT_MET: _("not met"),
}


@dataclass(frozen=True)
class MonthQuota:
    month: int
    served: bool
    visits: int
    required: int
    state: str

    @property
    def met(self) -> bool | None:
        """达标 / 未达标 for a month that is over; None while it is open or was not served."""
        if self.state == MonthState.MET:
            return True
        if self.state == MonthState.MISSED:
            return False
        return None


@dataclass(frozen=True)
class DeputyQuota:
    deputy_id: int
    year: int
    months: tuple[MonthQuota, ...]
    visits: int
    households: int
    household_target: int
    served_months: int
    completed_served_months: int
    expected_so_far: int
    pace: str
    is_final: bool

    @property
    def months_missed(self) -> int:
        return sum(1 for m in self.months if m.state == MonthState.MISSED)

    @property
    def months_met(self) -> int:
        return sum(1 for m in self.months if m.state == MonthState.MET)

    @property
    def household_shortfall(self) -> int:
        """Households still missing against the pace so far (the whole target once the year is over)."""
        return max(0, self.expected_so_far - self.households)

    @property
    def percent(self) -> int:
        if not self.household_target:
            return 100
        return min(100, self.households * 100 // self.household_target)

    @property
    def pace_label(self) -> str:
        return str(PACE_LABELS[self.pace])

    def month(self, number: int) -> MonthQuota:
        return self.months[number - 1]


def quota(
    deputies: Iterable[Deputy],
    year: int,
    *,
    today: dt.date | None = None,
    plans: Mapping[int, AnnualPlan] | None = None,
) -> dict[int, DeputyQuota]:
    """The quota of each deputy for `year`, keyed by deputy id, in at most five queries whatever their number.
    `plans`: the year's plans by town, when the caller has read them (one query fewer)."""
    deputies = list(deputies)
    if not deputies:
        return {}
    today = today or timezone.localdate()
    town_ids = {d.town_id for d in deputies}
    if plans is None:
        plans = {p.town_id: p for p in AnnualPlan.objects.filter(town_id__in=town_ids, year=year)}
    plans = {t: plans.get(t) or AnnualPlan(town_id=t, year=year) for t in town_ids}

    # A deputy in office the whole year: every visit of the year counts by method alone, so the kept-up
    # tallies answer. One whose term starts or ends within it: the visits are asked, term and all.
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    whole_year = [d for d in deputies if d.served_from <= first and (d.served_until is None or d.served_until >= last)]
    partly = [d for d in deputies if d not in whole_year]
    visits_by_month: dict[int, dict[int, int]] = defaultdict(dict)
    households: dict[int, int] = {}
    if whole_year:
        ids = [d.pk for d in whole_year]
        months = DeputyMonthTally.objects.filter(
            _counted_methods(plans), deputy_id__in=ids, month__gte=first, month__lte=last
        )
        for deputy_id, month, n in (
            months.values("deputy_id", "month")
            .annotate(n=Sum("visits"))
            .order_by()
            .values_list("deputy_id", "month", "n")
        ):
            visits_by_month[deputy_id][month.month] = n
        households.update(
            DeputyHouseholdTally.objects.filter(_counted_methods(plans), deputy_id__in=ids, year=year)
            .values("deputy_id")
            .annotate(n=Count("household_id", distinct=True))
            .order_by()
            .values_list("deputy_id", "n")
        )
    if partly:
        counted = _counted_participations(partly, year, plans)
        for row in counted.values("deputy_id", "month").annotate(n=Count("visit_id", distinct=True)).order_by():
            visits_by_month[row["deputy_id"]][row["month"]] = row["n"]
        households.update(
            counted.values("deputy_id")
            .annotate(n=Count("visit__household_id", distinct=True))
            .order_by()
            .values_list("deputy_id", "n")
        )
    return {
        d.pk: _deputy_quota(d, year, plans[d.town_id], visits_by_month[d.pk], households.get(d.pk, 0), today)
        for d in deputies
    }


def deputy_quota(deputy: Deputy, year: int, *, today: dt.date | None = None) -> DeputyQuota:
    return quota([deputy], year, today=today)[deputy.pk]


def counted_visits(deputy: Deputy, year: int) -> int:
    """Counted visits of a deputy in a year, for cross-checks against the quota figures."""
    plan = AnnualPlan.objects.for_town_year(deputy.town_id, year)
    return (
        Visit.objects.filter(deputies=deputy, visited_on__year=year, method__in=plan.counted_visit_methods)
        .distinct()
        .count()
    )


def _counted_methods(plans: dict[int, AnnualPlan], method: str = "method") -> Q:
    """The methods each deputy's town counts (the plan's), as a condition on `method`."""
    condition = Q(pk__in=[])
    for town_id, plan in plans.items():
        condition |= Q(deputy__town_id=town_id, **{f"{method}__in": list(plan.counted_visit_methods)})
    return condition


def _counted_participations(deputies: list[Deputy], year: int, plans: dict[int, AnnualPlan]) -> QuerySet[Any]:
    """Rows of (deputy, visit) that count: in the year, by a method the town counts, while in office."""
    by_method = _counted_methods(plans, "visit__method")
    in_office = Q(visit__visited_on__gte=F("deputy__served_from")) & (
        Q(deputy__served_until__isnull=True) | Q(visit__visited_on__lte=F("deputy__served_until"))
    )
    in_year = Q(visit__visited_on__gte=dt.date(year, 1, 1), visit__visited_on__lte=dt.date(year, 12, 31))
    # A deputy's visits are in the deputy's town (record_visit sees to it). Saying so lets PostgreSQL
    # start from the town's visits of the year on the ledger index instead of every year of each deputy.
    in_towns = Q(visit__town_id__in=list(plans))
    return (
        Visit.deputies.through.objects.filter(
            by_method, in_office, in_year, in_towns, deputy_id__in=[d.pk for d in deputies]
        )
        .annotate(month=ExtractMonth("visit__visited_on"))
        .order_by()
    )


def _days_in_office(deputy: Deputy, start: dt.date, end: dt.date) -> int:
    first = max(start, deputy.served_from)
    last = min(end, deputy.served_until) if deputy.served_until else end
    return max(0, (last - first).days + 1)


def _deputy_quota(
    deputy: Deputy, year: int, plan: AnnualPlan, visits: dict[int, int], households: int, today: dt.date
) -> DeputyQuota:
    months = []
    served = completed = 0
    for number in range(1, 13):
        length = calendar.monthrange(year, number)[1]
        start, end = dt.date(year, number, 1), dt.date(year, number, length)
        is_served = _days_in_office(deputy, start, end) >= min(plan.served_month_min_days, length)
        count = visits.get(number, 0)
        required = plan.visits_per_month if is_served else 0
        if not is_served:
            state = MonthState.NOT_SERVED
        elif end < today:
            state = MonthState.MET if count >= required else MonthState.MISSED
            completed += 1
        elif start > today:
            state = MonthState.UPCOMING
        else:
            state = MonthState.MET if count >= required else MonthState.IN_PROGRESS
        served += is_served
        months.append(MonthQuota(number, is_served, count, required, state))

    target = _ceil_div(plan.households_per_year * served, 12)
    expected = _ceil_div(target * completed, served) if served else 0
    is_final = dt.date(year, 12, 31) < today
    if not served:
        pace = Pace.NOT_SERVING
    elif households >= target:
        pace = Pace.MET
    elif is_final:
        pace = Pace.NOT_MET
    elif households >= expected:
        pace = Pace.ON_TRACK
    else:
        pace = Pace.BEHIND
    return DeputyQuota(
        deputy_id=deputy.pk,
        year=year,
        months=tuple(months),
        visits=sum(visits.values()),
        households=households,
        household_target=target,
        served_months=served,
        completed_served_months=completed,
        expected_so_far=expected,
        pace=pace,
        is_final=is_final,
    )


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)
