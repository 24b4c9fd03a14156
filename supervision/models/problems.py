"""The key problems blocking a livelihood project and the meetings that attack them
(现场办公 / 集体会诊 / 专题研究), with their decisions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.concurrency import version_field
from congress.models import Department, User
from congress.models.fields import SHORT_TEXT, TEXT, BoundedTextField, optional_link
from supervision.models.projects import LivelihoodProject, ProjectReview, through_project


class ProjectProblemQuerySet(models.QuerySet["ProjectProblem"]):
    def with_solved(self) -> ProjectProblemQuerySet:
        """Annotate `solved`: at least one decision and every decision done."""
        open_decisions = MeetingDecision.objects.filter(meeting__problem=OuterRef("pk"), done_on__isnull=True)
        return self.annotate(decision_count=Count("meetings__decisions")).annotate(
            solved=Q(decision_count__gt=0) & ~Exists(open_decisions)
        )


class ProjectProblem(models.Model):
    """A key problem blocking a project (存在问题), attacked through meetings until their decisions are done."""

    project = models.ForeignKey(
        LivelihoodProject, on_delete=models.CASCADE, related_name="problems", verbose_name=_("project")
    )
    review = optional_link(
        ProjectReview, on_delete=models.SET_NULL, related_name="raised_problems", verbose_name=_("found in review")
    )
    description = BoundedTextField(_("problem"), max_length=TEXT)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ProjectProblemQuerySet.as_manager()

    access_rule = through_project("project__")

    class Meta:
        verbose_name = _("project problem")
        verbose_name_plural = _("project problems")
        ordering = ["project_id", "pk"]

    def __str__(self) -> str:
        return self.description[:50]

    def get_absolute_url(self) -> str:
        return reverse("supervision:problem_detail", args=[self.pk])


class ProblemMeeting(models.Model):
    """An on-site office meeting (现场办公), collective consultation (集体会诊) or special study (专题研究)."""

    class Kind(models.TextChoices):
        ONSITE = "onsite", _("on-site office meeting")
        CONSULTATION = "consultation", _("collective consultation")
        STUDY = "study", _("special study")

    problem = models.ForeignKey(
        ProjectProblem, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("problem")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    participants = BoundedTextField(_("participants"), max_length=SHORT_TEXT)
    notes = BoundedTextField(_("notes"), blank=True, max_length=SHORT_TEXT)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Moved on by each correction of the meeting with its decisions (edited on one page, as one set).
    version = version_field()

    access_rule = through_project("problem__project__")

    class Meta:
        verbose_name = _("problem-solving meeting")
        verbose_name_plural = _("problem-solving meetings")
        ordering = ["problem_id", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["onsite", "consultation", "study"]), name="problem_meeting_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:problem_detail", args=[self.problem_id])


class MeetingDecision(models.Model):
    """A decision of a problem-solving meeting, with who follows it up and by when."""

    meeting = models.ForeignKey(
        ProblemMeeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = BoundedTextField(_("decision"), max_length=TEXT)
    owner_name = models.CharField(_("follow-up owner"), max_length=50)
    owner_department = optional_link(Department, related_name="+", verbose_name=_("department"))
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    access_rule = through_project("meeting__problem__project__")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:50]
