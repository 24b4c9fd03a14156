"""Livelihood projects: adding and editing them with their division of labour, and the status machine
(候选 → 已票决通过 / 未通过 → 实施中 → 已完成, or 已终止), each step recorded with who took it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.concurrency import RelatedSet, many_to_many, save_versioned
from congress.models import Department, Deputy, Town, User
from supervision.models import LivelihoodProject, ProjectStatusChange
from supervision.services.common import save_checked

Status = LivelihoodProject.Status


# The status machine: 候选 → 已票决通过 / 未通过 → 实施中 → 已完成, or 已终止 with a reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.CANDIDATE: frozenset({Status.ADOPTED, Status.REJECTED}),
    Status.ADOPTED: frozenset({Status.IN_PROGRESS, Status.TERMINATED}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED, Status.TERMINATED}),
    Status.REJECTED: frozenset(),
    Status.COMPLETED: frozenset(),
    Status.TERMINATED: frozenset(),
}

PROJECT_FIELDS = (
    "name",
    "content",
    "rationale",
    "category",
    "investment",
    "funding_source",
    "lead_leader_name",
    "lead_leader_title",
    "lead_leader",
    "lead_department",
    "presidium_member",
    "start",
    "deadline",
    "deadline_text",
    "position",
)


@transaction.atomic
def create_project(
    *,
    by: User | None,
    town: Town,
    year: int,
    name: str,
    content: str,
    start: dt.date,
    deadline: dt.date,
    investment: Decimal | int = 0,
    cooperating_departments: list[Department] | None = None,
    supervisors: list[Deputy] | None = None,
    summary_items: list[Any] | None = None,
    **fields: Any,
) -> LivelihoodProject:
    """Add a candidate project (候选项目) with its division of labour."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    project = LivelihoodProject(
        town=town, year=year, name=name, content=content, start=start, deadline=deadline, investment=investment
    )
    for key, value in fields.items():
        setattr(project, key, value)
    if not project.position:
        project.position = LivelihoodProject.objects.of_town_year(town, year).count() + 1
    save_checked(project)
    _set_relations(project, cooperating_departments, supervisors, summary_items)
    return project


@transaction.atomic
def update_project(
    *,
    by: User | None,
    project: LivelihoodProject,
    cooperating_departments: list[Department] | None = None,
    supervisors: list[Deputy] | None = None,
    summary_items: list[Any] | None = None,
    version: int | None = None,
    **fields: Any,
) -> LivelihoodProject:
    """Change a project's description or division of labour (moving the deadline goes through move_deadline).

    `version` is the one the edit form was drawn from: a later edit by someone else raises EditConflict."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    project = LivelihoodProject.objects.select_for_update().get(pk=project.pk)
    if "deadline" in fields and fields["deadline"] != project.deadline and project.targets.exists():
        raise ValidationError(
            {"deadline": _("Move the deadline through the deadline page, which respreads the targets.")}
        )
    if "start" in fields and fields["start"] != project.start and project.targets.exists():
        raise ValidationError({"start": _("The start cannot change once monthly targets exist.")})
    for key, value in fields.items():
        setattr(project, key, value)
    project.full_clean()
    project.updated_at = timezone.now()
    # The sets are written after the version check, under its row lock, and compared when it fails.
    related = _relations(project, cooperating_departments, supervisors, summary_items)
    save_versioned(project, version=version, fields=[*fields, "updated_at"], compared=fields, related=related)
    return project


def _relations(
    project: LivelihoodProject,
    cooperating_departments: list[Department] | None,
    supervisors: list[Deputy] | None,
    summary_items: list[Any] | None,
) -> list[RelatedSet[Any]]:
    """The relations given, checked to belong to the project's town (None leaves one as it is)."""
    # Each relation with its own kind of rows: departments, deputies, summary items.
    given: tuple[tuple[str, list[Any] | None], ...] = (
        ("cooperating_departments", cooperating_departments),
        ("supervisors", supervisors),
        ("summary_items", summary_items),
    )
    related = []
    for name, values in given:
        if values is None:
            continue
        if any(v.town_id != project.town_id for v in values):
            raise ValidationError({name: _("Every choice must belong to the project's town.")})
        related.append(many_to_many(project, name, values))
    return related


def _set_relations(
    project: LivelihoodProject,
    cooperating_departments: list[Department] | None,
    supervisors: list[Deputy] | None,
    summary_items: list[Any] | None,
) -> None:
    for rows in _relations(project, cooperating_departments, supervisors, summary_items):
        rows.write()


def _transition(*, project: LivelihoodProject, to: str, by: User | None, reason: str = "") -> LivelihoodProject:
    locked = LivelihoodProject.objects.select_for_update().get(pk=project.pk)
    if to not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("A project that is %(current)s cannot become %(target)s.")
            % {"current": locked.get_status_display(), "target": Status(to).label}
        )
    before = locked.status
    locked.status = to
    update_fields = ["status", "updated_at"]
    if to == Status.TERMINATED:
        locked.termination_reason = reason
        update_fields.append("termination_reason")
    # Only the status moved and the rules above checked it; the database backs the constraints up.
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=update_fields)
    ProjectStatusChange.objects.create(project=locked, from_status=before, to_status=to, reason=reason, changed_by=by)
    project.status = locked.status
    project.termination_reason = locked.termination_reason
    return locked


@transaction.atomic
def adopt_project(*, project: LivelihoodProject, by: User | None) -> LivelihoodProject:
    """The session passed the candidate by vote (已票决通过)."""
    return _transition(project=project, to=Status.ADOPTED, by=by)


@transaction.atomic
def reject_project(*, project: LivelihoodProject, by: User | None) -> LivelihoodProject:
    """The session did not adopt the candidate (未通过)."""
    return _transition(project=project, to=Status.REJECTED, by=by)


@transaction.atomic
def start_project(*, project: LivelihoodProject, by: User | None) -> LivelihoodProject:
    """Work begins (实施中): the project needs a lead department by then."""
    if project.lead_department_id is None:
        raise ValidationError({"lead_department": _("Name the lead department before the project starts.")})
    return _transition(project=project, to=Status.IN_PROGRESS, by=by)


@transaction.atomic
def complete_project(*, project: LivelihoodProject, by: User | None) -> LivelihoodProject:
    """The project is finished (已完成)."""
    return _transition(project=project, to=Status.COMPLETED, by=by)


@transaction.atomic
def terminate_project(*, project: LivelihoodProject, by: User | None, reason: str) -> LivelihoodProject:
    """The project is stopped (已终止); the reason is required and kept."""
    if not reason.strip():
        raise ValidationError({"termination_reason": _("Give the reason for terminating the project.")})
    return _transition(project=project, to=Status.TERMINATED, by=by, reason=reason.strip())
