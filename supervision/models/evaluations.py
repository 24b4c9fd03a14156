"""Department evaluations (评议): the appraisal of a government department and its satisfaction vote."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.models import Department, Town, User
from congress.models.fields import LONG_TEXT, BoundedTextField, year_in_range
from congress.roles import Role


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
    survey_notes = BoundedTextField(_("investigation record"), blank=True, max_length=LONG_TEXT)
    meeting_on = models.DateField(_("evaluation meeting date"), null=True, blank=True)
    meeting_notes = BoundedTextField(_("evaluation meeting record"), blank=True, max_length=LONG_TEXT)
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
            year_in_range("evaluation_year_sane"),
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
