"""Key projects (重点工作/工程) of whole-process supervision: the deputies assigned, the construction
stages and the on-site inspections of each stage with the suggestions made there.
The writers are in supervision.services.keyworks.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.access import AccessRule
from congress.models import Attachment, Department, Deputy, Town, User
from congress.models.fields import LONG_TEXT, SHORT_TEXT, TEXT, BoundedTextField, optional_link, year_in_range


def through_key_project(prefix: str) -> AccessRule:
    """The access rule of a row that belongs to a key project reached by `prefix` (e.g. "stage__project__"):
    its town, the deputies assigned to it and its responsible department."""
    return AccessRule(
        town=f"{prefix}town", deputy=f"{prefix}assignments__deputy", department=f"{prefix}lead_department"
    )


class KeyProject(models.Model):
    """One of the town government's key works of a year (重点工作/工程) that the congress supervises."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="key_projects", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    description = BoundedTextField(_("content and goals"), blank=True, max_length=TEXT)
    lead_department = optional_link(Department, related_name="key_projects", verbose_name=_("responsible department"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    access_rule = through_key_project("")

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["town_id", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "name"], name="key_project_name_unique_in_town_year"),
            year_in_range("key_project_year_sane"),
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

    access_rule = through_key_project("project__")

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

    access_rule = through_key_project("project__")

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
    notes = BoundedTextField(_("on-site notes"), max_length=SHORT_TEXT)
    reported_by = models.CharField(_("report given by"), max_length=100, blank=True)
    report_summary = BoundedTextField(_("summary of the report heard"), blank=True, max_length=LONG_TEXT)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    attachments = GenericRelation(Attachment)

    access_rule = through_key_project("stage__project__")

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
    text = BoundedTextField(_("suggestion"), max_length=TEXT)

    access_rule = through_key_project("inspection__stage__project__")

    class Meta:
        verbose_name = _("inspection suggestion")
        verbose_name_plural = _("inspection suggestions")
        ordering = ["inspection_id", "pk"]

    def __str__(self) -> str:
        return self.text[:50]
