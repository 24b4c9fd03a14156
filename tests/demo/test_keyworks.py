"""The demo town's whole-process supervision: a key project with two inspected stages and their
look-backs (one item still open and overdue), evaluations with their votes and a law inspection."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest

from demo.keyworks import seed_demo_records
from supervision.models import DepartmentEvaluation, KeyProject, LawInspection, LookBack, Rectification
from supervision.services import keyworks
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def seed(cast):
    factories.DepartmentFactory(town=cast.town, name="城乡建设办公室")
    factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, name="王立军")
    seed_demo_records(towns=[cast.town], rng=random.Random(7), today=TODAY, stdout=io.StringIO())


def test_the_demo_key_project_has_two_inspected_stages_with_look_backs_and_one_overdue_item(cast):
    seed(cast)

    project = KeyProject.objects.get(name="老旧小区综合整治工程")
    inspected = project.stages.filter(inspections__isnull=False).distinct()
    assert inspected.count() == 2
    assert LookBack.objects.filter(rectification__key_project=project, verdict="partial").exists()
    assert list(project.rectifications.overdue_on(TODAY).values_list("description", flat=True)) == [
        "保温材料进场须附检测报告并抽检"
    ]
    assert project.assignments.filter(tier="lead").count() == 1
    assert keyworks.key_project_check(cast.town, TODAY.year).within


def test_the_demo_has_evaluations_with_votes_and_a_law_inspection(cast):
    seed(cast)

    results = {e.result for e in DepartmentEvaluation.objects.filter(town=cast.town)}
    assert results == {"satisfied", "basically"}
    law = LawInspection.objects.get(town=cast.town)
    assert law.activities.count() == 2 and law.findings
    assert Rectification.objects.filter(law_inspection=law).open().exists()


def test_the_demo_runs_again_without_adding_anything(cast):
    seed(cast)
    counts = (KeyProject.objects.count(), Rectification.objects.count(), LookBack.objects.count())

    seed_demo_records(towns=[cast.town], rng=random.Random(7), today=TODAY, stdout=io.StringIO())

    assert (KeyProject.objects.count(), Rectification.objects.count(), LookBack.objects.count()) == counts
