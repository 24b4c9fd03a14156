"""The opinions heard on visits (意见建议), the town's categories for them, the summary items (汇总事项)
they are merged into, and the triage trail (分办) from an opinion to its outcome."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import EVERY_TOWN_ROLE, AccessRule
from congress.models import Department, Town, User
from congress.models.fields import SHORT_TEXT, TEXT, BoundedTextField, optional_link
from congress.roles import Role

DEFAULT_OPINION_CATEGORIES = [
    "就业",
    "住房",
    "交通出行",
    "教育",
    "医疗卫生",
    "生态环保",
    "养老服务",
    "社会保障",
    "食品安全",
    "便民服务",
    "农业农村",
    "社会治安",
    "其他",
]


class OpinionCategoryQuerySet(models.QuerySet["OpinionCategory"]):
    def active(self) -> OpinionCategoryQuerySet:
        return self.filter(is_active=True)

    # `self` annotated: left bare, django-stubs types it with the queryset's model unbound, and bulk_create
    # then refuses the categories.
    def for_town(self: OpinionCategoryQuerySet, town: Town) -> OpinionCategoryQuerySet:
        """The town's categories, seeded with DOMAIN.md's list the first time a town asks."""
        qs = self.filter(town=town)
        if not qs.exists():
            self.bulk_create(
                [
                    OpinionCategory(town=town, name=name, position=i)
                    for i, name in enumerate(DEFAULT_OPINION_CATEGORIES)
                ],
                ignore_conflicts=True,
            )
        return qs.all()


class OpinionCategory(models.Model):
    """A category of opinions (意见建议类别), kept per town by the office."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="opinion_categories", verbose_name=_("town"))
    name = models.CharField(_("name"), max_length=30)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = OpinionCategoryQuerySet.as_manager()

    access_rule = AccessRule(town="town", town_wide=EVERY_TOWN_ROLE)

    class Meta:
        verbose_name = _("opinion category")
        verbose_name_plural = _("opinion categories")
        ordering = ["town_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="opinion_category_unique_in_town"),
        ]

    def __str__(self) -> str:
        return self.name


class SummaryItem(models.Model):
    """A summary item (汇总事项): opinions on the same need, merged; livelihood projects trace back here."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CANDIDATE = "candidate", _("candidate for a livelihood project")
        REFERRED = "referred", _("referred to a department")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="summary_items", verbose_name=_("town"))
    title = models.CharField(_("title"), max_length=200)
    description = BoundedTextField(_("description"), blank=True, max_length=TEXT)
    category = models.ForeignKey(
        OpinionCategory, on_delete=models.PROTECT, related_name="summary_items", verbose_name=_("category")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    reason = BoundedTextField(_("reason"), blank=True, max_length=SHORT_TEXT)
    department = optional_link(Department, related_name="summary_items", verbose_name=_("department"))
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="summary_items", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    access_rule = AccessRule(town="town", department="department", town_wide=frozenset({Role.DEPUTY}))

    class Meta:
        verbose_name = _("summary item")
        verbose_name_plural = _("summary items")
        ordering = ["town_id", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "candidate", "referred", "answered", "closed"]),
                name="summary_item_status_valid",
            ),
            models.CheckConstraint(condition=Q(status="open") | ~Q(reason=""), name="summary_item_reason_given"),
            models.CheckConstraint(
                condition=~Q(status="referred") | Q(department__isnull=False), name="summary_item_referred_to_someone"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("visits:summary_detail", args=[self.pk])

    def clean(self) -> None:
        if self.category_id and self.town_id and self.category.town_id != self.town_id:
            raise ValidationError({"category": _("The category belongs to another town.")})
        if self.department_id and self.town_id:
            department = self.department
            assert department is not None  # loaded by its id, which is set
            if department.town_id != self.town_id:
                raise ValidationError({"department": _("The department belongs to another town.")})


class OpinionQuerySet(models.QuerySet["Opinion"]):
    def untriaged(self) -> OpinionQuerySet:
        return self.filter(status=Opinion.Status.NEW)

    def of_town(self, town: Town) -> OpinionQuerySet:
        return self.filter(visit__town=town)


class Opinion(models.Model):
    """An opinion or suggestion (意见建议) heard on a visit, and how the office has triaged it."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        PRESSING = "pressing", _("pressing")
        URGENT = "urgent", _("urgent")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        MERGED = "merged", _("merged into a summary item")
        CANDIDATE = "candidate", _("candidate for a livelihood project")
        REFERRED = "referred", _("referred to a department")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    # Indexed by opinion_visit_category below, which leads with the visit.
    visit = models.ForeignKey(
        # By name: visits.models.visits imports this module (a visit's opinions).
        "visits.Visit",
        on_delete=models.CASCADE,
        related_name="opinions",
        verbose_name=_("visit"),
        db_index=False,
    )
    category = models.ForeignKey(
        OpinionCategory, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("category")
    )
    text = BoundedTextField(_("opinion"), max_length=TEXT)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    reason = BoundedTextField(_("reason"), blank=True, max_length=SHORT_TEXT)
    summary_item = optional_link(SummaryItem, related_name="opinions", verbose_name=_("summary item"))

    objects = OpinionQuerySet.as_manager()

    access_rule = AccessRule(town="visit__town", village="visit__village", deputy="visit__deputies")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["visit_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "merged", "candidate", "referred", "answered", "closed"]),
                name="opinion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=["normal", "pressing", "urgent"]), name="opinion_urgency_valid"
            ),
            models.CheckConstraint(condition=Q(status="new") | ~Q(reason=""), name="opinion_reason_given"),
            models.CheckConstraint(
                condition=~Q(status__in=["merged", "candidate"]) | Q(summary_item__isnull=False),
                name="opinion_merged_into_an_item",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="opinion_has_text"),
        ]
        indexes = [
            models.Index(fields=["status"], name="opinion_status"),
            # The dashboard counts a year's opinions by category from the year's visits: with the category
            # in the index that is an index-only probe per visit, not a scan of every opinion.
            models.Index(fields=["visit", "category"], name="opinion_visit_category"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def clean(self) -> None:
        if self.category_id and self.visit_id and self.category.town_id != self.visit.town_id:
            raise ValidationError({"category": _("The category belongs to another town.")})


class TriageStep(models.Model):
    """One step of triage (分办) with its reason: the trail from an opinion to its outcome."""

    summary_item = optional_link(
        SummaryItem, on_delete=models.CASCADE, related_name="steps", verbose_name=_("summary item")
    )
    opinion = optional_link(Opinion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("opinion"))
    status = models.CharField(_("status"), max_length=12)
    reason = BoundedTextField(_("reason"), max_length=SHORT_TEXT)
    department = optional_link(Department, related_name="+", verbose_name=_("department"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    access_rule = AccessRule(town="summary_item__town")

    class Meta:
        verbose_name = _("triage step")
        verbose_name_plural = _("triage steps")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(summary_item__isnull=False) | Q(opinion__isnull=False), name="triage_step_has_subject"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="triage_step_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.status}: {self.reason[:30]}"
