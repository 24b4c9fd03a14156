"""Review rounds (调度): opening a round and recording each project's review, which lights it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.concurrency import save_versioned
from congress.models import AnnualPlan, Town, User
from supervision.lights import light_for
from supervision.models import LivelihoodProject, ProjectReview, ReviewRound
from supervision.services.common import check_percent, save_checked


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
    round_ = save_checked(ReviewRound(town=town, year=year, month=month, opened_by=by))
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
    check_percent("actual_percent", actual_percent)
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
