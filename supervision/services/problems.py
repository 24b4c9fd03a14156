"""Problem-solving records (现场办公 / 集体会诊 / 专题研究): a project's key problems, the meetings held
on them and their decisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congress.concurrency import Difference, save_versioned
from congress.models import User
from supervision.models import LivelihoodProject, MeetingDecision, ProblemMeeting, ProjectProblem, ProjectReview
from supervision.services.common import save_checked


@transaction.atomic
def record_problem(
    *, project: LivelihoodProject, by: User, description: str, review: ProjectReview | None = None
) -> ProjectProblem:
    """Record a key problem blocking a project, optionally the one a review found."""
    if review is not None and review.project_id != project.pk:
        raise ValidationError({"review": _("The review belongs to another project.")})
    return save_checked(ProjectProblem(project=project, review=review, description=description, created_by=by))


@transaction.atomic
def update_problem(
    *, problem: ProjectProblem, by: User, description: str, review: ProjectReview | None = None
) -> ProjectProblem:
    """Reword a problem or say which review found it."""
    problem = ProjectProblem.objects.select_for_update().get(pk=problem.pk)
    if review is not None and review.project_id != problem.project_id:
        raise ValidationError({"review": _("The review belongs to another project.")})
    problem.description = description
    problem.review = review
    return save_checked(problem, update_fields=["description", "review"])


MEETING_FIELDS = ("kind", "held_on", "place", "participants", "notes")
DECISION_FIELDS = ("text", "owner_name", "owner_department", "due_on")


@transaction.atomic
def record_meeting(
    *,
    problem: ProjectProblem,
    by: User,
    kind: str,
    held_on: dt.date,
    participants: str,
    decisions: list[dict[str, Any]],
    place: str = "",
    notes: str = "",
) -> ProblemMeeting:
    """Record a meeting on a problem with its decisions (text, owner_name, due_on, owner_department)."""
    meeting = ProblemMeeting(
        problem=problem, kind=kind, held_on=held_on, participants=participants, place=place, notes=notes, created_by=by
    )
    save_checked(meeting)
    _write_decisions(meeting, decisions)
    return meeting


def _shown_decision(values: dict[str, Any]) -> str:
    department = values.get("owner_department")
    owner = " ".join(str(part) for part in (department, values.get("owner_name")) if part)
    return _("%(text)s (%(owner)s, due %(due)s)") % {
        "text": str(values.get("text", "")).strip(),
        "owner": owner,
        "due": values.get("due_on"),
    }


@dataclass(frozen=True)
class DecisionRows:
    """A meeting's decisions as the page edits them, one set of the meeting: written after the
    meeting's version check, compared with the stored decisions when another correction came first."""

    meeting: ProblemMeeting
    decisions: list[dict[str, Any]]

    def differences(self) -> list[Difference]:
        stored = [
            {name: getattr(d, name) for name in DECISION_FIELDS}
            for d in self.meeting.decisions.select_related("owner_department")
        ]
        theirs = sorted(_shown_decision(d) for d in stored)
        yours = sorted(_shown_decision(d) for d in self.decisions)
        if theirs == yours:
            return []
        label = str(MeetingDecision._meta.verbose_name_plural)
        return [
            Difference(label=label, theirs="、".join(theirs) or _("(empty)"), yours="、".join(yours) or _("(empty)"))
        ]

    def write(self) -> None:
        _write_decisions(self.meeting, self.decisions)


@transaction.atomic
def update_meeting(
    *,
    meeting: ProblemMeeting,
    by: User,
    decisions: list[dict[str, Any]],
    version: int | None = None,
    **fields: Any,
) -> ProblemMeeting:
    """Correct a meeting's record and its decisions: those not listed go, except decisions already done.

    An existing decision is named by its `pk`; one without a `pk` is added. `version` is the meeting's as
    the page was drawn: when someone corrected it since and it differs from this correction, nothing is
    written and EditConflict says what the other saved.
    """
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = ProblemMeeting.objects.select_for_update().select_related("problem__project").get(pk=meeting.pk)
    for key, value in fields.items():
        setattr(meeting, key, value)
    meeting.full_clean()
    save_versioned(meeting, version=version, fields=list(fields), related=[DecisionRows(meeting, decisions)])
    return meeting


def _write_decisions(meeting: ProblemMeeting, decisions: list[dict[str, Any]]) -> None:
    if not decisions:
        raise ValidationError({"decisions": _("A meeting records at least one decision.")})
    existing = {d.pk: d for d in meeting.decisions.select_for_update()}
    listed = {data["pk"] for data in decisions if data.get("pk") is not None}
    if listed - existing.keys():
        raise ValidationError({"decisions": _("The decision belongs to another meeting.")})
    if any(d.done_on is not None for pk, d in existing.items() if pk not in listed):
        raise ValidationError({"decisions": _("A decision that is done stays on the record.")})
    MeetingDecision.objects.filter(pk__in=existing.keys() - listed).delete()
    for data in decisions:
        unknown = set(data) - {*DECISION_FIELDS, "pk"}
        if unknown:
            raise TypeError(f"unknown decision fields: {sorted(unknown)}")
        department = data.get("owner_department")
        if department is not None and department.town_id != meeting.problem.project.town_id:
            raise ValidationError({"decisions": _("The department belongs to another town.")})
        pk = data.get("pk")
        decision = (existing.get(pk) if pk is not None else None) or MeetingDecision(meeting=meeting)
        for key in DECISION_FIELDS:
            if key in data:
                setattr(decision, key, data[key])
        save_checked(decision)


@transaction.atomic
def complete_decision(*, decision: MeetingDecision, by: User, done_on: dt.date) -> MeetingDecision:
    """Mark a decision done; the problem counts as solved once all its decisions are."""
    decision = MeetingDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.done_on is not None:
        raise ValidationError(_("The decision is already done."))
    decision.done_on = done_on
    return save_checked(decision, update_fields=["done_on"])
