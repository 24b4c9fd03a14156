"""Livelihood projects (民生实事项目): the project and its division of labour, its status changes, the
monthly targets scheduled back from the deadline (倒排工期), its review in each round with the files
kept with it, and the deputy supervisors' on-site notes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.concurrency import version_field
from congress.files import private_storage
from congress.models import Attachment, Department, Deputy, Town, User
from congress.models.fields import SHORT_TEXT, TEXT, BoundedTextField, optional_link, year_in_range
from supervision.models.rounds import Light, LightReason, ReviewRound
from visits.models import OpinionCategory, SummaryItem


def percent_between_0_and_100(field: str, name: str) -> models.CheckConstraint:
    """A CHECK that a nullable percentage field lies in 0–100."""
    condition = Q(**{f"{field}__gte": 0, f"{field}__lte": 100})
    return models.CheckConstraint(condition=Q(**{f"{field}__isnull": True}) | condition, name=name)


# A project concerns its lead department and its cooperating ones; deputies see the projects they supervise.
PROJECT_DEPARTMENTS = ("lead_department", "cooperating_departments")


def through_project(prefix: str) -> AccessRule:
    """The access rule of a row that belongs to a project reached by `prefix` (e.g. "review__project__")."""
    return AccessRule(
        town=f"{prefix}town",
        deputy=f"{prefix}supervisors",
        department=tuple(f"{prefix}{path}" for path in PROJECT_DEPARTMENTS),
    )


class LivelihoodProjectQuerySet(models.QuerySet["LivelihoodProject"]):
    def of_town_year(self, town: Town | int, year: int) -> LivelihoodProjectQuerySet:
        town_id = town if isinstance(town, int) else town.pk
        return self.filter(town_id=town_id, year=year)

    def adopted(self) -> LivelihoodProjectQuerySet:
        """Projects that passed the vote, whatever became of them since."""
        S = LivelihoodProject.Status
        return self.filter(status__in=[S.ADOPTED, S.IN_PROGRESS, S.COMPLETED, S.TERMINATED])

    def in_progress(self) -> LivelihoodProjectQuerySet:
        return self.filter(status=LivelihoodProject.Status.IN_PROGRESS)

    def with_current_review(self) -> LivelihoodProjectQuerySet:
        """Annotated with the latest recorded review's light, planned and actual percent (None before any)."""
        latest = (
            ProjectReview.objects.recorded().filter(project=OuterRef("pk")).order_by("-round__year", "-round__month")
        )
        return self.annotate(
            current_light=Subquery(latest.values("light")[:1]),
            current_planned=Subquery(latest.values("planned_percent")[:1]),
            current_actual=Subquery(latest.values("actual_percent")[:1]),
        )

    def for_table(self) -> LivelihoodProjectQuerySet:
        """Everything the division-of-labour table prints, in a fixed number of queries."""
        return self.select_related("lead_department", "presidium_member", "category").prefetch_related(
            "cooperating_departments", "supervisors", "targets"
        )


class LivelihoodProject(models.Model):
    """A livelihood project (民生实事项目) of a town's year, from candidate to completion."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        ADOPTED = "adopted", _("adopted by vote")
        REJECTED = "rejected", _("not adopted")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        TERMINATED = "terminated", _("terminated")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="livelihood_projects", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    position = models.PositiveSmallIntegerField(_("number in the table"), default=0)
    name = models.CharField(_("project name"), max_length=200)
    content = BoundedTextField(_("main content and goals"), max_length=TEXT)
    rationale = BoundedTextField(_("rationale"), blank=True, max_length=SHORT_TEXT)
    category = optional_link(OpinionCategory, related_name="livelihood_projects", verbose_name=_("category"))
    investment = models.DecimalField(_("investment (10,000 yuan)"), max_digits=10, decimal_places=2, default=0)
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True)
    lead_leader_name = models.CharField(_("leader in charge"), max_length=30, blank=True)
    lead_leader_title = models.CharField(_("leader's title"), max_length=50, blank=True)
    lead_leader = optional_link(
        User, on_delete=models.SET_NULL, related_name="led_projects", verbose_name=_("leader's login account")
    )
    lead_department = optional_link(Department, related_name="led_projects", verbose_name=_("lead department"))
    cooperating_departments = models.ManyToManyField(
        Department, blank=True, related_name="cooperating_projects", verbose_name=_("cooperating departments")
    )
    presidium_member = optional_link(
        Deputy, related_name="followed_projects", verbose_name=_("presidium member in contact")
    )
    supervisors = models.ManyToManyField(
        Deputy, blank=True, related_name="supervised_projects", verbose_name=_("deputy supervisors")
    )
    start = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    deadline_text = models.CharField(
        _("deadline as written"), max_length=30, blank=True, help_text=_("For example: by the end of September")
    )
    summary_items = models.ManyToManyField(
        SummaryItem, blank=True, related_name="livelihood_projects", verbose_name=_("source summary items")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CANDIDATE)
    termination_reason = BoundedTextField(_("reason for termination"), blank=True, max_length=SHORT_TEXT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()
    # The monthly targets are edited as one set on a page of their own: they keep their own version, so
    # saving them is no conflict for someone editing the project's description at the same time.
    targets_version = models.PositiveIntegerField(_("version of the monthly targets"), default=1, editable=False)

    objects = LivelihoodProjectQuerySet.as_manager()

    access_rule = AccessRule(town="town", deputy="supervisors", department=PROJECT_DEPARTMENTS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["town_id", "-year", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "name"], name="project_name_unique_in_town_year"),
            year_in_range("project_year_sane"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("start")), name="project_deadline_after_start"),
            models.CheckConstraint(condition=Q(investment__gte=0), name="project_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["candidate", "adopted", "rejected", "in_progress", "completed", "terminated"]),
                name="project_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated") | ~Q(termination_reason=""), name="project_termination_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_progress", "completed"]) | Q(lead_department__isnull=False),
                name="project_under_way_has_lead_department",
            ),
        ]
        indexes = [models.Index(fields=["town", "year", "status"], name="project_town_year_status")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supervision:project_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        if self.town_id and self.category is not None and self.category.town_id != self.town_id:
            errors["category"] = _("The category belongs to another town.")
        if self.town_id and self.lead_department is not None and self.lead_department.town_id != self.town_id:
            errors["lead_department"] = _("The department belongs to another town.")
        if self.town_id and self.presidium_member is not None and self.presidium_member.town_id != self.town_id:
            errors["presidium_member"] = _("The deputy belongs to another town.")
        if self.start and self.deadline and self.deadline < self.start:
            errors["deadline"] = _("The deadline comes before the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def lead_leader_display(self) -> str:
        return " ".join(part for part in (self.lead_leader_title, self.lead_leader_name) if part)

    @property
    def deadline_display(self) -> str:
        return self.deadline_text or self.deadline.isoformat()


class ProjectStatusChange(models.Model):
    """One step of a project's status machine, with who took it and why."""

    project = models.ForeignKey(
        LivelihoodProject, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("project")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=LivelihoodProject.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=LivelihoodProject.Status.choices)
    reason = BoundedTextField(_("reason"), blank=True, max_length=SHORT_TEXT)
    changed_by = optional_link(User, related_name="+", verbose_name=_("by"))
    changed_at = models.DateTimeField(_("at"), auto_now_add=True)

    access_rule = through_project("project__")

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["project_id", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_status} → {self.to_status}"


class MonthlyTargetQuerySet(models.QuerySet["MonthlyTarget"]):
    def overdue_on(self, day: dt.date) -> MonthlyTargetQuerySet:
        """Unmet after their month ended (as `is_overdue_on`), of projects still under way."""
        S = LivelihoodProject.Status
        return self.filter(
            project__status__in=[S.ADOPTED, S.IN_PROGRESS], completed_on__isnull=True, month__lt=day.replace(day=1)
        )


class MonthlyTarget(models.Model):
    """A month's target of a project (分解到月): what should be done and the planned cumulative percent.

    The responsible department reports the month's progress on the same row.
    """

    project = models.ForeignKey(
        LivelihoodProject, on_delete=models.CASCADE, related_name="targets", verbose_name=_("project")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month"))
    target = models.CharField(_("target"), max_length=300, blank=True)
    planned_percent = models.PositiveSmallIntegerField(_("planned cumulative %"))
    reported_percent = models.PositiveSmallIntegerField(_("reported cumulative %"), null=True, blank=True)
    progress_notes = BoundedTextField(_("progress"), blank=True, max_length=SHORT_TEXT)
    completed_on = models.DateField(_("target met on"), null=True, blank=True)
    reported_by = optional_link(User, related_name="+", verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    version = version_field()

    objects = MonthlyTargetQuerySet.as_manager()

    access_rule = through_project("project__")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly target")
        verbose_name_plural = _("monthly targets")
        ordering = ["project_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="target_unique_per_project_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="target_month_is_first_day"),
            percent_between_0_and_100("planned_percent", "target_planned_percent_range"),
            percent_between_0_and_100("reported_percent", "target_reported_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}: {self.planned_percent}%"

    def is_overdue_on(self, day: dt.date) -> bool:
        """Unmet after its month has ended."""
        return self.completed_on is None and _next_month(self.month) <= day


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


class ProjectReviewQuerySet(models.QuerySet["ProjectReview"]):
    def recorded(self) -> ProjectReviewQuerySet:
        return self.filter(actual_percent__isnull=False)


class ProjectReview(models.Model):
    """One project's review in a round: progress, quality, problems and the resulting light."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("round"))
    project = models.ForeignKey(
        LivelihoodProject, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("project")
    )
    planned_percent = models.PositiveSmallIntegerField(_("planned cumulative %"))
    actual_percent = models.PositiveSmallIntegerField(_("actual cumulative %"), null=True, blank=True)
    quality = BoundedTextField(_("quality assessment"), blank=True, max_length=SHORT_TEXT)
    problems = BoundedTextField(_("problems found"), blank=True, max_length=SHORT_TEXT)
    measures = BoundedTextField(_("measures taken"), blank=True, max_length=SHORT_TEXT)
    next_steps = BoundedTextField(_("next steps"), blank=True, max_length=SHORT_TEXT)
    light = models.CharField(_("light"), max_length=6, choices=Light.choices, blank=True)
    light_reason = models.CharField(_("why this light"), max_length=20, choices=LightReason.choices, blank=True)
    reviewed_by = optional_link(User, related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    version = version_field()
    # Its photos and documents, stored like every upload of the portal (congress.uploads.store_upload).
    attachments = GenericRelation(Attachment)

    objects = ProjectReviewQuerySet.as_manager()

    access_rule = through_project("project__")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project review")
        verbose_name_plural = _("project reviews")
        ordering = ["round_id", "project__position", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="review_unique_per_round_project"),
            percent_between_0_and_100("planned_percent", "review_planned_percent_range"),
            percent_between_0_and_100("actual_percent", "review_actual_percent_range"),
            models.CheckConstraint(condition=Q(light__in=["", "green", "yellow", "red"]), name="review_light_valid"),
            models.CheckConstraint(
                condition=Q(actual_percent__isnull=True, light="", reviewed_at__isnull=True)
                | Q(actual_percent__isnull=False, reviewed_at__isnull=False) & ~Q(light="") & ~Q(light_reason=""),
                name="review_recorded_has_light",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.project}"


def attachment_path(instance: Any, filename: str) -> str:
    """Where review files were stored before they became attachments of the portal (migration 0012);
    the early migrations still name it."""
    return f"supervision/{instance.review.project.town_id}/reviews/{instance.review_id}/{filename}"


def note_photo_path(instance: InspectionNote, filename: str) -> str:
    """A random name under the project's town: the photo is private, the deputy's file name is not kept."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"supervision/{instance.project.town_id}/notes/{uuid.uuid4().hex}.{extension[:5]}"


class InspectionNote(models.Model):
    """A deputy supervisor's note from inspecting a project on site (监督代表视察记录)."""

    project = models.ForeignKey(
        LivelihoodProject, on_delete=models.CASCADE, related_name="inspection_notes", verbose_name=_("project")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="inspection_notes", verbose_name=_("deputy")
    )
    inspected_on = models.DateField(_("inspected on"))
    notes = BoundedTextField(_("notes"), max_length=SHORT_TEXT)
    photo = models.ImageField(_("photo"), storage=private_storage, upload_to=note_photo_path, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    access_rule = through_project("project__")

    class Meta:
        verbose_name = _("inspection note")
        verbose_name_plural = _("inspection notes")
        ordering = ["project_id", "-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.deputy} {self.inspected_on}"

    def get_photo_url(self) -> str:
        return reverse("supervision:note_photo", args=[self.pk]) if self.photo else ""
