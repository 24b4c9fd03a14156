"""The annual plan: its arithmetic, its constraints, and copying it to the next year."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from congress.models import AnnualPlan
from congress.services import copy_annual_plan
from tests import factories


def test_quorum_is_two_thirds_counting_the_number_itself():
    plan = AnnualPlan()
    assert plan.quorum(53) == 36
    assert plan.quorum(60) == 40


def test_votes_to_pass_is_strictly_more_than_half_of_all_deputies():
    plan = AnnualPlan()
    assert plan.votes_to_pass(60) == 31
    assert plan.votes_to_pass(59) == 30


@pytest.fixture
def plan_2026(db: None) -> AnnualPlan:
    return factories.AnnualPlanFactory(
        town=factories.TownFactory(slug="beifang"),
        year=2026,
        visits_per_month=3,
        households_per_year=60,
        review_months=[3, 6, 9, 12],
        points_table={"visit": 2, "suggestion": 4},
        projects_to_adopt=8,
    )


def plan_values(plan: AnnualPlan) -> dict[str, object]:
    return {
        f.attname: getattr(plan, f.attname) for f in AnnualPlan._meta.concrete_fields if f.name not in ("id", "year")
    }


def test_copy_annual_plan_copies_every_number(plan_2026):
    copied = copy_annual_plan(town=plan_2026.town, from_year=2026, to_year=2027)

    copied.refresh_from_db()
    assert copied.year == 2027
    assert copied.pk != plan_2026.pk
    assert plan_values(copied) == plan_values(plan_2026)


def test_copied_lists_are_not_shared_with_the_source(plan_2026):
    copied = copy_annual_plan(town=plan_2026.town, from_year=2026, to_year=2027)

    copied.review_months.append(1)
    assert plan_2026.review_months == [3, 6, 9, 12]


def test_copy_annual_plan_refuses_to_overwrite_an_existing_plan(plan_2026):
    factories.AnnualPlanFactory(town=plan_2026.town, year=2027, visits_per_month=5)

    with pytest.raises(ValidationError) as caught:
        copy_annual_plan(town=plan_2026.town, from_year=2026, to_year=2027)

    assert caught.value.code == "target_exists"
    assert AnnualPlan.objects.get(town=plan_2026.town, year=2027).visits_per_month == 5


def test_copy_annual_plan_overwrites_when_asked(plan_2026):
    existing = factories.AnnualPlanFactory(town=plan_2026.town, year=2027, visits_per_month=5)

    copy_annual_plan(town=plan_2026.town, from_year=2026, to_year=2027, overwrite=True)

    existing.refresh_from_db()
    assert existing.visits_per_month == 3
    assert AnnualPlan.objects.filter(town=plan_2026.town).count() == 2


def test_copy_annual_plan_refuses_a_missing_source(db):
    town = factories.TownFactory()

    with pytest.raises(ValidationError) as caught:
        copy_annual_plan(town=town, from_year=2026, to_year=2027)

    assert caught.value.code == "source_missing"
    assert not AnnualPlan.objects.exists()


def test_copy_plan_command_copies_one_town(plan_2026):
    call_command("copy_plan", town="beifang", from_year=2026, to_year=2027)

    assert AnnualPlan.objects.get(town=plan_2026.town, year=2027).households_per_year == 60


def test_copy_plan_command_refuses_an_existing_plan_without_force(plan_2026):
    factories.AnnualPlanFactory(town=plan_2026.town, year=2027, households_per_year=45)

    with pytest.raises(CommandError, match="--force"):
        call_command("copy_plan", "--town", "beifang", "--from", "2026", "--to", "2027")

    assert AnnualPlan.objects.get(town=plan_2026.town, year=2027).households_per_year == 45


def test_copy_plan_command_overwrites_with_force(plan_2026):
    factories.AnnualPlanFactory(town=plan_2026.town, year=2027, households_per_year=45)

    call_command("copy_plan", "--town", "beifang", "--from", "2026", "--to", "2027", "--force")

    assert AnnualPlan.objects.get(town=plan_2026.town, year=2027).households_per_year == 60


def test_copy_plan_command_for_all_towns_copies_the_others_and_reports_the_refused(plan_2026):
    other = factories.AnnualPlanFactory(town=factories.TownFactory(slug="qiaozi"), year=2026)
    factories.AnnualPlanFactory(town=factories.TownFactory(slug="yangsong"), year=2026)
    factories.AnnualPlanFactory(town=other.town, year=2027, visits_per_month=4)

    with pytest.raises(CommandError, match="qiaozi"):
        call_command("copy_plan", "--town", "all", "--from", "2026", "--to", "2027")

    assert AnnualPlan.objects.filter(year=2027).count() == 3
    assert AnnualPlan.objects.get(town=other.town, year=2027).visits_per_month == 4


def test_copy_plan_command_rejects_an_unknown_town(db):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("copy_plan", "--town", "nowhere", "--from", "2026", "--to", "2027")


@pytest.mark.parametrize(
    "values",
    [
        {"key_projects_min": 4, "key_projects_max": 3},
        {"law_inspections_min": 3, "law_inspections_max": 2},
        {"suggestion_reply_months": 7, "suggestion_reply_max_months": 6},
        {"quorum_numerator": 4, "quorum_denominator": 3},
        {"vote_pass_denominator": 0},
        {"light_amber_gap": 20, "light_red_gap": 15},
        {"grade_fair_from": 90, "grade_good_from": 80},
        {"served_month_min_days": 0},
        {"year": 1999},
    ],
)
def test_database_rejects_an_inconsistent_plan(db, values):
    town = factories.TownFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualPlan.objects.create(town=town, **{"year": 2026, **values})


@pytest.mark.parametrize(
    "values",
    [
        {"key_projects_min": 4, "key_projects_max": 3},
        {"law_inspections_min": 3, "law_inspections_max": 2},
        {"grade_fair_from": 90, "grade_good_from": 80},
        {"review_months": [0, 13]},
    ],
)
def test_full_clean_rejects_an_inconsistent_plan(db, values):
    plan = AnnualPlan(town=factories.TownFactory(), year=2026, **values)

    with pytest.raises(ValidationError):
        plan.full_clean()


def test_copy_refuses_a_source_plan_that_no_longer_validates(plan_2026):
    # A plan written before a rule existed must not spread into the next year unchecked.
    AnnualPlan.objects.filter(pk=plan_2026.pk).update(review_months=[13])

    with pytest.raises(ValidationError):
        copy_annual_plan(town=plan_2026.town, from_year=2026, to_year=2027)

    assert not AnnualPlan.objects.filter(year=2027).exists()
