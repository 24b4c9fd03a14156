"""Deputies' suggestions (代表建议): every change of state is one function here.

Each function locks the suggestion, checks the state it starts from (anything else raises
IllegalTransition), applies the rule of the year's plan, and records a SuggestionEvent with who
and when. Views, the demo loader and periodic jobs call these and nothing else.

草稿 → 已提交 → 已受理 (or 不作为建议处理) → 已交办 → 已答复 → rated:
满意/基本满意 with class A or D → 办结; with B or C → 跟踪办理 → 办结; 不满意 → 重新办理 → 已答复 ...
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import access
from congress.concurrency import RelatedSet, save_versioned
from congress.dates import add_months, add_working_days, at_start_of
from congress.models import AnnualPlan, Attachment, Department, Deputy, Town, User
from congress.notifications import notify_each
from congress.reminders import town_users
from congress.roles import Role
from congress.uploads import store_upload
from suggestions.models import (
    TRANSITIONS,
    Suggestion,
    SuggestionAnswer,
    SuggestionDepartment,
    SuggestionEvent,
    SuggestionProposer,
)

State = Suggestion.State
Rating = Suggestion.Rating
ResultClass = Suggestion.ResultClass

RATING_WINDOW_WORKING_DAYS = 20
"""A deputy who has not rated an answer this many working days after it is recorded as 未评价."""

ACCEPTED_RATINGS = frozenset({Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNRATED})
SETTLED_CLASSES = frozenset({ResultClass.A, ResultClass.D})

# Bigrams so common in suggestion titles that sharing them says nothing.
STOP_BIGRAMS = frozenset({"建议", "关于", "希望", "请求", "要求", "问题", "加强", "进一步", "解决"})
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z]+")


class IllegalTransition(ValidationError):
    """The suggestion is not in a state from which this step may be taken, or the actor may not take it."""


@dataclass(frozen=True)
class SuggestionData:
    """What a proposer writes."""

    title: str
    category: str
    content: str = ""
    reasons: str = ""
    proposed_solution: str = ""


def title_bigrams(text: str) -> list[str]:
    """The character bigrams of Chinese runs in `text` (and whole Latin/digit words), sorted, unique.

    pg_trgm yields nothing for CJK text; overlapping bigrams are what a Chinese search engine indexes.
    """
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            grams.add(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    grams.update(word[:20] for word in _WORD.findall(text.lower()))
    return sorted(grams - STOP_BIGRAMS)


def similar_suggestions(*, town: Town, title: str, exclude_pk: int | None = None, limit: int = 5) -> list[Suggestion]:
    """Submitted suggestions of the town whose titles share the most bigrams with `title`."""
    qs = Suggestion.objects.filter(town=town).submitted().similar_to(title_bigrams(title))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.select_related("proposer")[:limit])


def plan_for(suggestion: Suggestion) -> AnnualPlan:
    return AnnualPlan.objects.for_town_year(suggestion.town_id, suggestion.year)


# --- helpers -----------------------------------------------------------------------------------


def _locked(suggestion: Suggestion) -> Suggestion:
    """The suggestion re-read under a row lock, so two clicks cannot both pass the state check."""
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _require_step(suggestion: Suggestion, step: str) -> None:
    """Refuse `step` unless the suggestion's state is one it may start from (models.TRANSITIONS)."""
    if not suggestion.allows(step):
        raise IllegalTransition(
            _("This step is not possible while the suggestion is %(state)s.")
            % {"state": suggestion.get_state_display()},
            code="illegal_transition",
        )


def _record(
    suggestion: Suggestion, *, by: User | None, action: str, from_state: str, note: str = ""
) -> SuggestionEvent:
    """The step in the suggestion's history; a step of the table must have led where the table says."""
    step = {"draft": "edit", "unrated": "rate"}.get(action, action)
    if step in TRANSITIONS and suggestion.state not in TRANSITIONS[step].targets:
        raise RuntimeError(f"{action} led a suggestion to {suggestion.state}, outside models.TRANSITIONS")
    return SuggestionEvent.objects.create(
        suggestion=suggestion,
        actor=by,
        action=action,
        from_state=from_state,
        to_state=suggestion.state,
        note=note,
    )


def _check_proposers(town: Town, proposer: Deputy, joint: Iterable[Deputy]) -> list[Deputy]:
    joint = [d for d in joint if d.pk != proposer.pk]
    if proposer.town_id != town.pk:
        raise ValidationError({"proposer": _("The proposer is a deputy of another town.")})
    if any(d.town_id != town.pk for d in joint):
        raise ValidationError({"joint_proposers": _("Joint proposers must be deputies of the same town.")})
    return joint


def _check_entry_rights(by: User, proposer: Deputy) -> bool:
    """Whether `by` may write for `proposer`; returns True when it is staff entering on their behalf."""
    own = access.own_deputy(by)
    if own is not None and own.pk == proposer.pk:
        return False
    if access.is_office_staff(by) and proposer.user_id is None:
        return True
    raise IllegalTransition(
        _("Only the deputy, or staff for a deputy without a login, may write this suggestion."),
        code="not_proposer",
    )


# --- drafting and submission --------------------------------------------------------------------


@transaction.atomic
def save_draft(
    *,
    by: User,
    town: Town,
    proposer: Deputy,
    data: SuggestionData,
    joint_proposers: Iterable[Deputy] = (),
    suggestion: Suggestion | None = None,
    today: dt.date | None = None,
    form_key: UUID | None = None,
    version: int | None = None,
) -> Suggestion:
    """Create or update a draft (草稿): kept until the proposer submits it.

    A new draft's `form_key` makes a second submit of the same form return the first draft; an edit's
    `version` is the one its form was drawn from, and a later edit by someone else raises EditConflict.
    """
    on_behalf = _check_entry_rights(by, proposer)
    joint = _check_proposers(town, proposer, joint_proposers)
    if suggestion is None and form_key is not None:
        existing = Suggestion.objects.filter(form_key=form_key, entered_by=by).first()
        if existing is not None:
            return existing
    if suggestion is None:
        suggestion = Suggestion(
            town=town, year=(today or timezone.localdate()).year, state=State.DRAFT, form_key=form_key
        )
        created = True
    else:
        suggestion = _locked(suggestion)
        _require_step(suggestion, "edit")
        if suggestion.town_id != town.pk:
            raise IllegalTransition(_("The suggestion belongs to another town."), code="other_town")
        created = False
    suggestion.proposer = proposer
    suggestion.entered_by = by
    suggestion.entered_on_behalf = on_behalf
    suggestion.title = data.title.strip()
    suggestion.category = data.category
    suggestion.content = data.content
    suggestion.reasons = data.reasons
    suggestion.proposed_solution = data.proposed_solution
    suggestion.title_bigrams = title_bigrams(suggestion.title)
    suggestion.full_clean()
    draft = suggestion

    def write_proposers(chosen: Sequence[Deputy]) -> None:
        SuggestionProposer.objects.filter(suggestion=draft).delete()
        SuggestionProposer.objects.bulk_create(
            [SuggestionProposer(suggestion=draft, deputy=proposer, is_lead=True)]
            + [SuggestionProposer(suggestion=draft, deputy=d) for d in chosen]
        )

    # The joint proposers (联名) are part of the edit: written after the version check, compared when it fails.
    proposers = RelatedSet(
        label=_("Joint proposers"),
        yours=joint,
        stored=lambda: Deputy.objects.filter(pk__in=draft.proposer_links.filter(is_lead=False).values("deputy")),
        write_set=write_proposers,
    )
    if created:
        try:
            with transaction.atomic():
                suggestion.save()
        except IntegrityError:
            # Two submits of one form raced: the other stored the draft first.
            return Suggestion.objects.get(form_key=form_key, entered_by=by)
        proposers.write()
        _record(suggestion, by=by, action="draft", from_state="")
    else:
        typed = ["proposer", "title", "category", "content", "reasons", "proposed_solution"]
        save_versioned(
            suggestion,
            version=version,
            fields=[*typed, "entered_by", "entered_on_behalf", "title_bigrams"],
            compared=typed,
            related=[proposers],
        )
    return suggestion


@transaction.atomic
def submit_suggestion(*, by: User, suggestion: Suggestion, today: dt.date | None = None) -> Suggestion:
    """草稿 → 已提交: the suggestion gets its number of the town's year of submission (not of the draft)."""
    suggestion = _locked(suggestion)
    _require_step(suggestion, "submit")
    _check_entry_rights(by, suggestion.proposer)
    suggestion.year = (today or timezone.localdate()).year
    # One numbering per town and year: lock the town row so two submissions never take the same number.
    Town.objects.select_for_update().filter(pk=suggestion.town_id).first()
    last = Suggestion.objects.filter(town_id=suggestion.town_id, year=suggestion.year).aggregate(n=Max("number"))["n"]
    suggestion.number = (last or 0) + 1
    suggestion.state = State.SUBMITTED
    # A suggestion entered for a day already past (a paper one typed in later) is dated that day.
    now = timezone.now()
    suggestion.submitted_at = now if today is None or today >= timezone.localdate(now) else at_start_of(today)
    suggestion.save(update_fields=["year", "number", "state", "submitted_at"])
    _record(suggestion, by=by, action="submit", from_state=State.DRAFT)
    _notify_staff_of_submission(suggestion)
    return suggestion


@transaction.atomic
def attach_file(*, by: User, suggestion: Suggestion, uploaded_file: UploadedFile) -> Attachment:
    """Attach a photo or document (附件) to a draft; the proposer's own, or staff's for a deputy without a login.

    Type and size are checked by store_upload, which raises ValidationError on "file"."""
    suggestion = _locked(suggestion)
    _require_step(suggestion, "edit")
    _check_entry_rights(by, suggestion.proposer)
    return store_upload(by=by, town=suggestion.town, owner=suggestion, uploaded_file=uploaded_file)


@transaction.atomic
def remove_file(*, by: User, suggestion: Suggestion, attachment: Attachment) -> None:
    """Take an attachment off a draft; the stored file goes with it once the removal is committed."""
    suggestion = _locked(suggestion)
    _require_step(suggestion, "edit")
    _check_entry_rights(by, suggestion.proposer)
    if attachment.content_type.model_class() is not Suggestion or attachment.object_id != suggestion.pk:
        raise ValidationError(_("The file is not attached to this suggestion."), code="other_owner")
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


def _notify_staff_of_submission(suggestion: Suggestion) -> None:
    """The town's staff hear of a new suggestion: an inbox row and outbox rows, never the broker."""
    notify_each(
        town_users(suggestion.town_id, Role.STAFF),
        kind="suggestions.submitted",
        subject=f"suggestion:{suggestion.pk}",
        period="submitted",
        title=_("New suggestion %(ref)s: %(title)s") % {"ref": suggestion.reference, "title": suggestion.title},
        url=suggestion.get_absolute_url(),
    )


@transaction.atomic
def accept_suggestion(*, by: User, suggestion: Suggestion) -> Suggestion:
    """已提交 → 已受理: the office registers it as a suggestion."""
    suggestion = _locked(suggestion)
    _require_step(suggestion, "accept")
    suggestion.state = State.ACCEPTED
    suggestion.save(update_fields=["state"])
    _record(suggestion, by=by, action="accept", from_state=State.SUBMITTED)
    return suggestion


@transaction.atomic
def decline_suggestion(*, by: User, suggestion: Suggestion, reason: str) -> Suggestion:
    """已提交 → 不作为建议处理: kept as an opinion, with the reason the deputy is told."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    suggestion = _locked(suggestion)
    _require_step(suggestion, "decline")
    suggestion.state = State.DECLINED
    suggestion.decline_reason = reason.strip()
    suggestion.save(update_fields=["state", "decline_reason"])
    _record(suggestion, by=by, action="decline", from_state=State.SUBMITTED, note=suggestion.decline_reason)
    return suggestion


# --- handling -------------------------------------------------------------------------------------


@transaction.atomic
def assign_suggestion(
    *,
    by: User,
    suggestion: Suggestion,
    lead_department: Department,
    co_departments: Iterable[Department] = (),
    assigned_on: dt.date,
) -> Suggestion:
    """已受理 → 已交办: the lead department answers within the plan's months (3 by default)."""
    suggestion = _locked(suggestion)
    _require_step(suggestion, "assign")
    co = [d for d in co_departments if d.pk != lead_department.pk]
    if lead_department.town_id != suggestion.town_id or any(d.town_id != suggestion.town_id for d in co):
        raise ValidationError({"lead_department": _("Departments must belong to the suggestion's town.")})
    if assigned_on > timezone.localdate():
        raise ValidationError({"assigned_on": _("The day of assignment cannot lie in the future.")})
    if suggestion.submitted_at is not None and assigned_on < timezone.localdate(suggestion.submitted_at):
        raise ValidationError(
            {"assigned_on": _("The day of assignment cannot precede the day the suggestion was submitted.")}
        )
    plan = plan_for(suggestion)
    suggestion.state = State.ASSIGNED
    suggestion.lead_department = lead_department
    suggestion.assigned_on = assigned_on
    suggestion.due_on = add_months(assigned_on, plan.suggestion_reply_months)
    suggestion.save(update_fields=["state", "lead_department", "assigned_on", "due_on"])
    SuggestionDepartment.objects.bulk_create(
        [SuggestionDepartment(suggestion=suggestion, department=lead_department, is_lead=True)]
        + [SuggestionDepartment(suggestion=suggestion, department=d) for d in co]
    )
    names = ", ".join([lead_department.name, *(d.name for d in co)])
    _record(suggestion, by=by, action="assign", from_state=State.ACCEPTED, note=names)
    return suggestion


@transaction.atomic
def extend_deadline(*, by: User, suggestion: Suggestion, due_on: dt.date, reason: str) -> Suggestion:
    """Move the first answer's due date later, at most the plan's maximum after assignment, with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the deputy will be told.")})
    suggestion = _locked(suggestion)
    _require_step(suggestion, "extend")
    assert suggestion.assigned_on is not None and suggestion.due_on is not None
    latest = add_months(suggestion.assigned_on, plan_for(suggestion).suggestion_reply_max_months)
    if due_on > latest:
        raise ValidationError(
            {"due_on": _("The answer is due by %(date)s at the latest.") % {"date": latest.isoformat()}}
        )
    if due_on <= suggestion.due_on:
        raise ValidationError({"due_on": _("The new date must be later than the current one.")})
    suggestion.due_on = due_on
    suggestion.extension_reason = reason.strip()
    suggestion.save(update_fields=["due_on", "extension_reason"])
    _record(suggestion, by=by, action="extend", from_state=State.ASSIGNED, note=f"{due_on.isoformat()} {reason}")
    return suggestion


@transaction.atomic
def answer_suggestion(
    *, by: User, suggestion: Suggestion, text: str, result_class: str, answered_on: dt.date
) -> SuggestionAnswer:
    """已交办 / 重新办理 → 已答复: the lead department's answer with its result class (A–D)."""
    if not text.strip():
        raise ValidationError({"text": _("Write the answer.")})
    if result_class not in ResultClass.values:
        raise ValidationError({"result_class": _("Choose a result class.")})
    suggestion = _locked(suggestion)
    _require_step(suggestion, "answer")
    if not (access.is_office_staff(by) or access.is_department_of(by, suggestion.lead_department_id)):
        raise IllegalTransition(_("Only the lead department or staff may answer."), code="not_lead_department")
    assert suggestion.lead_department_id is not None and suggestion.due_on is not None
    answer = SuggestionAnswer.objects.create(
        suggestion=suggestion,
        round=suggestion.redo_count + 1,
        department_id=suggestion.lead_department_id,
        text=text.strip(),
        result_class=result_class,
        due_on=suggestion.due_on,
        answered_on=answered_on,
        answered_by=by,
    )
    from_state = suggestion.state
    suggestion.state = State.ANSWERED
    suggestion.rating = ""
    suggestion.save(update_fields=["state", "rating"])
    _record(suggestion, by=by, action="answer", from_state=from_state, note=result_class)
    return answer


def _latest_answer(suggestion: Suggestion) -> SuggestionAnswer:
    return SuggestionAnswer.objects.select_for_update().filter(suggestion=suggestion).latest("round")


def _apply_rating(
    suggestion: Suggestion, answer: SuggestionAnswer, *, rating: str, on: dt.date, by: User | None, on_behalf: bool
) -> None:
    answer.rating = rating
    answer.rated_on = on
    answer.rated_by = by
    answer.rated_on_behalf = on_behalf
    answer.save(update_fields=["rating", "rated_on", "rated_by", "rated_on_behalf"])
    suggestion.rating = rating
    fields = ["state", "rating"]
    if rating == Rating.UNSATISFIED:
        suggestion.state = State.REDO
        suggestion.redo_count += 1
        suggestion.due_on = add_months(on, plan_for(suggestion).suggestion_redo_months)
        fields += ["redo_count", "due_on"]
    elif answer.result_class in SETTLED_CLASSES:
        suggestion.state = State.CLOSED
        suggestion.closed_on = on
        fields.append("closed_on")
    else:
        suggestion.state = State.TRACKING
    suggestion.save(update_fields=fields)


@transaction.atomic
def rate_answer(*, by: User, suggestion: Suggestion, rating: str, rated_on: dt.date) -> Suggestion:
    """已答复 → 办结 / 跟踪办理 / 重新办理, by the proposer (or staff for a proposer without a login).

    满意 or 基本满意 closes a class A or D answer and follows up B or C; 不满意 sends it back to the
    department with a new answer due after the plan's redo months (1 by default).
    """
    if rating not in (Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNSATISFIED):
        raise ValidationError({"rating": _("Choose a rating.")})
    suggestion = _locked(suggestion)
    _require_step(suggestion, "rate")
    on_behalf = _check_entry_rights(by, suggestion.proposer)
    _apply_rating(suggestion, _latest_answer(suggestion), rating=rating, on=rated_on, by=by, on_behalf=on_behalf)
    _record(suggestion, by=by, action="rate", from_state=State.ANSWERED, note=rating)
    return suggestion


def rating_deadline(answer: SuggestionAnswer) -> dt.date:
    """The last day the proposer can rate the answer before it is recorded as 未评价."""
    return add_working_days(answer.answered_on, RATING_WINDOW_WORKING_DAYS)


@transaction.atomic
def record_unrated(*, suggestion: Suggestion, today: dt.date) -> Suggestion:
    """已答复 → 办结 / 跟踪办理 with 未评价, once the rating window of 20 working days has passed.

    An unrated answer is not sent back: the deputy did not object. It counts as neither satisfied
    nor unsatisfied in the statistics.
    """
    suggestion = _locked(suggestion)
    _require_step(suggestion, "rate")
    answer = _latest_answer(suggestion)
    if today <= rating_deadline(answer):
        raise IllegalTransition(_("The deputy may still rate this answer."), code="rating_window_open")
    _apply_rating(suggestion, answer, rating=Rating.UNRATED, on=today, by=None, on_behalf=False)
    _record(suggestion, by=None, action="unrated", from_state=State.ANSWERED, note=Rating.UNRATED)
    return suggestion


def record_unrated_answers(*, today: dt.date) -> int:
    """Record 未评价 on every answer whose rating window has passed; safe to run any number of times."""
    count = 0
    for suggestion in Suggestion.objects.filter(state=State.ANSWERED).order_by("pk"):
        try:
            record_unrated(suggestion=suggestion, today=today)
        except IllegalTransition:
            continue
        count += 1
    return count


@transaction.atomic
def record_solved(*, by: User, suggestion: Suggestion, note: str = "", solved_on: dt.date) -> Suggestion:
    """跟踪办理 → 办结: staff record that a class B or C suggestion has been solved."""
    suggestion = _locked(suggestion)
    _require_step(suggestion, "solve")
    suggestion.state = State.CLOSED
    suggestion.closed_on = solved_on
    suggestion.save(update_fields=["state", "closed_on"])
    _record(suggestion, by=by, action="solve", from_state=State.TRACKING, note=note)
    return suggestion


@transaction.atomic
def flag_for_supervision(*, by: User, suggestion: Suggestion, notes: str) -> Suggestion:
    """The chairman picks a suggestion for supervised handling (督办), with notes; listed apart until closed."""
    suggestion = _locked(suggestion)
    if not suggestion.allows("supervise"):
        raise IllegalTransition(_("Only a suggestion in handling can be supervised."), code="not_in_handling")
    suggestion.supervised = True
    suggestion.supervision_notes = "\n".join(filter(None, [suggestion.supervision_notes, notes.strip()]))
    suggestion.save(update_fields=["supervised", "supervision_notes"])
    _record(suggestion, by=by, action="supervise", from_state=suggestion.state, note=notes.strip())
    return suggestion


# --- statistics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentStatistics:
    """How one lead department handled the year's suggestions."""

    department: str
    town: str
    assigned: int
    answered: int
    on_time: int
    late_or_overdue: int
    rated: int
    satisfied: int
    redone: int
    town_id: int = 0

    @property
    def on_time_percent(self) -> float | None:
        """First answers given on time, of first answers given or already overdue."""
        total = self.on_time + self.late_or_overdue
        return round(100 * self.on_time / total, 1) if total else None

    @property
    def satisfied_percent(self) -> float | None:
        """满意 + 基本满意, of the suggestions whose last answer was rated (未评价 counts as rated)."""
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None


def handling_statistics(*, suggestions: QuerySet[Suggestion], year: int, today: dt.date) -> list[DepartmentStatistics]:
    """Per lead department, for the suggestions of `year`: answered on time, satisfied, handled again.

    Two grouped queries whatever the number of departments.
    """
    of_year = suggestions.filter(year=year, lead_department__isnull=False)
    satisfied = Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
    per_department = (
        of_year.order_by()
        .values("lead_department_id", "lead_department__name", "town__name", "town_id")
        .annotate(
            assigned=Count("pk"),
            rated=Count("pk", filter=~Q(rating="")),
            satisfied=Count("pk", filter=satisfied),
            redone=Sum("redo_count"),
            # Only a suggestion never answered is still 已交办 (after a redo it is 重新办理).
            overdue_unanswered=Count("pk", filter=Q(state=State.ASSIGNED, due_on__lt=today)),
        )
    )
    first_answers = {
        row["department_id"]: row
        for row in SuggestionAnswer.objects.filter(round=1, suggestion__in=of_year.values("pk"))
        .order_by()
        .values("department_id")
        .annotate(answered=Count("pk"), in_time=Count("pk", filter=Q(answered_on__lte=F("due_on"))))
    }
    rows = []
    for row in per_department:
        answers = first_answers.get(row["lead_department_id"], {"answered": 0, "in_time": 0})
        rows.append(
            DepartmentStatistics(
                department=row["lead_department__name"],
                town=row["town__name"],
                assigned=row["assigned"],
                answered=answers["answered"],
                on_time=answers["in_time"],
                late_or_overdue=answers["answered"] - answers["in_time"] + row["overdue_unanswered"],
                rated=row["rated"],
                satisfied=row["satisfied"],
                redone=row["redone"] or 0,
                town_id=row["town_id"],
            )
        )
    return sorted(rows, key=lambda r: (r.town, r.department))
