"""Monthly targets (分解到月, 倒排工期): the proposal, saving them, moving the deadline, reporting progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.concurrency import Difference, save_versioned
from congress.models import User
from supervision import schedule
from supervision.models import LivelihoodProject, MonthlyTarget, ProjectReview
from supervision.schedule import PlannedMonth
from supervision.services.common import check_percent, save_checked

Status = LivelihoodProject.Status


def current_targets(project: LivelihoodProject) -> list[PlannedMonth]:
    return [
        PlannedMonth(month=t.month, planned_percent=t.planned_percent, target=t.target)
        for t in project.targets.order_by("month")
    ]


def proposed_targets(project: LivelihoodProject) -> list[PlannedMonth]:
    """The portal's proposal: one row per month to the deadline, spread evenly, keeping typed texts."""
    texts = {t.month: t.target for t in current_targets(project)}
    return [
        PlannedMonth(month=row.month, planned_percent=row.planned_percent, target=texts.get(row.month, ""))
        for row in schedule.propose(project.start, project.deadline)
    ]


def reviewed_through(project: LivelihoodProject) -> dt.date | None:
    """The month of the project's last recorded review: targets up to it are history."""
    last = (
        ProjectReview.objects.recorded()
        .filter(project=project)
        .order_by("-round__year", "-round__month")
        .values_list("round__year", "round__month")
        .first()
    )
    return dt.date(last[0], last[1], 1) if last else None


def _shown_month(row: PlannedMonth | None) -> str:
    if row is None:
        return _("(empty)")
    if not row.target:
        return f"{row.planned_percent}%"
    return _("%(percent)s%%, %(target)s") % {"percent": row.planned_percent, "target": row.target}


@dataclass(frozen=True)
class TargetRows:
    """The targets page's rows as one set of the project: written after the check of its
    `targets_version`, compared month by month with what is stored when another save came first."""

    project: LivelihoodProject
    rows: list[PlannedMonth]

    def differences(self) -> list[Difference]:
        stored = {row.month: row for row in current_targets(self.project)}
        yours = {row.month: row for row in self.rows}
        return [
            Difference(
                label=_("target of %(month)s") % {"month": f"{month:%Y-%m}"},
                theirs=_shown_month(stored.get(month)),
                yours=_shown_month(yours.get(month)),
            )
            for month in sorted(stored.keys() | yours.keys())
            if _shown_month(stored.get(month)) != _shown_month(yours.get(month))
        ]

    def write(self) -> None:
        _write_targets(self.project, self.rows)


@transaction.atomic
def save_targets(
    *, project: LivelihoodProject, by: User | None, rows: list[PlannedMonth], version: int | None = None
) -> list[MonthlyTarget]:
    """Replace the project's monthly targets (staff editing the proposal or the current ones).

    The months must run from the start to the deadline, the cumulative percentage never decreases and
    reaches 100 in the deadline month; months already reviewed keep their percentage. `version` is the
    project's `targets_version` as the page was drawn: when someone saved other targets since, nothing
    is written and EditConflict names the months that differ.
    """
    project = LivelihoodProject.objects.select_for_update().get(pk=project.pk)
    errors = schedule.problems(rows, start=project.start, deadline=project.deadline)
    if errors:
        raise ValidationError(errors)
    through = reviewed_through(project)
    if through is not None:
        before = {row.month: row.planned_percent for row in current_targets(project)}
        if any(row.month <= through and before.get(row.month) != row.planned_percent for row in rows):
            raise ValidationError(_("Months already reviewed keep their planned percentage."))
    save_versioned(project, version=version, fields=[], counter="targets_version", related=[TargetRows(project, rows)])
    return list(project.targets.order_by("month"))


def _write_targets(project: LivelihoodProject, rows: list[PlannedMonth]) -> list[MonthlyTarget]:
    existing = {t.month: t for t in project.targets.all()}
    keep = {row.month for row in rows}
    project.targets.exclude(month__in=keep).delete()
    saved = []
    for row in rows:
        target = existing.get(row.month) or MonthlyTarget(project=project, month=row.month)
        target.planned_percent = row.planned_percent
        target.target = row.target
        # schedule.problems checked the rows as a whole; the database backs the constraints up.
        target.full_clean(validate_constraints=False)
        if target.pk:
            # Only the plan: a progress report saved meanwhile (a versioned save) must stay.
            target.save(update_fields=["planned_percent", "target"])
        else:
            target.save()
        saved.append(target)
    return saved


def plan_deadline_move(
    *, project: LivelihoodProject, new_deadline: dt.date
) -> tuple[list[PlannedMonth], list[PlannedMonth]]:
    """The targets before and after moving the deadline, for the office to compare before confirming."""
    before = current_targets(project)
    if new_deadline < project.start:
        raise ValidationError({"deadline": _("The deadline comes before the start.")})
    try:
        after = schedule.respread(
            before, new_deadline=new_deadline, reviewed_through=reviewed_through(project), start=project.start
        )
    except ValueError as exc:
        raise ValidationError({"deadline": _("The new deadline must come after the last reviewed month.")}) from exc
    return before, after


@transaction.atomic
def move_deadline(
    *, project: LivelihoodProject, by: User | None, new_deadline: dt.date, deadline_text: str = ""
) -> LivelihoodProject:
    """Move the deadline: reviewed months stay, the rest is spread again to 100 in the new deadline month."""
    project = LivelihoodProject.objects.select_for_update().get(pk=project.pk)
    _, after = plan_deadline_move(project=project, new_deadline=new_deadline)
    project.deadline = new_deadline
    project.deadline_text = deadline_text
    save_checked(project, update_fields=["deadline", "deadline_text", "updated_at"])
    # Respreading is a save of the targets: a targets page drawn before it is out of date.
    save_versioned(project, version=None, fields=[], counter="targets_version", related=[TargetRows(project, after)])
    return project


@transaction.atomic
def report_progress(
    *,
    target: MonthlyTarget,
    by: User,
    reported_percent: int,
    progress_notes: str = "",
    completed_on: dt.date | None = None,
    version: int | None = None,
) -> MonthlyTarget:
    """A department (or staff for it) reports a month's progress and whether the month's target was met."""
    check_percent("reported_percent", reported_percent)
    target = MonthlyTarget.objects.select_for_update().select_related("project").get(pk=target.pk)
    if target.project.status != Status.IN_PROGRESS:
        raise ValidationError(_("Progress is reported only for projects in progress."))
    earlier = (
        MonthlyTarget.objects.filter(project=target.project_id, month__lt=target.month, reported_percent__isnull=False)
        .order_by("-month")
        .values_list("reported_percent", flat=True)
        .first()
    )
    if earlier is not None and reported_percent < earlier:
        raise ValidationError({"reported_percent": _("Cumulative progress cannot fall below an earlier month's.")})
    target.reported_percent = reported_percent
    target.progress_notes = progress_notes
    target.completed_on = completed_on
    target.reported_by = by
    target.reported_at = timezone.now()
    target.full_clean(validate_constraints=False)
    typed = ["reported_percent", "progress_notes", "completed_on"]
    save_versioned(target, version=version, fields=[*typed, "reported_by", "reported_at"], compared=typed)
    return target
