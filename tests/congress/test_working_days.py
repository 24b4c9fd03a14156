"""Working days: chinese_calendar wrapped by the admin-editable override table; the check days."""

import datetime as dt

import pytest

from congress.dates import first_working_day, is_working_day, monthly_visit_check_day
from congress.models import WorkingDayOverride

pytestmark = pytest.mark.django_db


def test_the_check_is_on_the_20th_when_it_is_a_working_day():
    assert monthly_visit_check_day(2026, 11) == dt.date(2026, 11, 20)


def test_the_20th_on_a_weekend_moves_to_monday():
    assert monthly_visit_check_day(2026, 12) == dt.date(2026, 12, 21)


def test_the_20th_in_the_spring_festival_moves_past_the_holiday():
    assert monthly_visit_check_day(2026, 2) == dt.date(2026, 2, 24)


def test_an_adjusted_working_sunday_keeps_the_check_on_the_20th():
    assert monthly_visit_check_day(2026, 9) == dt.date(2026, 9, 20)


def test_the_first_working_day_of_october_is_after_the_national_day_holiday():
    assert first_working_day(2026, 10) == dt.date(2026, 10, 8)


def test_an_override_makes_a_holiday_a_working_day():
    WorkingDayOverride.objects.create(day=dt.date(2026, 12, 20), is_working_day=True, note="调休")

    assert is_working_day(dt.date(2026, 12, 20))
    assert monthly_visit_check_day(2026, 12) == dt.date(2026, 12, 20)


def test_an_override_makes_a_working_day_a_holiday_in_a_year_the_calendar_does_not_know():
    WorkingDayOverride.objects.create(day=dt.date(2099, 1, 20), is_working_day=False, note="元旦调休")

    assert not is_working_day(dt.date(2099, 1, 20))
    assert monthly_visit_check_day(2099, 1) == dt.date(2099, 1, 21)
