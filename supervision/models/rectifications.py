"""Rectification items (整改事项) from key projects, evaluations and law inspections, and the look-backs
(回头看) that alone close them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.models import Attachment, Department, Deputy, Town, User
from congress.models.fields import SHORT_TEXT, TEXT, BoundedTextField, optional_link, optional_one_to_one
from supervision.models.evaluations import DepartmentEvaluation
from supervision.models.keyprojects import InspectionSuggestion, KeyProject
from supervision.models.laws import LawInspection


class RectificationQuerySet(models.QuerySet["Rectification"]):
    def open(self) -> RectificationQuerySet:
        return self.filter(closed_on__isnull=True)

    def overdue_on(self, day: dt.date) -> RectificationQuerySet:
        return self.open().filter(due_on__lt=day)


class Rectification(models.Model):
    """A rectification item (整改事项): what must be put right, by whom and by when.

    It comes from a key project's inspection, a department evaluation or a law inspection, and it is
    closed only by a look-back (回头看) whose verdict is 已整改 (see services.keyworks.record_look_back).
    """

    class Source(models.TextChoices):
        KEY_PROJECT = "key_project", _("key project")
        EVALUATION = "evaluation", _("department evaluation")
        LAW_INSPECTION = "law_inspection", _("law-enforcement inspection")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("town"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    key_project = optional_link(
        KeyProject, on_delete=models.CASCADE, related_name="rectifications", verbose_name=_("key project")
    )
    suggestion = optional_one_to_one(
        InspectionSuggestion, on_delete=models.SET_NULL, related_name="rectification", verbose_name=_("from suggestion")
    )
    evaluation = optional_link(
        DepartmentEvaluation,
        on_delete=models.CASCADE,
        related_name="rectifications",
        verbose_name=_("department evaluation"),
    )
    law_inspection = optional_link(
        LawInspection,
        on_delete=models.CASCADE,
        related_name="rectifications",
        verbose_name=_("law-enforcement inspection"),
    )
    description = BoundedTextField(_("what must be put right"), max_length=TEXT)
    owner_department = optional_link(
        Department, related_name="rectifications", verbose_name=_("responsible department")
    )
    owner_name = models.CharField(_("responsible person"), max_length=50, blank=True)
    due_on = models.DateField(_("due"))
    response = BoundedTextField(_("department's answer"), blank=True, max_length=SHORT_TEXT)
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
    evidence = BoundedTextField(_("evidence"), blank=True, max_length=SHORT_TEXT)
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
