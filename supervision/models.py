"""Supervision of livelihood projects (民生实事项目): the projects and their division of labour, monthly
targets scheduled back from the deadline (倒排工期), bimonthly review rounds (调度) with traffic lights,
circulars (通报) and the meetings that attack a project's problems (现场办公 / 集体会诊 / 专题研究).

Every row belongs to one town; the services in supervision.services are the only writers with rules.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.concurrency import version_field
from congress.files import private_storage
from congress.models import Attachment, Department, Deputy, Town, User
from congress.roles import Role
from sittings.models import Session
from visits.models import OpinionCategory, SummaryItem


def _percent_between_0_and_100(field: str, name: str) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": 0, f"{field}__lte": 100})
    return models.CheckConstraint(condition=Q(**{f"{field}__isnull": True}) | condition, name=name)


# A project concerns its lead department and its cooperating ones; deputies see the projects they supervise.
PROJECT_DEPARTMENTS = ("lead_department", "cooperating_departments")


def _through_project(prefix: str) -> AccessRule:
    return AccessRule(
        town=f"{prefix}town",
        deputy=f"{prefix}supervisors",
        department=tuple(f"{prefix}{path}" for path in PROJECT_DEPARTMENTS),
    )


class Light(models.TextChoices):
    """The traffic light of a project in a review round."""

    GREEN = "green", _("green")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")


class LightReason(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    BEHIND = "behind", _("behind plan")
    OVERDUE_TARGET = "overdue_target", _("a monthly target is overdue")
    FAR_BEHIND = "far_behind", _("far behind plan")
    PAST_DEADLINE = "past_deadline", _("past the deadline and unfinished")
    RECOVERED = "recovered", _("recovered from red")


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
    content = models.TextField(_("main content and goals"))
    rationale = models.TextField(_("rationale"), blank=True)
    category = models.ForeignKey(
        OpinionCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="livelihood_projects",
        verbose_name=_("category"),
    )
    investment = models.DecimalField(_("investment (10,000 yuan)"), max_digits=10, decimal_places=2, default=0)
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True)
    lead_leader_name = models.CharField(_("leader in charge"), max_length=30, blank=True)
    lead_leader_title = models.CharField(_("leader's title"), max_length=50, blank=True)
    lead_leader = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("leader's login account"),
    )
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("lead department"),
    )
    cooperating_departments = models.ManyToManyField(
        Department, blank=True, related_name="cooperating_projects", verbose_name=_("cooperating departments")
    )
    presidium_member = models.ForeignKey(
        Deputy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_projects",
        verbose_name=_("presidium member in contact"),
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
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()

    objects = LivelihoodProjectQuerySet.as_manager()

    access_rule = AccessRule(town="town", deputy="supervisors", department=PROJECT_DEPARTMENTS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["town_id", "-year", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "name"], name="project_name_unique_in_town_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="project_year_sane"),
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
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("by")
    )
    changed_at = models.DateTimeField(_("at"), auto_now_add=True)

    access_rule = _through_project("project__")

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
    progress_notes = models.TextField(_("progress"), blank=True)
    completed_on = models.DateField(_("target met on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    version = version_field()

    objects = MonthlyTargetQuerySet.as_manager()

    access_rule = _through_project("project__")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly target")
        verbose_name_plural = _("monthly targets")
        ordering = ["project_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="target_unique_per_project_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="target_month_is_first_day"),
            _percent_between_0_and_100("planned_percent", "target_planned_percent_range"),
            _percent_between_0_and_100("reported_percent", "target_reported_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}: {self.planned_percent}%"

    def is_overdue_on(self, day: dt.date) -> bool:
        """Unmet after its month has ended."""
        return self.completed_on is None and _next_month(self.month) <= day


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


class ReviewRound(models.Model):
    """A bimonthly review (调度) of every project under way in a town, in a month the plan lists."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    # Which rounds exist is not confidential; the reviews inside are scoped by project.
    access_rule = AccessRule(town="town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["town_id", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "month"], name="review_round_unique_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="review_round_month_valid"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="review_round_year_sane"),
        ]

    def __str__(self) -> str:
        return _("%(year)s-%(month)02d review") % {"year": self.year, "month": self.month}

    def get_absolute_url(self) -> str:
        return reverse("supervision:round_detail", args=[self.pk])

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


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
    quality = models.TextField(_("quality assessment"), blank=True)
    problems = models.TextField(_("problems found"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    light = models.CharField(_("light"), max_length=6, choices=Light.choices, blank=True)
    light_reason = models.CharField(_("why this light"), max_length=20, choices=LightReason.choices, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    version = version_field()

    objects = ProjectReviewQuerySet.as_manager()

    access_rule = _through_project("project__")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project review")
        verbose_name_plural = _("project reviews")
        ordering = ["round_id", "project__position", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="review_unique_per_round_project"),
            _percent_between_0_and_100("planned_percent", "review_planned_percent_range"),
            _percent_between_0_and_100("actual_percent", "review_actual_percent_range"),
            models.CheckConstraint(condition=Q(light__in=["", "green", "yellow", "red"]), name="review_light_valid"),
            models.CheckConstraint(
                condition=Q(actual_percent__isnull=True, light="", reviewed_at__isnull=True)
                | Q(actual_percent__isnull=False, reviewed_at__isnull=False) & ~Q(light="") & ~Q(light_reason=""),
                name="review_recorded_has_light",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.project}"


def attachment_path(instance: ReviewAttachment, filename: str) -> str:
    return f"supervision/{instance.review.project.town_id}/reviews/{instance.review_id}/{filename}"


class ReviewAttachment(models.Model):
    """A photo or document of a review, served only through the access module."""

    review = models.ForeignKey(
        ProjectReview, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("review")
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    access_rule = _through_project("review__project__")

    class Meta:
        verbose_name = _("review attachment")
        verbose_name_plural = _("review attachments")
        ordering = ["review_id", "pk"]

    def __str__(self) -> str:
        return self.original_name


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
    notes = models.TextField(_("notes"))
    photo = models.ImageField(_("photo"), storage=private_storage, upload_to=note_photo_path, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    access_rule = _through_project("project__")

    class Meta:
        verbose_name = _("inspection note")
        verbose_name_plural = _("inspection notes")
        ordering = ["project_id", "-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.deputy} {self.inspected_on}"

    def get_photo_url(self) -> str:
        return reverse("supervision:note_photo", args=[self.pk]) if self.photo else ""


def circular_pdf_path(instance: Circular, filename: str) -> str:
    return f"circulars/{instance.town_id}/{instance.round_id}/{uuid.uuid4().hex}.pdf"


class CircularQuerySet(models.QuerySet["Circular"]):
    def published(self) -> CircularQuerySet:
        return self.filter(status=Circular.Status.PUBLISHED)


class Circular(models.Model):
    """The circular (通报) of a review round. Once published it never changes: a correction is a new
    version that points to the one it corrects. A database trigger refuses updates to published rows."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="circulars", verbose_name=_("town"))
    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="circulars", verbose_name=_("review round")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    # The summary by light, one line per project and the problems, frozen when published.
    content = models.JSONField(_("content"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by"))
    published_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The archived PDF, made once when the circular is published and kept as it was printed.
    pdf = models.FileField(_("archived PDF"), storage=private_storage, upload_to=circular_pdf_path, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CircularQuerySet.as_manager()

    # Circulars are circulated to everyone concerned; drafts stay with the office (see the views).
    access_rule = AccessRule(town="town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["town_id", "-round__year", "-round__month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="circular_version_unique_in_round"),
            models.UniqueConstraint(fields=["round"], condition=Q(status="draft"), name="circular_one_draft_per_round"),
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="circular_status_valid"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False, published_by__isnull=False),
                name="circular_published_has_publisher",
            ),
            models.CheckConstraint(
                condition=Q(version=1, corrects__isnull=True) | Q(version__gt=1, corrects__isnull=False),
                name="circular_correction_points_back",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("supervision:circular_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


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
    review = models.ForeignKey(
        ProjectReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_problems",
        verbose_name=_("found in review"),
    )
    description = models.TextField(_("problem"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ProjectProblemQuerySet.as_manager()

    access_rule = _through_project("project__")

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
    participants = models.TextField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    access_rule = _through_project("problem__project__")

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
    text = models.TextField(_("decision"))
    owner_name = models.CharField(_("follow-up owner"), max_length=50)
    owner_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    access_rule = _through_project("meeting__problem__project__")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


# --- Voting on livelihood projects (票决) -------------------------------------------------------------


class ProjectVote(models.Model):
    """The vote (票决) of a congress session on the year's candidate projects: item by item, with more
    candidates than places (差额). Counting stays open until staff close it; closing sets every
    candidate's status. The figures the results rest on are kept as they stood at the close."""

    class State(models.TextChoices):
        OPEN = "open", _("counting")
        CLOSED = "closed", _("closed")

    session = models.OneToOneField(
        Session, on_delete=models.PROTECT, related_name="project_vote", verbose_name=_("congress session")
    )
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.OPEN)
    places = models.PositiveSmallIntegerField(_("projects to adopt"))
    in_office = models.PositiveSmallIntegerField(_("deputies in office"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("deputies present"), null=True, blank=True)
    votes_to_pass = models.PositiveSmallIntegerField(_("votes needed to pass"), null=True, blank=True)
    tie_decision = models.TextField(_("decision on the tie at the cut"), blank=True)
    opened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    access_rule = AccessRule(town="session__town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote on livelihood projects")
        verbose_name_plural = _("votes on livelihood projects")
        ordering = ["-session__starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["open", "closed"]), name="vote_state_valid"),
            models.CheckConstraint(condition=Q(places__gt=0), name="vote_has_places"),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | Q(
                    state="closed",
                    closed_at__isnull=False,
                    in_office__isnull=False,
                    present__isnull=False,
                    votes_to_pass__isnull=False,
                ),
                name="vote_closed_keeps_its_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {_('vote on livelihood projects')}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:vote_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ProjectVoteItem(models.Model):
    """One candidate on the ballot (选票): its counts (赞成 / 反对 / 弃权) and, once closed, its result."""

    class Result(models.TextChoices):
        PENDING = "pending", _("not yet decided")
        ADOPTED = "adopted", _("adopted")
        BEYOND_PLACES = "beyond", _("passed, beyond the number to adopt")
        FAILED = "failed", _("did not pass")

    vote = models.ForeignKey(ProjectVote, on_delete=models.CASCADE, related_name="items", verbose_name=_("vote"))
    project = models.OneToOneField(
        LivelihoodProject, on_delete=models.PROTECT, related_name="vote_item", verbose_name=_("project")
    )
    position = models.PositiveSmallIntegerField(_("number on the ballot"))
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default=Result.PENDING)
    chosen_at_tie = models.BooleanField(_("adopted by the decision on the tie"), default=False)

    access_rule = AccessRule(town="vote__session__town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ballot item")
        verbose_name_plural = _("ballot items")
        ordering = ["vote_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "position"], name="vote_item_position_unique"),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True, votes_against__isnull=True, abstentions__isnull=True)
                | Q(votes_for__isnull=False, votes_against__isnull=False, abstentions__isnull=False),
                name="vote_item_counted_whole",
            ),
            models.CheckConstraint(
                condition=Q(result__in=["pending", "adopted", "beyond", "failed"]), name="vote_item_result_valid"
            ),
            models.CheckConstraint(
                condition=Q(result="pending") | Q(votes_for__isnull=False), name="vote_item_decided_when_counted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.project}"

    @property
    def counted(self) -> bool:
        return self.votes_for is not None

    @property
    def total(self) -> int:
        return (self.votes_for or 0) + (self.votes_against or 0) + (self.abstentions or 0)


# Whole-process supervision of key works (重点工作): key projects with stages and on-site inspections,
# rectification items closed only by a look-back (回头看), department evaluations (评议) and
# law-enforcement inspections (执法检查). The writers are in supervision.keyworks.


class KeyProject(models.Model):
    """One of the town government's key works of a year (重点工作/工程) that the congress supervises."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="key_projects", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("content and goals"), blank=True)
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_projects",
        verbose_name=_("responsible department"),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    access_rule = AccessRule(town="town", deputy="assignments__deputy", department="lead_department")

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["town_id", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "name"], name="key_project_name_unique_in_town_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="key_project_year_sane"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supervision:keyproject_detail", args=[self.pk])

    def clean(self) -> None:
        if self.town_id and self.lead_department is not None and self.lead_department.town_id != self.town_id:
            raise ValidationError({"lead_department": _("The department belongs to another town.")})


class KeyProjectAssignment(models.Model):
    """A deputy following a key project, in a tier: leading (牵头) or taking part (参与)."""

    class Tier(models.TextChoices):
        LEAD = "lead", _("leading")
        MEMBER = "member", _("taking part")

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("key project")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="key_assignments", verbose_name=_("deputy")
    )
    tier = models.CharField(_("tier"), max_length=6, choices=Tier.choices)

    access_rule = AccessRule(
        town="project__town", deputy="project__assignments__deputy", department="project__lead_department"
    )

    class Meta:
        verbose_name = _("deputy assignment")
        verbose_name_plural = _("deputy assignments")
        ordering = ["project_id", "tier", "deputy__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "deputy"], name="key_assignment_unique"),
            models.CheckConstraint(condition=Q(tier__in=["lead", "member"]), name="key_assignment_tier_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} ({self.get_tier_display()})"


class Stage(models.Model):
    """A construction stage (阶段) of a key project, with its planned dates."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="stages", verbose_name=_("key project")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("stage"), max_length=100)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))

    access_rule = AccessRule(
        town="project__town", deputy="project__assignments__deputy", department="project__lead_department"
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["project_id", "position", "planned_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")), name="stage_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class StageInspection(models.Model):
    """An on-site inspection of a stage (现场调研): who went, what they saw and the report they heard (听取汇报)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("stage"))
    inspected_on = models.DateField(_("date"))
    deputies = models.ManyToManyField(Deputy, related_name="stage_inspections", verbose_name=_("deputies present"))
    notes = models.TextField(_("on-site notes"))
    reported_by = models.CharField(_("report given by"), max_length=100, blank=True)
    report_summary = models.TextField(_("summary of the report heard"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    attachments = GenericRelation(Attachment)

    access_rule = AccessRule(
        town="stage__project__town",
        deputy="stage__project__assignments__deputy",
        department="stage__project__lead_department",
    )

    class Meta:
        verbose_name = _("stage inspection")
        verbose_name_plural = _("stage inspections")
        ordering = ["stage_id", "-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.stage} {self.inspected_on}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:inspection_detail", args=[self.pk])


class InspectionSuggestion(models.Model):
    """A suggestion (意见建议) the deputies made during a stage inspection."""

    inspection = models.ForeignKey(
        StageInspection, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("inspection")
    )
    text = models.TextField(_("suggestion"))

    access_rule = AccessRule(
        town="inspection__stage__project__town",
        deputy="inspection__stage__project__assignments__deputy",
        department="inspection__stage__project__lead_department",
    )

    class Meta:
        verbose_name = _("inspection suggestion")
        verbose_name_plural = _("inspection suggestions")
        ordering = ["inspection_id", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class DepartmentEvaluation(models.Model):
    """The appraisal of a government department (评议): 调查 → 评议会 → 整改 → 回头看, and the satisfaction vote."""

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASICALLY = "basically", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("department")
    )
    survey_on = models.DateField(_("investigation date"), null=True, blank=True)
    survey_notes = models.TextField(_("investigation record"), blank=True)
    meeting_on = models.DateField(_("evaluation meeting date"), null=True, blank=True)
    meeting_notes = models.TextField(_("evaluation meeting record"), blank=True)
    votes_satisfied = models.PositiveSmallIntegerField(_("satisfied votes"), null=True, blank=True)
    votes_basically = models.PositiveSmallIntegerField(_("basically satisfied votes"), null=True, blank=True)
    votes_unsatisfied = models.PositiveSmallIntegerField(_("unsatisfied votes"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # The appraisal is public within the town; the department sees its own.
    access_rule = AccessRule(town="town", department="department", town_wide=frozenset({Role.DEPUTY}))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department evaluation")
        verbose_name_plural = _("department evaluations")
        ordering = ["town_id", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "year", "department"], name="evaluation_unique_per_department_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="evaluation_year_sane"),
            models.CheckConstraint(
                condition=Q(votes_satisfied__isnull=True, votes_basically__isnull=True, votes_unsatisfied__isnull=True)
                | Q(votes_satisfied__isnull=False, votes_basically__isnull=False, votes_unsatisfied__isnull=False),
                name="evaluation_votes_all_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:evaluation_detail", args=[self.pk])

    def clean(self) -> None:
        if self.department_id and self.town_id and self.department.town_id != self.town_id:
            raise ValidationError({"department": _("The department belongs to another town.")})

    @property
    def result(self) -> str | None:
        """满意 if more than half of the votes cast; else 基本满意 if 满意 + 基本满意 are; else 不满意."""
        if self.votes_satisfied is None or self.votes_basically is None or self.votes_unsatisfied is None:
            return None
        return satisfaction_result(self.votes_satisfied, self.votes_basically, self.votes_unsatisfied)


def satisfaction_result(satisfied: int, basically: int, unsatisfied: int) -> str | None:
    """The rule of the vote, over the votes cast; None when nobody voted. Half is not more than half."""
    cast = satisfied + basically + unsatisfied
    if cast == 0:
        return None
    if satisfied * 2 > cast:
        return DepartmentEvaluation.Result.SATISFIED
    if (satisfied + basically) * 2 > cast:
        return DepartmentEvaluation.Result.BASICALLY
    return DepartmentEvaluation.Result.UNSATISFIED


class LawInspection(models.Model):
    """A law-enforcement inspection (执法检查) of one law in a year, with its findings report."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="law_inspections", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    law = models.CharField(_("law"), max_length=200)
    findings = models.TextField(_("findings report"), blank=True)
    reported_on = models.DateField(_("report date"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    access_rule = AccessRule(town="town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    class Meta:
        verbose_name = _("law-enforcement inspection")
        verbose_name_plural = _("law-enforcement inspections")
        ordering = ["town_id", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "law"], name="law_inspection_unique_per_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="law_inspection_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.law}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:law_detail", args=[self.pk])


class LawInspectionActivity(models.Model):
    """One activity of a law inspection: a hearing, a site visit, a discussion (检查活动)."""

    inspection = models.ForeignKey(
        LawInspection, on_delete=models.CASCADE, related_name="activities", verbose_name=_("law-enforcement inspection")
    )
    held_on = models.DateField(_("date"))
    description = models.TextField(_("activity"))
    deputies = models.ManyToManyField(
        Deputy, blank=True, related_name="law_activities", verbose_name=_("deputies present")
    )

    access_rule = AccessRule(town="inspection__town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    class Meta:
        verbose_name = _("inspection activity")
        verbose_name_plural = _("inspection activities")
        ordering = ["inspection_id", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.inspection} {self.held_on}"


class RectificationQuerySet(models.QuerySet["Rectification"]):
    def open(self) -> RectificationQuerySet:
        return self.filter(closed_on__isnull=True)

    def overdue_on(self, day: dt.date) -> RectificationQuerySet:
        return self.open().filter(due_on__lt=day)


class Rectification(models.Model):
    """A rectification item (整改事项): what must be put right, by whom and by when.

    It comes from a key project's inspection, a department evaluation or a law inspection, and it is
    closed only by a look-back (回头看) whose verdict is 已整改 (see keyworks.record_look_back).
    """

    class Source(models.TextChoices):
        KEY_PROJECT = "key_project", _("key project")
        EVALUATION = "evaluation", _("department evaluation")
        LAW_INSPECTION = "law_inspection", _("law-enforcement inspection")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("town"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    key_project = models.ForeignKey(
        KeyProject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("key project"),
    )
    suggestion = models.OneToOneField(
        InspectionSuggestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectification",
        verbose_name=_("from suggestion"),
    )
    evaluation = models.ForeignKey(
        DepartmentEvaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("department evaluation"),
    )
    law_inspection = models.ForeignKey(
        LawInspection,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("law-enforcement inspection"),
    )
    description = models.TextField(_("what must be put right"))
    owner_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("responsible department"),
    )
    owner_name = models.CharField(_("responsible person"), max_length=50, blank=True)
    due_on = models.DateField(_("due"))
    response = models.TextField(_("department's answer"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    access_rule = AccessRule(town="town", deputy="key_project__assignments__deputy", department="owner_department")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["town_id", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    source="key_project",
                    key_project__isnull=False,
                    evaluation__isnull=True,
                    law_inspection__isnull=True,
                )
                | Q(
                    source="evaluation", key_project__isnull=True, evaluation__isnull=False, law_inspection__isnull=True
                )
                | Q(
                    source="law_inspection",
                    key_project__isnull=True,
                    evaluation__isnull=True,
                    law_inspection__isnull=False,
                ),
                name="rectification_one_source",
            ),
            models.CheckConstraint(
                condition=Q(suggestion__isnull=True) | Q(source="key_project"),
                name="rectification_suggestion_from_key_project",
            ),
            models.CheckConstraint(
                condition=Q(owner_department__isnull=False) | ~Q(owner_name=""), name="rectification_has_owner"
            ),
        ]
        indexes = [models.Index(fields=["town", "closed_on", "due_on"], name="rectification_open_due")]

    def __str__(self) -> str:
        return self.description[:50]

    def get_absolute_url(self) -> str:
        return reverse("supervision:rectification_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def origin(self) -> KeyProject | DepartmentEvaluation | LawInspection | None:
        return self.key_project or self.evaluation or self.law_inspection

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.closed_on is None and self.due_on < day


class LookBack(models.Model):
    """A look-back (回头看): deputies check whether a rectification item was put right; the only way to close it."""

    class Verdict(models.TextChoices):
        DONE = "done", _("rectified")
        PARTIAL = "partial", _("partly rectified")
        NOT_DONE = "not_done", _("not rectified")

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="look_backs", verbose_name=_("rectification item")
    )
    checked_on = models.DateField(_("date"))
    deputies = models.ManyToManyField(Deputy, blank=True, related_name="look_backs", verbose_name=_("deputies present"))
    evidence = models.TextField(_("evidence"), blank=True)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    attachments = GenericRelation(Attachment)

    access_rule = AccessRule(
        town="rectification__town",
        deputy="rectification__key_project__assignments__deputy",
        department="rectification__owner_department",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("look-back")
        verbose_name_plural = _("look-backs")
        ordering = ["rectification_id", "checked_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=["done", "partial", "not_done"]), name="look_back_verdict_valid"
            ),
            models.CheckConstraint(
                condition=Q(verdict="done", new_due_on__isnull=True) | Q(~Q(verdict="done"), new_due_on__isnull=False),
                name="look_back_open_verdict_has_new_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rectification} {self.checked_on}: {self.get_verdict_display()}"
