"""Everything that writes supervision records with rules: one function per thing a user does.

Views, the demo seeder and tasks call these; each validates, writes in one transaction and raises
ValidationError with a clear message when the step is not allowed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.concurrency import save_versioned
from congress.files import EXTENSIONS
from congress.models import AnnualPlan, Department, Deputy, Role, Town, User
from congress.uploads import clean_photo
from supervision import circulars, schedule
from supervision.lights import light_for
from supervision.models import (
    Circular,
    InspectionNote,
    LivelihoodProject,
    MeetingDecision,
    MonthlyTarget,
    ProblemMeeting,
    ProjectProblem,
    ProjectReview,
    ProjectStatusChange,
    ReviewAttachment,
    ReviewRound,
)
from supervision.schedule import PlannedMonth

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import ManyRelatedManager

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
    project.full_clean()
    project.save()
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
    save_versioned(project, version=version, fields=[*fields, "updated_at"], compared=fields)
    _set_relations(project, cooperating_departments, supervisors, summary_items)
    return project


def _set_relations(
    project: LivelihoodProject,
    cooperating_departments: list[Department] | None,
    supervisors: list[Deputy] | None,
    summary_items: list[Any] | None,
) -> None:
    # Each relation with its own kind of rows: departments, deputies, summary items.
    relations: tuple[tuple[str, list[Any] | None, ManyRelatedManager[Any, Any]], ...] = (
        ("cooperating_departments", cooperating_departments, project.cooperating_departments),
        ("supervisors", supervisors, project.supervisors),
        ("summary_items", summary_items, project.summary_items),
    )
    for label, values, field in relations:
        if values is None:
            continue
        if any(v.town_id != project.town_id for v in values):
            raise ValidationError({label: _("Every choice must belong to the project's town.")})
        field.set(values)


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


# Monthly targets (分解到月, 倒排工期)


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


@transaction.atomic
def save_targets(*, project: LivelihoodProject, by: User | None, rows: list[PlannedMonth]) -> list[MonthlyTarget]:
    """Replace the project's monthly targets (staff editing the proposal or the current ones).

    The months must run from the start to the deadline, the cumulative percentage never decreases and
    reaches 100 in the deadline month; months already reviewed keep their percentage.
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
    return _write_targets(project, rows)


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
    project.full_clean()
    project.save(update_fields=["deadline", "deadline_text", "updated_at"])
    _write_targets(project, after)
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
    if not 0 <= reported_percent <= 100:
        raise ValidationError({"reported_percent": _("Percentages run from 0 to 100.")})
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


# Review rounds (调度) and lights


def planned_percent_in(project: LivelihoodProject, month: dt.date) -> int:
    """The planned cumulative percentage for a month: 0 before the first target, 100 after the last."""
    targets = list(project.targets.all())  # prefetched by callers that loop
    planned = 0
    for target in sorted(targets, key=lambda t: t.month):
        if target.month <= month:
            planned = target.planned_percent
    if targets and month > max(t.month for t in targets):
        return 100
    return planned


@transaction.atomic
def open_round(*, town: Town, year: int, month: int, by: User) -> ReviewRound:
    """Open a review round in a month the plan lists, with one review for each project in progress."""
    plan = AnnualPlan.objects.for_town_year(town, year)
    if month not in plan.review_months:
        raise ValidationError({"month": _("The plan does not list this month for reviews.")})
    if ReviewRound.objects.filter(town=town, year=year, month=month).exists():
        raise ValidationError({"month": _("This month's round is already open.")})
    round_ = ReviewRound(town=town, year=year, month=month, opened_by=by)
    round_.full_clean()
    round_.save()
    first_day = round_.first_day
    projects = LivelihoodProject.objects.filter(town=town).in_progress().prefetch_related("targets")
    ProjectReview.objects.bulk_create(
        ProjectReview(round=round_, project=p, planned_percent=planned_percent_in(p, first_day)) for p in projects
    )
    return round_


def previous_light(review: ProjectReview) -> str:
    """The project's light in its latest recorded review before this round, or ''."""
    earlier = (
        ProjectReview.objects.recorded()
        .filter(project_id=review.project_id)
        .filter(
            models.Q(round__year__lt=review.round.year)
            | models.Q(round__year=review.round.year, round__month__lt=review.round.month)
        )
        .order_by("-round__year", "-round__month")
        .values_list("light", flat=True)
        .first()
    )
    return earlier or ""


@transaction.atomic
def record_review(
    *,
    review: ProjectReview,
    by: User,
    actual_percent: int,
    quality: str = "",
    problems: str = "",
    measures: str = "",
    next_steps: str = "",
    today: dt.date | None = None,
    version: int | None = None,
) -> ProjectReview:
    """Record a project's progress in the round and light it against the plan's thresholds."""
    if not 0 <= actual_percent <= 100:
        raise ValidationError({"actual_percent": _("Percentages run from 0 to 100.")})
    review = ProjectReview.objects.select_for_update().select_related("round", "project").get(pk=review.pk)
    today = today or timezone.localdate()
    project = review.project
    plan = AnnualPlan.objects.for_town_year(review.round.town_id, review.round.year)
    overdue = any(t.is_overdue_on(today) for t in project.targets.filter(month__lt=review.round.first_day))
    review.light, review.light_reason = light_for(
        planned=review.planned_percent,
        actual=actual_percent,
        amber_gap=plan.light_amber_gap,
        red_gap=plan.light_red_gap,
        target_overdue=overdue,
        past_deadline_unfinished=today > project.deadline and actual_percent < 100,
        previous=previous_light(review),
    )
    review.actual_percent = actual_percent
    review.quality = quality
    review.problems = problems
    review.measures = measures
    review.next_steps = next_steps
    review.reviewed_by = by
    review.reviewed_at = timezone.now()
    review.full_clean(validate_constraints=False)
    typed = ["actual_percent", "quality", "problems", "measures", "next_steps"]
    derived = ["light", "light_reason", "reviewed_by", "reviewed_at"]
    save_versioned(review, version=version, fields=typed + derived, compared=typed)
    return review


@transaction.atomic
def add_inspection_note(
    *, project: LivelihoodProject, deputy: Deputy, inspected_on: dt.date, notes: str, photo: Any = None
) -> InspectionNote:
    """A deputy supervisor records an on-site inspection of a project they supervise."""
    if not project.supervisors.filter(pk=deputy.pk).exists():
        raise ValidationError(_("Only the project's deputy supervisors add inspection notes."))
    if photo and photo.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"photo": _("Files are limited to 10 MB.")})
    note = InspectionNote(project=project, deputy=deputy, inspected_on=inspected_on, notes=notes)
    if photo:
        try:
            mime_type, content = clean_photo(photo)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.message_dict.get("file", exc.messages)}) from exc
        note.photo.save(f"photo{EXTENSIONS[mime_type]}", ContentFile(content), save=False)
    try:
        note.full_clean()
        note.save()
    except Exception:
        if note.photo:
            note.photo.delete(save=False)  # no row points at it
        raise
    return note


# Circulars (通报)


def circular_content(round_: ReviewRound) -> dict[str, Any]:
    """The summary by light, one line per project with its change since its previous review, and the problems."""
    reviews = list(round_.reviews.recorded().select_related("project").order_by("project__position", "project_id"))
    earlier = {
        r.project_id: r
        for r in ProjectReview.objects.recorded()
        .filter(project__in=[r.project_id for r in reviews])
        .filter(
            models.Q(round__year__lt=round_.year) | models.Q(round__year=round_.year, round__month__lt=round_.month)
        )
        .order_by("round__year", "round__month")
    }  # the last one per project wins
    lines = []
    for r in reviews:
        before = earlier.get(r.project_id)
        lines.append(
            {
                "project": r.project.name,
                "planned": r.planned_percent,
                "actual": r.actual_percent,
                "light": r.light,
                "reason": r.light_reason,
                "previous_actual": before.actual_percent if before else None,
                "previous_light": before.light if before else "",
                "change": r.actual_percent - before.actual_percent
                if before and r.actual_percent is not None and before.actual_percent is not None
                else None,
            }
        )
    summary = {light: sum(1 for line in lines if line["light"] == light) for light in ("green", "yellow", "red")}
    problems = [{"project": r.project.name, "problems": r.problems} for r in reviews if r.problems.strip()]
    return {"summary": summary, "lines": lines, "problems": problems}


@transaction.atomic
def draft_circular(*, round_: ReviewRound, by: User, title: str = "", introduction: str = "") -> Circular:
    """Draft the round's circular from its recorded reviews (refreshing the draft if one exists)."""
    draft = Circular.objects.select_for_update().filter(round=round_, status=Circular.Status.DRAFT).first()
    if draft is None:
        if Circular.objects.filter(round=round_).exists():
            raise ValidationError(_("This round's circular is published: correct it with a new version."))
        draft = Circular(town_id=round_.town_id, round=round_, drafted_by=by)
    draft.title = title or draft.title or _("Circular on the livelihood projects, %(round)s") % {"round": round_}
    draft.introduction = introduction or draft.introduction
    draft.content = circular_content(round_)
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def publish_circular(*, circular: Circular, by: User) -> Circular:
    """The chairman publishes the draft: its content is frozen from then on (the database enforces it)."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status != Circular.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    circular.content = circular_content(circular.round)
    circular.status = Circular.Status.PUBLISHED
    circular.published_by = by
    circular.published_at = timezone.now()
    # The archive copy is made from exactly what is frozen, in the same write that freezes it.
    circular.pdf.save(f"circular-v{circular.version}.pdf", ContentFile(circulars.pdf(circular)), save=False)
    circular.full_clean()
    circular.save()
    _notify_circular_published(circular)
    return circular


def circular_recipients(round_: ReviewRound) -> list[User]:
    """Who hears of a round's circular: the lead leaders, the lead and cooperating departments and the
    deputy supervisors of the round's projects (active accounts, each once)."""
    projects = LivelihoodProject.objects.filter(reviews__round=round_).distinct()
    departments = Department.objects.filter(
        models.Q(led_projects__in=projects) | models.Q(cooperating_projects__in=projects)
    )
    return list(
        User.objects.filter(is_active=True)
        .filter(
            models.Q(led_projects__in=projects)
            | models.Q(department__in=departments, role=Role.DEPARTMENT)
            | models.Q(deputy__supervised_projects__in=projects)
        )
        .distinct()
        .order_by("pk")
    )


def _notify_circular_published(circular: Circular) -> None:
    """In the publishing transaction: inbox and outbox rows, never the broker (the relay sends them)."""
    from congress.notifications import notify_each

    title = _("Circular published: %(title)s") % {"title": circular.title}
    if circular.version > 1:
        title = _("Corrected circular published: %(title)s (version %(version)s)") % {
            "title": circular.title,
            "version": circular.version,
        }
    summary = circular.content.get("summary", {})
    body = _("Green %(green)s, yellow %(yellow)s, red %(red)s. See how your projects stand.") % {
        light: summary.get(light, 0) for light in ("green", "yellow", "red")
    }
    notify_each(
        circular_recipients(circular.round),
        kind="supervision.circular_published",
        subject=f"circular:{circular.pk}",
        period="published",
        title=title,
        body=body,
        url=circular.get_absolute_url(),
    )


@transaction.atomic
def correct_circular(*, circular: Circular, by: User, content: dict[str, Any] | None = None) -> Circular:
    """Start a correction: a new draft version pointing to the published one, which stays as it was."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status != Circular.Status.PUBLISHED:
        raise ValidationError(_("Only a published circular is corrected; edit the draft instead."))
    if hasattr(circular, "correction"):
        raise ValidationError(_("This circular already has a correction."))
    latest = Circular.objects.filter(round=circular.round).order_by("-version").values_list("version", flat=True)
    correction = Circular(
        town_id=circular.town_id,
        round=circular.round,
        version=latest[0] + 1,
        corrects=circular,
        title=circular.title,
        introduction=circular.introduction,
        content=content if content is not None else circular_content(circular.round),
        drafted_by=by,
    )
    correction.full_clean()
    correction.save()
    return correction


@transaction.atomic
def update_circular_draft(*, circular: Circular, by: User, title: str, introduction: str) -> Circular:
    """Edit a draft's wording; a published circular refuses (and the database would too)."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_published:
        raise ValidationError(_("A published circular never changes: correct it with a new version."))
    circular.title = title
    circular.introduction = introduction
    circular.full_clean()
    circular.save(update_fields=["title", "introduction"])
    return circular


# Problem-solving records (现场办公 / 集体会诊 / 专题研究)


@transaction.atomic
def record_problem(
    *, project: LivelihoodProject, by: User, description: str, review: ProjectReview | None = None
) -> ProjectProblem:
    """Record a key problem blocking a project, optionally the one a review found."""
    if review is not None and review.project_id != project.pk:
        raise ValidationError({"review": _("The review belongs to another project.")})
    problem = ProjectProblem(project=project, review=review, description=description, created_by=by)
    problem.full_clean()
    problem.save()
    return problem


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
    problem.full_clean()
    problem.save(update_fields=["description", "review"])
    return problem


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
    meeting.full_clean()
    meeting.save()
    _write_decisions(meeting, decisions)
    return meeting


@transaction.atomic
def update_meeting(
    *, meeting: ProblemMeeting, by: User, decisions: list[dict[str, Any]], **fields: Any
) -> ProblemMeeting:
    """Correct a meeting's record and its decisions: those not listed go, except decisions already done.

    An existing decision is named by its `pk`; one without a `pk` is added.
    """
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = ProblemMeeting.objects.select_for_update().select_related("problem__project").get(pk=meeting.pk)
    for key, value in fields.items():
        setattr(meeting, key, value)
    meeting.full_clean()
    meeting.save()
    _write_decisions(meeting, decisions)
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
        decision.full_clean()
        decision.save()


@transaction.atomic
def complete_decision(*, decision: MeetingDecision, by: User, done_on: dt.date) -> MeetingDecision:
    """Mark a decision done; the problem counts as solved once all its decisions are."""
    decision = MeetingDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.done_on is not None:
        raise ValidationError(_("The decision is already done."))
    decision.done_on = done_on
    decision.full_clean()
    decision.save(update_fields=["done_on"])
    return decision


# Review attachments: photos and documents, checked by content, served only through the access module

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What an upload may be, told by its first bytes rather than its name or the browser's word for it.
ATTACHMENT_SIGNATURES: dict[str, tuple[bytes, str]] = {
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "pdf": (b"%PDF-", "application/pdf"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@transaction.atomic
def attach_to_review(*, review: ProjectReview, by: User, upload: Any) -> ReviewAttachment:
    """Keep a photo or document with a review once its size and content match an allowed type."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Files are limited to 10 MB.")})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    signature = ATTACHMENT_SIGNATURES.get(extension)
    head = upload.read(8)
    upload.seek(0)
    if signature is None or not head.startswith(signature[0]):
        raise ValidationError({"file": _("Only JPEG, PNG, PDF, DOCX and XLSX files are accepted.")})
    attachment = ReviewAttachment(
        review=review,
        file=upload,
        original_name=upload.name[:200],
        content_type=signature[1],
        size=upload.size,
        uploaded_by=by,
    )
    attachment.full_clean()
    attachment.save()
    return attachment
