"""Writers of whole-process supervision (全过程监督): key projects, their stages and inspections,
rectification items and the look-backs (回头看) that alone close them, department evaluations (评议)
and law-enforcement inspections (执法检查). One function per thing a user does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import AnnualPlan, Department, Deputy, Town, User
from supervision.models import (
    DepartmentEvaluation,
    InspectionSuggestion,
    KeyProject,
    KeyProjectAssignment,
    LawInspection,
    LawInspectionActivity,
    LookBack,
    Rectification,
    Stage,
    StageInspection,
)
from supervision.services.common import save_checked

Tier = KeyProjectAssignment.Tier
Verdict = LookBack.Verdict


# The year's counts against the plan


@dataclass(frozen=True)
class PlanCheck:
    """How many records a year holds against the plan's range; `warning` is set when outside it."""

    count: int
    minimum: int
    maximum: int

    @property
    def too_few(self) -> bool:
        return self.count < self.minimum

    @property
    def too_many(self) -> bool:
        return self.count > self.maximum

    @property
    def within(self) -> bool:
        return not (self.too_few or self.too_many)


def key_project_check(town: Town, year: int) -> PlanCheck:
    """The year's key projects against the plan's key_projects_min/max (2–3 by default)."""
    plan = AnnualPlan.objects.for_town_year(town, year)
    count = KeyProject.objects.filter(town=town, year=year).count()
    return PlanCheck(count, plan.key_projects_min, plan.key_projects_max)


def evaluation_check(town: Town, year: int) -> PlanCheck:
    """The year's department evaluations against the plan's evaluations_per_year."""
    plan = AnnualPlan.objects.for_town_year(town, year)
    count = DepartmentEvaluation.objects.filter(town=town, year=year).count()
    return PlanCheck(count, plan.evaluations_per_year, plan.evaluations_per_year)


def law_inspection_check(town: Town, year: int) -> PlanCheck:
    """The year's law inspections against the plan's law_inspections_min/max (1–2 by default)."""
    plan = AnnualPlan.objects.for_town_year(town, year)
    count = LawInspection.objects.filter(town=town, year=year).count()
    return PlanCheck(count, plan.law_inspections_min, plan.law_inspections_max)


# Key projects, stages, deputies


@transaction.atomic
def create_key_project(
    *, by: User, town: Town, year: int, name: str, description: str = "", lead_department: Department | None = None
) -> KeyProject:
    """Staff pick one of the government's key works of the year for the congress's supervision."""
    return save_checked(
        KeyProject(
            town=town, year=year, name=name, description=description, lead_department=lead_department, created_by=by
        )
    )


@transaction.atomic
def add_stage(
    *, project: KeyProject, name: str, planned_start: dt.date, planned_end: dt.date, position: int | None = None
) -> Stage:
    """Add a construction stage with its planned dates."""
    if position is None:
        position = project.stages.count() + 1
    if planned_start and planned_end and planned_end < planned_start:
        raise ValidationError({"planned_end": _("The stage ends before it starts.")})
    return save_checked(
        Stage(project=project, name=name, planned_start=planned_start, planned_end=planned_end, position=position)
    )


@transaction.atomic
def assign_deputy(*, project: KeyProject, deputy: Deputy, tier: str) -> KeyProjectAssignment:
    """Put a deputy on a key project in a tier (牵头 / 参与); a second call changes the tier."""
    if deputy.town_id != project.town_id:
        raise ValidationError({"deputy": _("The deputy belongs to another town.")})
    assignment = KeyProjectAssignment.objects.filter(project=project, deputy=deputy).first()
    if assignment is None:
        assignment = KeyProjectAssignment(project=project, deputy=deputy)
    assignment.tier = tier
    assignment.full_clean(validate_unique=False)
    assignment.save()
    return assignment


@transaction.atomic
def unassign_deputy(*, assignment: KeyProjectAssignment) -> None:
    """Take a deputy off a key project."""
    assignment.delete()


# Stage inspections (现场调研)


def _check_deputies(town: Town, deputies: Iterable[Deputy]) -> list[Deputy]:
    found = list(deputies)
    if any(d.town_id != town.pk for d in found):
        raise ValidationError({"deputies": _("A deputy belongs to another town.")})
    return found


@transaction.atomic
def record_inspection(
    *,
    by: User,
    stage: Stage,
    inspected_on: dt.date,
    deputies: Iterable[Deputy],
    notes: str,
    reported_by: str = "",
    report_summary: str = "",
    suggestions: Iterable[str] = (),
) -> StageInspection:
    """Record an on-site inspection of a stage with the report heard and the deputies' suggestions."""
    present = _check_deputies(stage.project.town, deputies)
    if not present:
        raise ValidationError({"deputies": _("Name at least one deputy present.")})
    inspection = save_checked(
        StageInspection(
            stage=stage,
            inspected_on=inspected_on,
            notes=notes,
            reported_by=reported_by,
            report_summary=report_summary,
            recorded_by=by,
        )
    )
    inspection.deputies.set(present)
    for text in suggestions:
        if text.strip():
            save_checked(InspectionSuggestion(inspection=inspection, text=text.strip()))
    return inspection


# Rectification items and look-backs (整改 / 回头看)


def _new_item(*, by: User, town: Town, due_on: dt.date, **fields: object) -> Rectification:
    department = fields.get("owner_department")
    if isinstance(department, Department) and department.town_id != town.pk:
        raise ValidationError({"owner_department": _("The department belongs to another town.")})
    if not department and not str(fields.get("owner_name", "")).strip():
        raise ValidationError({"owner_department": _("Name the responsible department or person.")})
    return save_checked(Rectification(town=town, due_on=due_on, created_by=by, **fields))


@transaction.atomic
def rectify_suggestion(
    *,
    by: User,
    suggestion: InspectionSuggestion,
    description: str = "",
    owner_department: Department | None = None,
    owner_name: str = "",
    due_on: dt.date,
) -> Rectification:
    """Staff turn an inspection suggestion into a rectification item of the key project."""
    if Rectification.objects.filter(suggestion=suggestion).exists():
        raise ValidationError(_("This suggestion is already a rectification item."))
    project = suggestion.inspection.stage.project
    return _new_item(
        by=by,
        town=project.town,
        due_on=due_on,
        source=Rectification.Source.KEY_PROJECT,
        key_project=project,
        suggestion=suggestion,
        description=description or suggestion.text,
        owner_department=owner_department,
        owner_name=owner_name,
    )


@transaction.atomic
def add_rectification(
    *,
    by: User,
    origin: KeyProject | DepartmentEvaluation | LawInspection,
    description: str,
    owner_department: Department | None = None,
    owner_name: str = "",
    due_on: dt.date,
) -> Rectification:
    """Staff record a rectification item found by a key project, an evaluation or a law inspection."""
    if isinstance(origin, KeyProject):
        source: dict[str, object] = {"source": Rectification.Source.KEY_PROJECT, "key_project": origin}
    elif isinstance(origin, DepartmentEvaluation):
        source = {"source": Rectification.Source.EVALUATION, "evaluation": origin}
    else:
        source = {"source": Rectification.Source.LAW_INSPECTION, "law_inspection": origin}
    return _new_item(
        by=by,
        town=origin.town,
        due_on=due_on,
        description=description,
        owner_department=owner_department,
        owner_name=owner_name,
        **source,
    )


@transaction.atomic
def answer_rectification(*, item: Rectification, by: User, response: str) -> Rectification:
    """The responsible department says what it did; only a look-back closes the item."""
    if not item.is_open:
        raise ValidationError(_("The item is closed."))
    if not response.strip():
        raise ValidationError({"response": _("Write what was done.")})
    item.response = response.strip()
    item.responded_at = timezone.now()
    return save_checked(item, update_fields=["response", "responded_at"])


@transaction.atomic
def record_look_back(
    *,
    by: User,
    item: Rectification,
    checked_on: dt.date,
    verdict: str,
    deputies: Iterable[Deputy] = (),
    evidence: str = "",
    new_due_on: dt.date | None = None,
) -> LookBack:
    """A look-back (回头看): 已整改 closes the item; 部分整改 or 未整改 keeps it open with a new due date."""
    item = Rectification.objects.select_for_update().get(pk=item.pk)
    if not item.is_open:
        raise ValidationError(_("The item was already closed by a look-back."))
    if verdict == Verdict.DONE:
        new_due_on = None
    elif new_due_on is None:
        raise ValidationError({"new_due_on": _("Give the new due date for what is still to be put right.")})
    elif new_due_on <= checked_on:
        raise ValidationError({"new_due_on": _("The new due date must come after the look-back.")})
    look_back = save_checked(
        LookBack(
            rectification=item,
            checked_on=checked_on,
            verdict=verdict,
            evidence=evidence,
            new_due_on=new_due_on,
            recorded_by=by,
        )
    )
    look_back.deputies.set(_check_deputies(item.town, deputies))
    if verdict == Verdict.DONE:
        item.closed_on = checked_on
        item.save(update_fields=["closed_on"])
    else:
        assert new_due_on is not None
        item.due_on = new_due_on
        item.save(update_fields=["due_on"])
    return look_back


# Department evaluations (评议) and law-enforcement inspections (执法检查)


@transaction.atomic
def create_evaluation(*, by: User, town: Town, year: int, department: Department) -> DepartmentEvaluation:
    """Staff open the appraisal of a department for the year."""
    return save_checked(DepartmentEvaluation(town=town, year=year, department=department, created_by=by))


@transaction.atomic
def record_evaluation_steps(
    *,
    evaluation: DepartmentEvaluation,
    survey_on: dt.date | None,
    survey_notes: str,
    meeting_on: dt.date | None,
    meeting_notes: str,
) -> DepartmentEvaluation:
    """Record the investigation (调查) and the evaluation meeting (评议会)."""
    if survey_on and meeting_on and meeting_on < survey_on:
        raise ValidationError({"meeting_on": _("The meeting comes before the investigation.")})
    evaluation.survey_on, evaluation.survey_notes = survey_on, survey_notes
    evaluation.meeting_on, evaluation.meeting_notes = meeting_on, meeting_notes
    return save_checked(evaluation, update_fields=["survey_on", "survey_notes", "meeting_on", "meeting_notes"])


@transaction.atomic
def record_vote(*, evaluation: DepartmentEvaluation, satisfied: int, basically: int, unsatisfied: int) -> str:
    """Record the satisfaction vote (满意 / 基本满意 / 不满意) and return its result."""
    if min(satisfied, basically, unsatisfied) < 0:
        raise ValidationError(_("Vote counts cannot be negative."))
    if satisfied + basically + unsatisfied == 0:
        raise ValidationError(_("No votes were cast."))
    evaluation.votes_satisfied, evaluation.votes_basically, evaluation.votes_unsatisfied = (
        satisfied,
        basically,
        unsatisfied,
    )
    save_checked(evaluation, update_fields=["votes_satisfied", "votes_basically", "votes_unsatisfied"])
    result = evaluation.result
    assert result is not None
    return result


@transaction.atomic
def create_law_inspection(*, by: User, town: Town, year: int, law: str) -> LawInspection:
    """Staff open the inspection of a law for the year."""
    return save_checked(LawInspection(town=town, year=year, law=law, created_by=by))


@transaction.atomic
def add_law_activity(
    *, inspection: LawInspection, held_on: dt.date, description: str, deputies: Iterable[Deputy] = ()
) -> LawInspectionActivity:
    """Record an activity of a law inspection (hearing, site check, discussion)."""
    activity = save_checked(LawInspectionActivity(inspection=inspection, held_on=held_on, description=description))
    activity.deputies.set(_check_deputies(inspection.town, deputies))
    return activity


@transaction.atomic
def record_findings(*, inspection: LawInspection, findings: str, reported_on: dt.date) -> LawInspection:
    """Record the findings report of a law inspection."""
    inspection.findings, inspection.reported_on = findings, reported_on
    return save_checked(inspection, update_fields=["findings", "reported_on"])
