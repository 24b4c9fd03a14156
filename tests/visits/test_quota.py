import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import AnnualPlan, VisitMethod
from tests import factories as core
from tests.visits import factories
from visits.quota import MonthState, Pace, deputy_quota, quota

pytestmark = pytest.mark.django_db

MID_YEAR = dt.date(2026, 7, 1)


def visit(cast, day, deputies, household=None, method=VisitMethod.HOUSEHOLD, **kw):
    if household is None and method == VisitMethod.HOUSEHOLD:
        household = factories.HouseholdFactory(town=cast.town, village=cast.village)
    return factories.VisitFactory(
        town=cast.town,
        household=household,
        village=cast.village,
        visited_on=day,
        method=method,
        deputies=deputies,
        recorded_by=cast.staff,
        **kw,
    )


def test_a_visit_with_three_deputies_credits_each(cast):
    third = core.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
    visit(cast, dt.date(2026, 3, 5), [cast.deputy, cast.other_deputy, third])
    results = quota([cast.deputy, cast.other_deputy, third], 2026, today=MID_YEAR)
    assert [r.month(3).visits for r in results.values()] == [1, 1, 1]
    assert [r.households for r in results.values()] == [1, 1, 1]


def test_a_household_visited_twice_counts_once_a_year(cast):
    household = factories.HouseholdFactory(town=cast.town, village=cast.village)
    visit(cast, dt.date(2026, 3, 5), [cast.deputy], household)
    visit(cast, dt.date(2026, 5, 5), [cast.deputy], household)
    result = deputy_quota(cast.deputy, 2026, today=MID_YEAR)
    assert result.visits == 2
    assert result.households == 1


def test_an_unregistered_voter_counts_as_a_visit_but_not_a_household(cast):
    visit(cast, dt.date(2026, 3, 5), [cast.deputy], method=VisitMethod.STATION, voter_name="赵六")
    result = deputy_quota(cast.deputy, 2026, today=MID_YEAR)
    assert result.month(3).visits == 1
    assert result.households == 0


def test_phone_calls_do_not_count_by_default(cast):
    visit(cast, dt.date(2026, 3, 5), [cast.deputy], method=VisitMethod.PHONE)
    assert deputy_quota(cast.deputy, 2026, today=MID_YEAR).visits == 0


def test_visits_on_31_december_and_1_january_fall_in_their_own_years(cast):
    visit(cast, dt.date(2025, 12, 31), [cast.deputy])
    visit(cast, dt.date(2026, 1, 1), [cast.deputy])
    last_year = deputy_quota(cast.deputy, 2025, today=MID_YEAR)
    this_year = deputy_quota(cast.deputy, 2026, today=MID_YEAR)
    assert (last_year.month(12).visits, last_year.households) == (1, 1)
    assert (this_year.month(1).visits, this_year.households) == (1, 1)


def test_a_deputy_serving_from_10_july_needs_25_households(cast):
    cast.deputy.served_from = dt.date(2026, 7, 10)
    cast.deputy.save()
    result = deputy_quota(cast.deputy, 2026, today=MID_YEAR)
    assert result.served_months == 6
    assert result.household_target == 25
    assert result.month(6).state == MonthState.NOT_SERVED
    assert result.month(7).served


def test_a_month_needs_fifteen_days_in_office_to_count(cast):
    cast.deputy.served_from = dt.date(2026, 7, 18)  # 14 days of July
    cast.deputy.save()
    result = deputy_quota(cast.deputy, 2026, today=MID_YEAR)
    assert not result.month(7).served
    assert result.household_target == 21  # ceil(50 * 5 / 12)


def test_a_deputy_who_left_keeps_their_history(cast):
    visit(cast, dt.date(2026, 2, 10), [cast.deputy])
    visit(cast, dt.date(2026, 2, 20), [cast.deputy])
    cast.deputy.served_until = dt.date(2026, 4, 30)
    cast.deputy.save()
    result = deputy_quota(cast.deputy, 2026, today=dt.date(2027, 1, 10))
    assert result.served_months == 4
    assert result.month(2).state == MonthState.MET
    assert result.month(3).state == MonthState.MISSED
    assert result.month(5).state == MonthState.NOT_SERVED
    assert result.households == 2
    assert result.household_target == 17  # ceil(50 * 4 / 12)
    assert result.pace == Pace.NOT_MET


def test_changing_a_plan_number_changes_the_results(cast):
    visit(cast, dt.date(2026, 3, 5), [cast.deputy])
    before = deputy_quota(cast.deputy, 2026, today=MID_YEAR)
    assert before.month(3).state == MonthState.MISSED
    AnnualPlan.objects.create(town=cast.town, year=2026, visits_per_month=1, households_per_year=24)
    after = deputy_quota(cast.deputy, 2026, today=MID_YEAR)
    assert after.month(3).state == MonthState.MET
    assert after.household_target == 24


def test_counting_phone_calls_in_the_plan_counts_them(cast):
    visit(cast, dt.date(2026, 3, 5), [cast.deputy], method=VisitMethod.PHONE)
    AnnualPlan.objects.create(town=cast.town, year=2026, counted_visit_methods=["household", "phone"])
    assert deputy_quota(cast.deputy, 2026, today=MID_YEAR).visits == 1


def test_pace_compares_households_with_the_share_of_completed_months(cast):
    # Six completed months of twelve: 25 households expected so far.
    household_visits = [factories.HouseholdFactory(town=cast.town, village=cast.village) for _ in range(25)]
    for i, household in enumerate(household_visits):
        visit(cast, dt.date(2026, 1 + i % 6, 3), [cast.deputy], household)
    assert deputy_quota(cast.deputy, 2026, today=MID_YEAR).pace == Pace.ON_TRACK
    assert deputy_quota(cast.deputy, 2026, today=dt.date(2026, 8, 1)).pace == Pace.BEHIND
    result = deputy_quota(cast.deputy, 2026, today=dt.date(2026, 8, 1))
    assert result.expected_so_far == 30
    assert result.household_shortfall == 5


def test_the_current_month_is_in_progress_until_it_ends(cast):
    result = deputy_quota(cast.deputy, 2026, today=dt.date(2026, 7, 15))
    assert result.month(7).state == MonthState.IN_PROGRESS
    assert result.month(8).state == MonthState.UPCOMING
    assert not result.is_final


def test_other_towns_visits_never_count(cast):
    foreign_deputy = core.DeputyFactory(town=cast.other_town)
    factories.VisitFactory(town=cast.other_town, visited_on=dt.date(2026, 3, 3), deputies=[foreign_deputy])
    assert deputy_quota(cast.deputy, 2026, today=MID_YEAR).visits == 0
    assert deputy_quota(foreign_deputy, 2026, today=MID_YEAR).visits == 1


def test_a_whole_town_takes_the_same_few_queries_as_one_deputy(cast):
    deputies = [cast.deputy, cast.other_deputy] + [
        core.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency) for _ in range(20)
    ]
    for deputy in deputies:
        visit(cast, dt.date(2026, 3, 5), [deputy])
    with CaptureQueriesContext(connection) as one:
        quota(deputies[:1], 2026, today=MID_YEAR)
    with CaptureQueriesContext(connection) as many:
        results = quota(deputies, 2026, today=MID_YEAR)
    assert len(many) == len(one) == 3
    assert all(r.households == 1 for r in results.values())
