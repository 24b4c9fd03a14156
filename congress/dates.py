"""Calendar arithmetic the rules need: whole months (a reply is due 3 months after assignment) and
Chinese working days (a deputy has 20 working days to rate an answer).

`is_working_day` is the one place that decides what a working day is. It asks chinese_calendar,
whose data ends with the last year the State Council has published; an admin-editable override
table can later wrap this function without changing its callers.
"""

from __future__ import annotations

import calendar
import datetime as dt

import chinese_calendar


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's end (30 November + 3 = end of February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_working_day(day: dt.date) -> bool:
    """Whether offices work on `day`: public holidays off, adjusted weekend days (调休) on.

    Years beyond the published data fall back to Monday to Friday.
    """
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
