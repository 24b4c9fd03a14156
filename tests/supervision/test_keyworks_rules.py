"""The rules of whole-process supervision: the plan's ranges, closing only by a look-back, the reopen
on 部分整改 and the satisfaction vote at its boundaries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from congress.models import AnnualPlan
from supervision.models import DepartmentEvaluation, LookBack, Rectification, satisfaction_result
from supervision.services import keyworks
from tests import factories

pytestmark = pytest.mark.django_db
Verdict = LookBack.Verdict
Result = DepartmentEvaluation.Result


def _project(cast, name="北房镇老旧小区综合整治"):
    return keyworks.create_key_project(
        by=cast.staff, town=cast.town, year=2026, name=name, lead_department=cast.department
    )


def _item(cast, project=None, due_on=dt.date(2026, 6, 30)):
    project = project or _project(cast)
    stage = keyworks.add_stage(
        project=project, name="管线改造", planned_start=dt.date(2026, 4, 1), planned_end=dt.date(2026, 6, 30)
    )
    inspection = keyworks.record_inspection(
        by=cast.deputy_user, stage=stage, inspected_on=dt.date(2026, 5, 10), deputies=[cast.deputy],
        notes="沟槽未设围挡", reported_by="城建办 王主任", report_summary="已完成燃气管线60%",
        suggestions=["施工沟槽加设围挡和夜间警示灯"],
    )  # fmt: skip
    return keyworks.rectify_suggestion(
        by=cast.staff, suggestion=inspection.suggestions.get(), owner_department=cast.department, due_on=due_on
    )


def test_the_years_key_projects_warn_below_the_plans_minimum(cast):
    _project(cast)

    check = keyworks.key_project_check(cast.town, 2026)

    assert (check.count, check.too_few, check.within) == (1, True, False)


def test_two_or_three_key_projects_are_within_the_default_range(cast):
    _project(cast, "一")
    _project(cast, "二")
    assert keyworks.key_project_check(cast.town, 2026).within
    _project(cast, "三")
    assert keyworks.key_project_check(cast.town, 2026).within


def test_a_fourth_key_project_warns_above_the_plans_maximum(cast):
    for name in "一二三四":
        _project(cast, name)

    assert keyworks.key_project_check(cast.town, 2026).too_many


def test_the_range_comes_from_the_towns_annual_plan(cast):
    plan = AnnualPlan.objects.for_town_year(cast.town, 2026)
    plan.key_projects_min, plan.key_projects_max = 1, 1
    plan.save()
    _project(cast)

    assert keyworks.key_project_check(cast.town, 2026).within


def test_a_suggestion_becomes_a_rectification_item_of_the_key_project(cast):
    item = _item(cast)

    assert item.source == Rectification.Source.KEY_PROJECT
    assert item.description == "施工沟槽加设围挡和夜间警示灯"
    assert item.is_open


def test_a_suggestion_becomes_at_most_one_item(cast):
    item = _item(cast)

    with pytest.raises(ValidationError):
        keyworks.rectify_suggestion(
            by=cast.staff, suggestion=item.suggestion, owner_name="王", due_on=dt.date(2026, 7, 1)
        )


def test_a_look_back_that_finds_it_done_closes_the_item(cast):
    item = _item(cast)

    keyworks.record_look_back(
        by=cast.deputy_user, item=item, checked_on=dt.date(2026, 7, 5), verdict=Verdict.DONE,
        deputies=[cast.deputy], evidence="围挡和警示灯已设置",
    )  # fmt: skip

    item.refresh_from_db()
    assert item.closed_on == dt.date(2026, 7, 5)


def test_the_departments_answer_does_not_close_the_item(cast):
    item = _item(cast)

    keyworks.answer_rectification(item=item, by=cast.department_user, response="已整改完毕")

    item.refresh_from_db()
    assert item.is_open and item.response == "已整改完毕"


def test_the_database_refuses_to_close_an_item_without_a_look_back(cast):
    item = _item(cast)
    item.closed_on = dt.date(2026, 7, 5)

    with pytest.raises(IntegrityError), transaction.atomic():
        item.save(update_fields=["closed_on"])

    assert Rectification.objects.get(pk=item.pk).closed_on is None


def test_the_database_refuses_to_close_an_item_on_a_partial_look_back(cast):
    item = _item(cast)
    keyworks.record_look_back(
        by=cast.staff,
        item=item,
        checked_on=dt.date(2026, 7, 5),
        verdict=Verdict.PARTIAL,
        new_due_on=dt.date(2026, 8, 31),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Rectification.objects.filter(pk=item.pk).update(closed_on=dt.date(2026, 7, 5))


def test_a_closed_item_never_reopens(cast):
    item = _item(cast)
    keyworks.record_look_back(by=cast.staff, item=item, checked_on=dt.date(2026, 7, 5), verdict=Verdict.DONE)

    with pytest.raises(IntegrityError), transaction.atomic():
        Rectification.objects.filter(pk=item.pk).update(closed_on=None)
    with pytest.raises(ValidationError):
        keyworks.record_look_back(by=cast.staff, item=item, checked_on=dt.date(2026, 7, 9), verdict=Verdict.DONE)


@pytest.mark.parametrize(
    "change",
    [
        lambda look_back: LookBack.objects.filter(pk=look_back.pk).update(verdict=Verdict.PARTIAL),
        lambda look_back: LookBack.objects.filter(pk=look_back.pk).update(checked_on=dt.date(2026, 7, 9)),
        lambda look_back: LookBack.objects.filter(pk=look_back.pk).update(evidence="改过的证据"),
        lambda look_back: LookBack.objects.filter(pk=look_back.pk).delete(),
    ],
    ids=["verdict", "date", "evidence", "delete"],
)
def test_the_look_back_that_closed_an_item_cannot_be_changed_or_deleted(cast, change):
    item = _item(cast)
    keyworks.record_look_back(
        by=cast.staff, item=item, checked_on=dt.date(2026, 7, 5), verdict=Verdict.DONE, evidence="已整改"
    )
    look_back = LookBack.objects.get(rectification=item)

    with pytest.raises(IntegrityError, match="closed rectification"), transaction.atomic():
        change(look_back)

    assert LookBack.objects.filter(pk=look_back.pk, verdict=Verdict.DONE, evidence="已整改").exists()


def test_an_earlier_partial_look_back_stays_editable(cast):
    item = _item(cast)
    keyworks.record_look_back(
        by=cast.staff, item=item, checked_on=dt.date(2026, 7, 5), verdict=Verdict.PARTIAL,
        new_due_on=dt.date(2026, 8, 31),
    )  # fmt: skip
    keyworks.record_look_back(by=cast.staff, item=item, checked_on=dt.date(2026, 9, 1), verdict=Verdict.DONE)

    LookBack.objects.filter(rectification=item, verdict=Verdict.PARTIAL).update(evidence="补充材料")

    assert LookBack.objects.get(rectification=item, verdict=Verdict.PARTIAL).evidence == "补充材料"


def test_a_partial_look_back_keeps_the_item_open_with_the_new_due_date(cast):
    item = _item(cast)

    keyworks.record_look_back(
        by=cast.staff,
        item=item,
        checked_on=dt.date(2026, 7, 5),
        verdict=Verdict.PARTIAL,
        new_due_on=dt.date(2026, 8, 31),
    )

    item.refresh_from_db()
    assert item.is_open and item.due_on == dt.date(2026, 8, 31)
    assert not item.is_overdue_on(dt.date(2026, 8, 1))


def test_a_not_done_look_back_without_a_new_due_date_is_refused(cast):
    item = _item(cast)

    with pytest.raises(ValidationError) as exc:
        keyworks.record_look_back(by=cast.staff, item=item, checked_on=dt.date(2026, 7, 5), verdict=Verdict.NOT_DONE)

    assert "new_due_on" in exc.value.error_dict
    assert not item.look_backs.exists()


def test_open_and_overdue_items(cast):
    late = _item(cast, due_on=dt.date(2026, 6, 30))
    project = late.key_project
    on_time = keyworks.add_rectification(
        by=cast.staff, origin=project, description="补充验收资料", owner_name="城建办", due_on=dt.date(2026, 9, 30)
    )

    day = dt.date(2026, 7, 15)
    assert set(Rectification.objects.open()) == {late, on_time}
    assert list(Rectification.objects.overdue_on(day)) == [late]


def test_an_item_needs_a_responsible_department_or_person(cast):
    project = _project(cast)

    with pytest.raises(ValidationError):
        keyworks.add_rectification(by=cast.staff, origin=project, description="x", due_on=dt.date(2026, 9, 30))


def test_an_item_of_another_towns_department_is_refused(cast):
    project = _project(cast)
    elsewhere = factories.DepartmentFactory(town=cast.other_town)

    with pytest.raises(ValidationError):
        keyworks.add_rectification(
            by=cast.staff, origin=project, description="x", owner_department=elsewhere, due_on=dt.date(2026, 9, 30)
        )


@pytest.mark.parametrize(
    ("satisfied", "basically", "unsatisfied", "result"),
    [
        (6, 2, 2, Result.SATISFIED),
        (5, 5, 0, Result.BASICALLY),  # 5 of 10 满意 is not more than half
        (5, 0, 5, Result.UNSATISFIED),
        (3, 3, 4, Result.BASICALLY),
        (3, 2, 5, Result.UNSATISFIED),  # 满意 + 基本满意 = 5 of 10: not more than half
        (0, 0, 1, Result.UNSATISFIED),
        (1, 0, 0, Result.SATISFIED),
    ],
)
def test_the_satisfaction_rule_at_its_boundaries(satisfied, basically, unsatisfied, result):
    assert satisfaction_result(satisfied, basically, unsatisfied) == result


def test_a_vote_is_recorded_on_the_evaluation(cast):
    evaluation = keyworks.create_evaluation(by=cast.staff, town=cast.town, year=2026, department=cast.department)

    result = keyworks.record_vote(evaluation=evaluation, satisfied=5, basically=5, unsatisfied=0)

    evaluation.refresh_from_db()
    assert result == Result.BASICALLY == evaluation.result


def test_an_evaluations_findings_feed_the_same_loop(cast):
    evaluation = keyworks.create_evaluation(by=cast.staff, town=cast.town, year=2026, department=cast.department)
    item = keyworks.add_rectification(
        by=cast.staff, origin=evaluation, description="窗口服务时间公示", owner_department=cast.department,
        due_on=dt.date(2026, 9, 30),
    )  # fmt: skip

    keyworks.record_look_back(by=cast.staff, item=item, checked_on=dt.date(2026, 10, 8), verdict=Verdict.DONE)

    item.refresh_from_db()
    assert item.source == Rectification.Source.EVALUATION and not item.is_open


def test_evaluations_are_counted_against_the_plan(cast):
    keyworks.create_evaluation(by=cast.staff, town=cast.town, year=2026, department=cast.department)

    check = keyworks.evaluation_check(cast.town, 2026)

    assert (check.count, check.minimum, check.too_few) == (1, 2, True)


def test_a_law_inspection_records_activities_findings_and_items(cast):
    inspection = keyworks.create_law_inspection(
        by=cast.staff, town=cast.town, year=2026, law="《中华人民共和国食品安全法》"
    )
    keyworks.add_law_activity(
        inspection=inspection, held_on=dt.date(2026, 5, 20), description="检查农贸市场", deputies=[cast.deputy]
    )
    keyworks.record_findings(inspection=inspection, findings="部分摊位无进货台账", reported_on=dt.date(2026, 6, 5))
    item = keyworks.add_rectification(
        by=cast.staff,
        origin=inspection,
        description="建立进货台账",
        owner_name="市场监管所",
        due_on=dt.date(2026, 8, 1),
    )

    assert item.source == Rectification.Source.LAW_INSPECTION
    assert keyworks.law_inspection_check(cast.town, 2026).within
    assert inspection.activities.get().deputies.get() == cast.deputy
