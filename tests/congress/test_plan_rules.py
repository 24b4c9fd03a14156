"""The plan's numbers and its points table are checked on their fields; a plan stored before the rules
cannot break the pages that read it, and `check_stored_data` lists and settles it (congress.models.core)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from congress.models import AnnualPlan
from tests import factories
from tests.congress.test_reference_pages import plan_data

pytestmark = pytest.mark.django_db


def _post(client, cast, **overrides):
    client.force_login(cast.staff)
    return client.post(reverse("congress:plan_edit") + "?year=2026", plan_data(**overrides))


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('{"visits": 1}', "未知"),
        ('{"visit": "一"}', "visit"),
        ('{"visit": 1.5}', "visit"),
        ('{"visit": 101}', "visit"),
        ('{"visit": true}', "visit"),
        ("[1, 2, 3]", "visit"),
    ],
)
def test_a_points_table_the_rules_refuse_is_a_field_error(client, cast, table, says):
    response = _post(client, cast, points_table=table)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["points_table"]
    assert says in " ".join(errors["points_table"])
    assert not AnnualPlan.objects.filter(town=cast.town, year=2026).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("visits_per_month", "２"),
        ("visits_per_month", "٢"),
        ("visits_per_month", "99"),
        ("households_per_year", "-1"),
        ("projects_to_adopt", "0"),
        ("suggestion_reply_months", "100000"),
    ],
)
def test_a_plan_number_outside_ascii_digits_or_its_range_is_a_field_error(client, cast, field, value):
    response = _post(client, cast, **{field: value})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not AnnualPlan.objects.filter(town=cast.town, year=2026).exists()


def test_a_good_plan_with_a_full_points_table_is_saved(client, cast):
    response = _post(
        client, cast, visits_per_month="3", points_table='{"visit": 2, "session_absent_without_leave": -1}'
    )

    assert response.status_code == 302
    plan = AnnualPlan.objects.get(town=cast.town, year=2026)
    assert (plan.visits_per_month, plan.points_table["visit"]) == (3, 2)


@pytest.fixture
def stored_before_the_rules(cast):
    plan = factories.AnnualPlanFactory(town=cast.town, year=2026)
    # Written past the form, as an older version or a hand in the database could have written it.
    AnnualPlan.objects.filter(pk=plan.pk).update(
        points_table={"visit": "abc", "suggestion": 3, "lottery": 9}, households_per_year=5000
    )
    return plan


def test_a_refused_points_table_does_not_break_the_record_of_duty(client, cast, stored_before_the_rules):
    client.force_login(cast.staff)

    response = client.get(reverse("activities:records"), {"year": 2026})

    assert response.status_code == 200
    plan = AnnualPlan.objects.get(pk=stored_before_the_rules.pk)
    assert (plan.points_for("visit"), plan.points_for("suggestion")) == (0, 3)


def test_check_stored_data_lists_a_refused_plan_and_fix_settles_it(stored_before_the_rules):
    listing = StringIO()
    call_command("check_stored_data", stdout=listing)

    assert "plan beifang 2026 points_table" in listing.getvalue()
    assert "plan beifang 2026 households_per_year" in listing.getvalue()
    assert "1 plan(s) to fix" in listing.getvalue()

    fixed = StringIO()
    call_command("check_stored_data", "--fix", stdout=fixed)

    plan = AnnualPlan.objects.get(pk=stored_before_the_rules.pk)
    assert plan.points_table == {"visit": 1, "suggestion": 3}
    assert plan.households_per_year == 50
    again = StringIO()
    call_command("check_stored_data", stdout=again)
    assert "0 plan(s) to fix" in again.getvalue()
