"""Monthly targets scheduled back from the deadline (倒排工期): pure arithmetic, no database."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class PlannedMonth:
    month: dt.date  # the first day of the month
    planned_percent: int
    target: str = ""


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of every month from `first`'s month to `last`'s month, both included."""
    month, end = first_of_month(first), first_of_month(last)
    months = []
    while month <= end:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def spread(months: Sequence[dt.date], *, base: int = 0) -> list[PlannedMonth]:
    """Cumulative whole percents rising evenly from `base` to exactly 100 in the last month.

    Each month gets base + (100 - base) * i / n rounded half up, so the steps differ by at most one
    point, the sequence never decreases and the last month is 100.
    """
    n = len(months)
    remaining = 100 - base
    return [
        PlannedMonth(month=m, planned_percent=base + (2 * remaining * i + n) // (2 * n))
        for i, m in enumerate(months, start=1)
    ]


def propose(start: dt.date, deadline: dt.date) -> list[PlannedMonth]:
    """One row per month from the start month to the deadline month, spread evenly to 100."""
    return spread(months_between(start, deadline))


def respread(
    current: Sequence[PlannedMonth], *, new_deadline: dt.date, reviewed_through: dt.date | None, start: dt.date
) -> list[PlannedMonth]:
    """The targets after moving the deadline: the months up to the last reviewed one stay as they are,
    the rest spreads evenly from the last kept percentage to 100 in the new deadline month.

    Raises ValueError when the new deadline falls in or before the last reviewed month.
    """
    if reviewed_through is None:
        kept: list[PlannedMonth] = []
        base, first_new = 0, start
    else:
        if first_of_month(new_deadline) <= first_of_month(reviewed_through):
            raise ValueError("the new deadline must come after the last reviewed month")
        kept = [row for row in current if row.month <= first_of_month(reviewed_through)]
        base = kept[-1].planned_percent if kept else 0
        first_new = months_between(first_of_month(reviewed_through), new_deadline)[1]
    texts = {row.month: row.target for row in current}
    fresh = [
        PlannedMonth(month=row.month, planned_percent=row.planned_percent, target=texts.get(row.month, ""))
        for row in spread(months_between(first_new, new_deadline), base=base)
    ]
    return kept + fresh


def problems(rows: Iterable[PlannedMonth], *, start: dt.date, deadline: dt.date) -> list[str]:
    """What is wrong with a set of targets edited by hand, as translated sentences (empty when fine)."""
    rows = list(rows)
    found = []
    if [row.month for row in rows] != months_between(start, deadline):
        found.append(_("There must be one target for each month from the start to the deadline."))
    percents = [row.planned_percent for row in rows]
    if any(p < 0 or p > 100 for p in percents):
        found.append(_("Percentages run from 0 to 100."))
    if any(later < earlier for earlier, later in itertools.pairwise(percents)):
        found.append(_("The cumulative percentage never decreases."))
    if percents and percents[-1] != 100:
        found.append(_("The deadline month must reach 100 percent."))
    return found
