"""The projects table's CHECK constraints come back as field-level messages, never form-wide ones."""

import pytest

from supervision.forms.projects import ProjectForm, TargetForm

pytestmark = pytest.mark.django_db


def project_data(cast, **changes):
    return {
        "year": 2026,
        "position": 1,
        "name": "敬老院改造",
        "content": "改造住房",
        "investment": "10",
        "lead_department": cast.department.pk,
        "start": "2026-04-01",
        "deadline": "2026-10-31",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": "0"}, "year"),
        ({"year": "2101"}, "year"),
        ({"investment": "-1"}, "investment"),
        ({"deadline": "2026-03-01"}, "deadline"),
    ],
)
def test_a_project_out_of_the_tables_bounds_is_refused_on_its_field(cast, changes, field):
    form = ProjectForm(project_data(cast, **changes), town=cast.town)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_a_target_month_that_is_not_a_first_day_is_refused_on_its_field():
    form = TargetForm({"month": "2026-05-02", "target": "", "planned_percent": 50})
    assert not form.is_valid()
    assert list(form.errors) == ["month"]
