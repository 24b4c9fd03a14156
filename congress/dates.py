"""Calendar arithmetic the rules need: whole months (a reply is due 3 months after assignment) and
Chinese working days (a deputy has 20 working days to rate an answer).

`is_working_day` is the one place that decides what a working day is. It asks chinese_calendar,
whose data ends with the last year the State Council has published, wrapped by the admin-editable
WorkingDayOverride table, which wins where it has a row.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import chinese_calendar
from django.utils import timezone

from congress.models import WorkingDayOverride

# Within `overrides_read_once()`: every override row, read once (the table holds a few dozen days).
_overrides: ContextVar[dict[dt.date, bool] | None] = ContextVar("working_day_overrides", default=None)


@contextmanager
def overrides_read_once() -> Iterator[None]:
    """Read the override table once for a block that asks about many days (the daily sweep)."""

    token = _overrides.set(dict(WorkingDayOverride.objects.values_list("day", "is_working_day")))
    try:
        yield
    finally:
        _overrides.reset(token)


def at_start_of(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the portal's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's end (30 November + 3 = end of February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_working_day(day: dt.date) -> bool:
    """Whether offices work on `day`: an override row first, then public holidays off and adjusted
    weekend days (调休) on; years beyond the published data fall back to Monday to Friday.
    """

    known = _overrides.get()
    if known is not None:
        override: bool | None = known.get(day)
    else:
        override = WorkingDayOverride.objects.filter(day=day).values_list("is_working_day", flat=True).first()
    if override is not None:
        return bool(override)
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day` (`day` itself is not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def next_working_day_from(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the next working day."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def monthly_visit_check_day(year: int, month: int) -> dt.date:
    """The day of the monthly visit check: the 20th, or the next working day when the 20th is not one."""
    return next_working_day_from(dt.date(year, month, 20))


def first_working_day(year: int, month: int) -> dt.date:
    return next_working_day_from(dt.date(year, month, 1))
