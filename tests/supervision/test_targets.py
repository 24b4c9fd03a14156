import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from supervision import schedule, services
from supervision.models import LivelihoodProject, MonthlyTarget
from supervision.schedule import PlannedMonth
from tests.supervision.factories import LivelihoodProjectFactory, ProjectReviewFactory, ReviewRoundFactory


def percents(rows):
    return [row.planned_percent for row in rows]


def test_three_months_spread_in_whole_percents_rounding_half_up():
    rows = schedule.propose(dt.date(2026, 4, 10), dt.date(2026, 6, 30))
    assert [r.month for r in rows] == [dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert percents(rows) == [33, 67, 100]


def test_eight_months_round_the_halves_up():
    rows = schedule.propose(dt.date(2026, 2, 1), dt.date(2026, 9, 30))
    assert percents(rows) == [13, 25, 38, 50, 63, 75, 88, 100]


def test_a_project_within_one_month_plans_100_in_it():
    assert percents(schedule.propose(dt.date(2026, 5, 3), dt.date(2026, 5, 28))) == [100]


def test_spreading_crosses_the_year_end():
    rows = schedule.propose(dt.date(2026, 11, 1), dt.date(2027, 2, 28))
    assert [r.month for r in rows][-1] == dt.date(2027, 2, 1)
    assert percents(rows) == [25, 50, 75, 100]


# A pure function over dates: 200 spreads cover month counts 0–40 and bases 0–100 in about a second.
@settings(max_examples=200)
@given(
    start=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)),
    months=st.integers(min_value=0, max_value=40),
    base=st.integers(min_value=0, max_value=100),
)
def test_spreading_is_even_never_decreases_and_ends_at_100(start, months, base):
    month_list = schedule.months_between(start, start + dt.timedelta(days=31 * months))
    values = percents(schedule.spread(month_list, base=base))
    assert values[-1] == 100
    steps = [b - a for a, b in zip([base, *values], values, strict=False)]
    assert all(step >= 0 for step in steps)
    assert max(steps) - min(steps) <= 1


def test_saving_the_proposal_writes_one_row_per_month(cast):
    project = LivelihoodProjectFactory(town=cast.town, start=dt.date(2026, 3, 1), deadline=dt.date(2026, 9, 30))
    services.save_targets(project=project, by=cast.staff, rows=services.proposed_targets(project))
    assert list(project.targets.values_list("planned_percent", flat=True)) == [14, 29, 43, 57, 71, 86, 100]


@pytest.mark.parametrize(
    "values",
    [
        [30, 20, 100],  # decreasing
        [30, 60, 90],  # not 100 in the deadline month
        [30, 60, 100, 100],  # a month after the deadline
        [50, 100],  # a month missing
    ],
)
def test_hand_edited_targets_must_rise_to_100_within_the_schedule(cast, values):
    project = LivelihoodProjectFactory(town=cast.town, start=dt.date(2026, 4, 1), deadline=dt.date(2026, 6, 30))
    months = schedule.months_between(dt.date(2026, 4, 1), dt.date(2026, 12, 1))
    rows = [PlannedMonth(month=m, planned_percent=p) for m, p in zip(months, values, strict=False)]
    with pytest.raises(ValidationError):
        services.save_targets(project=project, by=cast.staff, rows=rows)
    assert not MonthlyTarget.objects.exists()


def scheduled_project(cast):
    """March to August, reviewed in April at the planned 33%."""
    project = LivelihoodProjectFactory(town=cast.town, start=dt.date(2026, 3, 1), deadline=dt.date(2026, 8, 31))
    rows = services.proposed_targets(project)
    rows[0] = PlannedMonth(month=rows[0].month, planned_percent=17, target="完成设计招标")
    services.save_targets(project=project, by=cast.staff, rows=rows)
    ProjectReviewFactory(
        round=ReviewRoundFactory(town=cast.town, month=4, opened_by=cast.staff),
        project=project,
        planned_percent=33,
        actual_percent=30,
        light="green",
        light_reason="on_track",
        reviewed_at=dt.datetime(2026, 4, 20, tzinfo=dt.UTC),
    )
    return project


def test_moving_the_deadline_keeps_reviewed_months_and_respreads_the_rest(cast):
    project = scheduled_project(cast)
    assert list(project.targets.values_list("planned_percent", flat=True)) == [17, 33, 50, 67, 83, 100]
    services.move_deadline(project=project, by=cast.staff, new_deadline=dt.date(2026, 10, 31), deadline_text="10月底前")
    project.refresh_from_db()
    assert (project.deadline, project.deadline_text) == (dt.date(2026, 10, 31), "10月底前")
    rows = list(project.targets.values_list("month", "planned_percent", "target"))
    assert rows[0] == (dt.date(2026, 3, 1), 17, "完成设计招标")
    assert [p for _, p, _ in rows] == [17, 33, 44, 55, 67, 78, 89, 100]
    assert rows[-1][0] == dt.date(2026, 10, 1)


def test_bringing_the_deadline_forward_drops_the_later_months(cast):
    project = scheduled_project(cast)
    services.move_deadline(project=project, by=cast.staff, new_deadline=dt.date(2026, 6, 30))
    assert list(project.targets.values_list("planned_percent", flat=True)) == [17, 33, 67, 100]


def test_the_preview_shows_before_and_after_without_saving(cast):
    project = scheduled_project(cast)
    before, after = services.plan_deadline_move(project=project, new_deadline=dt.date(2026, 10, 31))
    assert percents(before) == [17, 33, 50, 67, 83, 100]
    assert percents(after) == [17, 33, 44, 55, 67, 78, 89, 100]
    project.refresh_from_db()
    assert project.deadline == dt.date(2026, 8, 31)
    assert project.targets.count() == 6


def test_the_deadline_cannot_move_into_a_reviewed_month(cast):
    project = scheduled_project(cast)
    with pytest.raises(ValidationError) as exc:
        services.move_deadline(project=project, by=cast.staff, new_deadline=dt.date(2026, 4, 30))
    assert "deadline" in exc.value.message_dict
    assert LivelihoodProject.objects.get(pk=project.pk).deadline == dt.date(2026, 8, 31)


def test_reviewed_months_keep_their_percentage_when_edited(cast):
    project = scheduled_project(cast)
    rows = services.current_targets(project)
    rows[1] = PlannedMonth(month=rows[1].month, planned_percent=40)
    with pytest.raises(ValidationError):
        services.save_targets(project=project, by=cast.staff, rows=rows)


def test_reported_progress_cannot_fall_below_an_earlier_month(cast):
    project = scheduled_project(cast)
    march, april = project.targets.order_by("month")[:2]
    services.report_progress(
        target=march, by=cast.department_user, reported_percent=20, completed_on=dt.date(2026, 3, 30)
    )
    with pytest.raises(ValidationError) as exc:
        services.report_progress(target=april, by=cast.department_user, reported_percent=15)
    assert "reported_percent" in exc.value.message_dict
    april.refresh_from_db()
    assert april.reported_percent is None
