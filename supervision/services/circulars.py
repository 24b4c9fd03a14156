"""Circulars (通报): drafting a round's circular, publishing it (which freezes it and tells those concerned)
and correcting a published one with a new version.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Department, Role, User
from congress.notifications import notify_each
from supervision.circulars import pdf as circular_pdf
from supervision.models import Circular, LivelihoodProject, ProjectReview, ReviewRound
from supervision.services.common import save_checked


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
    return save_checked(draft)


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
    circular.pdf.save(f"circular-v{circular.version}.pdf", ContentFile(circular_pdf(circular)), save=False)
    save_checked(circular)
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
    return save_checked(
        Circular(
            town_id=circular.town_id,
            round=circular.round,
            version=latest[0] + 1,
            corrects=circular,
            title=circular.title,
            introduction=circular.introduction,
            content=content if content is not None else circular_content(circular.round),
            drafted_by=by,
        )
    )


@transaction.atomic
def update_circular_draft(*, circular: Circular, by: User, title: str, introduction: str) -> Circular:
    """Edit a draft's wording; a published circular refuses (and the database would too)."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_published:
        raise ValidationError(_("A published circular never changes: correct it with a new version."))
    circular.title = title
    circular.introduction = introduction
    return save_checked(circular, update_fields=["title", "introduction"])
