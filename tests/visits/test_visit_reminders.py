"""The monthly visit check and the pace check, as the daily sweep runs them."""

import datetime as dt

import pytest

from congress.models import Notification, WorkingDayOverride
from congress.reminders import run_sweep
from tests import factories as core
from tests.visits import factories
from visits.tasks import monthly_visit_reminders, pace_reminders

pytestmark = pytest.mark.django_db

CHECK_DAY = dt.date(2026, 11, 20)


def visit(cast, day, deputy, household=None):
    household = household or factories.HouseholdFactory(town=cast.town, village=cast.village)
    return factories.VisitFactory(town=cast.town, household=household, visited_on=day, deputies=[deputy])


def monthly(day, user):
    return [r for r in monthly_visit_reminders(day) if r.recipient == user]


def test_a_deputy_under_the_monthly_target_is_told_what_is_missing_and_who_is_unvisited(cast):
    visit(cast, dt.date(2026, 11, 3), cast.deputy)
    factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="王未访", address="北房村8号")

    (reminder,) = monthly(CHECK_DAY, cast.deputy_user)

    assert (reminder.kind, reminder.subject, reminder.period) == (
        "visits.monthly",
        f"deputy:{cast.deputy.pk}",
        "2026-11",
    )
    assert "1" in reminder.title
    assert "王未访（北房村8号）" in reminder.body
    assert "1/2" in reminder.reason


def test_a_deputy_who_met_the_target_is_told_nothing(cast):
    visit(cast, dt.date(2026, 11, 3), cast.deputy)
    visit(cast, dt.date(2026, 11, 12), cast.deputy)

    assert monthly(CHECK_DAY, cast.deputy_user) == []


def test_a_deputy_who_took_office_this_month_is_not_checked_for_it(cast):
    cast.deputy.served_from = dt.date(2026, 11, 18)
    cast.deputy.save(update_fields=["served_from"])

    assert monthly(CHECK_DAY, cast.deputy_user) == []


def test_nothing_is_checked_the_day_before_the_check_day(cast):
    assert monthly_visit_reminders(dt.date(2026, 11, 19)) == []


def test_when_the_20th_is_a_sunday_the_check_runs_on_monday(cast):
    assert monthly_visit_reminders(dt.date(2026, 12, 20)) == []
    assert monthly(dt.date(2026, 12, 21), cast.deputy_user)


def test_when_the_20th_is_a_holiday_the_check_runs_on_the_next_working_day(cast):
    assert monthly_visit_reminders(dt.date(2026, 2, 20)) == []
    assert monthly_visit_reminders(dt.date(2026, 2, 23)) == []
    assert monthly(dt.date(2026, 2, 24), cast.deputy_user)


def test_an_override_moves_the_check(cast):
    WorkingDayOverride.objects.create(day=CHECK_DAY, is_working_day=False, note="临时放假")

    assert monthly_visit_reminders(CHECK_DAY) == []
    assert monthly(dt.date(2026, 11, 23), cast.deputy_user)


def test_a_deputy_behind_the_yearly_pace_is_told_on_the_first_working_day(cast):
    (reminder,) = [r for r in pace_reminders(dt.date(2026, 11, 2)) if r.recipient == cast.deputy_user]

    assert reminder.kind == "visits.pace"
    assert "42" in reminder.body  # 50 households a year, 10 of 12 months completed


def test_the_pace_check_waits_for_the_first_working_day(cast):
    assert pace_reminders(dt.date(2026, 11, 1)) == []  # a Sunday


def test_a_deputy_on_pace_is_not_told(cast):
    core.AnnualPlanFactory(town=cast.town, year=2026, households_per_year=12)
    for month in range(1, 11):
        visit(cast, dt.date(2026, month, 5), cast.deputy)

    assert [r for r in pace_reminders(dt.date(2026, 11, 2)) if r.recipient == cast.deputy_user] == []


def test_the_sweep_sends_the_check_once_however_often_it_runs(cast):
    run_sweep(CHECK_DAY)
    run_sweep(CHECK_DAY)

    assert Notification.objects.filter(recipient=cast.deputy_user, kind="visits.monthly").count() == 1
