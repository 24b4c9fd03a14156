import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from supervision import services
from supervision.lights import light_for
from supervision.models import Light, LightReason, LivelihoodProject, ProjectReview
from tests.factories import AnnualPlanFactory
from tests.supervision.factories import LivelihoodProjectFactory

S = LivelihoodProject.Status


def light(actual, planned=50, **kw):
    return light_for(planned=planned, actual=actual, amber_gap=5, red_gap=15, **kw)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (60, Light.GREEN),  # ahead of plan
        (50, Light.GREEN),
        (45, Light.GREEN),  # exactly 5 behind
        (44, Light.YELLOW),  # just over 5
        (35, Light.YELLOW),  # exactly 15 behind
        (34, Light.RED),  # just over 15
    ],
)
def test_light_thresholds_at_5_and_15_points_behind(actual, expected):
    assert light(actual)[0] == expected


def test_an_overdue_monthly_target_turns_green_to_yellow():
    assert light(50, target_overdue=True) == (Light.YELLOW, LightReason.OVERDUE_TARGET)


def test_past_the_deadline_unfinished_is_red_even_when_close():
    assert light(99, planned=100, past_deadline_unfinished=True) == (Light.RED, LightReason.PAST_DEADLINE)


def test_a_red_project_back_within_5_points_shows_recovered_yellow():
    assert light(46, previous=Light.RED) == (Light.YELLOW, LightReason.RECOVERED)


def test_a_yellow_project_back_within_5_points_is_green_again():
    assert light(46, previous=Light.YELLOW) == (Light.GREEN, LightReason.ON_TRACK)


def test_thresholds_come_from_the_plan(cast):
    AnnualPlanFactory(town=cast.town, year=2026, light_amber_gap=10, light_red_gap=20)
    project = scheduled(cast)
    project.targets.update(completed_on=dt.date(2026, 3, 31))
    round_ = services.open_round(town=cast.town, year=2026, month=4, by=cast.staff)
    review = round_.reviews.get(project=project)
    # April plans 33%; 25 is 8 behind: green with the town's 10-point amber gap (yellow by default).
    services.record_review(review=review, by=cast.staff, actual_percent=25, today=dt.date(2026, 4, 1))
    review.refresh_from_db()
    assert review.light == Light.GREEN


def scheduled(cast, **kw):
    kw.setdefault("start", dt.date(2026, 3, 1))
    kw.setdefault("deadline", dt.date(2026, 8, 31))
    project = LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, **kw)
    services.save_targets(project=project, by=cast.staff, rows=services.proposed_targets(project))
    return project


def test_opening_a_round_creates_one_review_per_project_in_progress(cast):
    running = scheduled(cast)
    LivelihoodProjectFactory(town=cast.town, status=S.CANDIDATE)
    LivelihoodProjectFactory(town=cast.town, status=S.COMPLETED)
    LivelihoodProjectFactory(town=cast.other_town, lead_department=None, status=S.ADOPTED)
    round_ = services.open_round(town=cast.town, year=2026, month=4, by=cast.staff)
    assert list(round_.reviews.values_list("project", "planned_percent")) == [(running.pk, 33)]


def test_a_round_opens_only_in_the_plans_review_months_and_once(cast):
    with pytest.raises(ValidationError) as exc:
        services.open_round(town=cast.town, year=2026, month=5, by=cast.staff)
    assert "month" in exc.value.message_dict
    services.open_round(town=cast.town, year=2026, month=6, by=cast.staff)
    with pytest.raises(ValidationError):
        services.open_round(town=cast.town, year=2026, month=6, by=cast.staff)


def test_a_review_lights_yellow_when_an_earlier_target_is_overdue(cast):
    project = scheduled(cast)
    round_ = services.open_round(town=cast.town, year=2026, month=4, by=cast.staff)
    services.record_review(
        review=round_.reviews.get(project=project), by=cast.staff, actual_percent=33, today=dt.date(2026, 4, 20)
    )
    review = ProjectReview.objects.get(round=round_, project=project)
    assert (review.light, review.light_reason) == (Light.YELLOW, LightReason.OVERDUE_TARGET)


def test_a_met_target_is_not_overdue(cast):
    project = scheduled(cast)
    march = project.targets.get(month=dt.date(2026, 3, 1))
    services.report_progress(
        target=march, by=cast.department_user, reported_percent=17, completed_on=dt.date(2026, 3, 28)
    )
    round_ = services.open_round(town=cast.town, year=2026, month=4, by=cast.staff)
    review = services.record_review(
        review=round_.reviews.get(), by=cast.staff, actual_percent=33, today=dt.date(2026, 4, 20)
    )
    assert review.light == Light.GREEN


def test_an_unfinished_project_past_its_deadline_is_red(cast):
    project = scheduled(cast, deadline=dt.date(2026, 5, 31))
    project.targets.update(completed_on=dt.date(2026, 5, 1))
    round_ = services.open_round(town=cast.town, year=2026, month=6, by=cast.staff)
    review = services.record_review(
        review=round_.reviews.get(), by=cast.staff, actual_percent=98, today=dt.date(2026, 6, 10)
    )
    assert (review.planned_percent, review.light, review.light_reason) == (100, Light.RED, LightReason.PAST_DEADLINE)


def test_red_then_back_on_plan_shows_recovered_yellow_then_green(cast):
    project = scheduled(cast)
    project.targets.update(completed_on=dt.date(2026, 3, 1))
    lights = []
    for month, actual in ((4, 10), (6, 66), (8, 100)):
        round_ = services.open_round(town=cast.town, year=2026, month=month, by=cast.staff)
        review = services.record_review(
            review=round_.reviews.get(), by=cast.staff, actual_percent=actual, today=dt.date(2026, month, 15)
        )
        lights.append((review.light, review.light_reason))
    assert lights == [
        (Light.RED, LightReason.FAR_BEHIND),
        (Light.YELLOW, LightReason.RECOVERED),
        (Light.GREEN, LightReason.ON_TRACK),
    ]
