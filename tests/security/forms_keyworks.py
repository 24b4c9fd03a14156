"""Form cases of whole-process supervision (see tests/security/form_cases.py): key projects, stages,
deputies in tiers, stage inspections, rectification items, answers, look-backs, evaluations, votes and
law-enforcement inspections."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from supervision.forms.keyworks import (
    AnswerForm,
    AssignmentForm,
    EvaluationForm,
    EvaluationStepsForm,
    FindingsForm,
    InspectionForm,
    KeyProjectForm,
    LawActivityForm,
    LawInspectionForm,
    LookBackForm,
    RectificationForm,
    StageForm,
    VoteForm,
)
from supervision.models import (
    DepartmentEvaluation,
    KeyProject,
    KeyProjectAssignment,
    LawInspection,
    LawInspectionActivity,
    LookBack,
    Rectification,
    Stage,
    StageInspection,
)
from supervision.services import keyworks
from tests.security.form_cases import FormCase


def kw(o: SimpleNamespace) -> SimpleNamespace:
    """The records these forms edit, built once per test on first use."""
    if not hasattr(o, "keyworks"):
        project = keyworks.create_key_project(
            by=o.staff, town=o.town, year=2026, name="老旧小区综合整治", lead_department=o.department
        )
        keyworks.assign_deputy(project=project, deputy=o.deputy, tier=KeyProjectAssignment.Tier.LEAD)
        stage = keyworks.add_stage(
            project=project, name="管线改造", planned_start=dt.date(2026, 4, 1), planned_end=dt.date(2026, 6, 30)
        )
        inspection = keyworks.record_inspection(
            by=o.staff,
            stage=stage,
            inspected_on=dt.date(2026, 5, 10),
            deputies=[o.deputy],
            notes="沟槽未设围挡",
            suggestions=["加设围挡", "夜间警示灯"],
        )
        first, second = inspection.suggestions.order_by("pk")
        item = keyworks.rectify_suggestion(
            by=o.staff, suggestion=first, owner_department=o.department, due_on=dt.date(2026, 6, 30)
        )
        evaluation = keyworks.create_evaluation(by=o.staff, town=o.town, year=2026, department=o.department)
        law = keyworks.create_law_inspection(by=o.staff, town=o.town, year=2026, law="《食品安全法》")
        o.keyworks = SimpleNamespace(
            project=project, stage=stage, suggestion=second, item=item, evaluation=evaluation, law=law
        )
    return o.keyworks


def pk(name: str) -> Any:
    return lambda o: {"pk": getattr(kw(o), name).pk}


FORMS: list[FormCase] = [
    FormCase(
        name="keyproject_create",
        writable=("created_at",),  # set by the server on creation: two creations differ
        url="supervision:keyproject_create",
        form=lambda o, data: KeyProjectForm(data, town=o.town),
        valid=lambda o: {
            "year": 2026,
            "name": "污水管网改造",
            "description": "新建管网5公里",
            "lead_department": o.department.pk,
        },
        created=lambda o: KeyProject.objects.filter(town=o.town, name="污水管网改造"),
        shown_on=("supervision:keyproject_list",),
    ),
    FormCase(
        name="stage_add",
        url="supervision:stage_add",
        kwargs=pk("project"),
        form=lambda o, data: StageForm(data),
        valid=lambda o: {"name": "竣工验收", "planned_start": "2026-07-01", "planned_end": "2026-07-31"},
        created=lambda o: Stage.objects.filter(project=kw(o).project, name="竣工验收"),
    ),
    FormCase(
        name="assignment_add",
        url="supervision:assignment_add",
        kwargs=pk("project"),
        form=lambda o, data: AssignmentForm(data, town=o.town),
        valid=lambda o: {"deputy": o.other_deputy.pk, "tier": "member"},
        created=lambda o: KeyProjectAssignment.objects.filter(project=kw(o).project, deputy=o.other_deputy),
    ),
    FormCase(
        name="inspection_create",
        writable=("recorded_at",),  # set by the server on creation: two creations differ
        url="supervision:inspection_create",
        kwargs=pk("stage"),
        persona="deputy_user",
        form=lambda o, data: InspectionForm(data, town=o.town),
        valid=lambda o: {
            "inspected_on": "2026-05-20",
            "deputies": [o.deputy.pk],
            "notes": "围挡已设置",
            "reported_by": "城建办",
            "report_summary": "管线完成80%",
            "suggestions": "加快进度",
        },
        created=lambda o: StageInspection.objects.filter(stage=kw(o).stage, notes="围挡已设置"),
    ),
    FormCase(
        name="suggestion_rectify",
        writable=("created_at",),  # set by the server on creation: two creations differ
        url="supervision:suggestion_rectify",
        kwargs=pk("suggestion"),
        form=lambda o, data: RectificationForm(data, town=o.town),
        valid=lambda o: {"description": "夜间警示灯", "owner_department": o.department.pk, "due_on": "2026-07-31"},
        created=lambda o: Rectification.objects.filter(suggestion=kw(o).suggestion),
        shown_on=("supervision:rectification_list",),
    ),
    FormCase(
        name="rectification_add",
        writable=("created_at",),  # set by the server on creation: two creations differ
        url="supervision:rectification_add",
        kwargs=lambda o: {"kind": "law", "pk": kw(o).law.pk},
        form=lambda o, data: RectificationForm(data, town=o.town),
        valid=lambda o: {"description": "建立进货台账", "owner_name": "市场监管所", "due_on": "2026-08-31"},
        created=lambda o: Rectification.objects.filter(law_inspection=kw(o).law),
        shown_on=("supervision:rectification_list",),
    ),
    FormCase(
        name="rectification_answer",
        url="supervision:rectification_answer",
        kwargs=pk("item"),
        persona="department_user",
        form=lambda o, data: AnswerForm(data),
        valid=lambda o: {"response": "围挡已设置完毕"},
        target=lambda o: kw(o).item,
        writable=("responded_at",),
    ),
    FormCase(
        name="look_back_create",
        writable=("recorded_at",),  # set by the server on creation: two creations differ
        url="supervision:look_back_create",
        kwargs=pk("item"),
        persona="deputy_user",
        form=lambda o, data: LookBackForm(data, town=o.town),
        valid=lambda o: {
            "checked_on": "2026-07-05",
            "deputies": [o.deputy.pk],
            "evidence": "围挡已设置一半",
            "verdict": "partial",
            "new_due_on": "2026-08-31",
        },
        created=lambda o: LookBack.objects.filter(rectification=kw(o).item),
    ),
    FormCase(
        name="evaluation_create",
        writable=("created_at",),  # set by the server on creation: two creations differ
        url="supervision:evaluation_create",
        form=lambda o, data: EvaluationForm(data, town=o.town),
        valid=lambda o: {"year": 2027, "department": o.department.pk},
        created=lambda o: DepartmentEvaluation.objects.filter(town=o.town, year=2027),
        shown_on=("supervision:evaluation_list",),
    ),
    FormCase(
        name="evaluation_steps",
        url="supervision:evaluation_steps",
        kwargs=pk("evaluation"),
        form=lambda o, data: EvaluationStepsForm(data, instance=kw(o).evaluation),
        valid=lambda o: {
            "survey_on": "2026-04-10",
            "survey_notes": "走访群众50户",
            "meeting_on": "2026-05-15",
            "meeting_notes": "评议会听取汇报",
        },
        target=lambda o: kw(o).evaluation,
    ),
    FormCase(
        name="evaluation_vote",
        url="supervision:evaluation_vote",
        kwargs=pk("evaluation"),
        form=lambda o, data: VoteForm(data),
        valid=lambda o: {"satisfied": 30, "basically": 15, "unsatisfied": 5},
        target=lambda o: kw(o).evaluation,
        writable=("votes_satisfied", "votes_basically", "votes_unsatisfied"),
    ),
    FormCase(
        name="law_create",
        writable=("created_at",),  # set by the server on creation: two creations differ
        url="supervision:law_create",
        form=lambda o, data: LawInspectionForm(data, town=o.town),
        valid=lambda o: {"year": 2026, "law": "《大气污染防治法》"},
        created=lambda o: LawInspection.objects.filter(town=o.town, law="《大气污染防治法》"),
        shown_on=("supervision:law_list",),
    ),
    FormCase(
        name="law_activity_add",
        url="supervision:law_activity_add",
        kwargs=pk("law"),
        form=lambda o, data: LawActivityForm(data, town=o.town),
        valid=lambda o: {"held_on": "2026-05-20", "description": "检查农贸市场", "deputies": [o.deputy.pk]},
        created=lambda o: LawInspectionActivity.objects.filter(inspection=kw(o).law),
    ),
    FormCase(
        name="law_findings",
        url="supervision:law_findings",
        kwargs=pk("law"),
        form=lambda o, data: FindingsForm(data, instance=kw(o).law),
        valid=lambda o: {"findings": "部分摊位无进货台账", "reported_on": "2026-06-05"},
        target=lambda o: kw(o).law,
    ),
]
