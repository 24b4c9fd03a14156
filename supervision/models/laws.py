"""Law-enforcement inspections (执法检查) and their activities."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.access import AccessRule
from congress.models import Deputy, Town, User
from congress.models.fields import LONG_TEXT, TEXT, BoundedTextField, year_in_range
from congress.roles import Role


class LawInspection(models.Model):
    """A law-enforcement inspection (执法检查) of one law in a year, with its findings report."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="law_inspections", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    law = models.CharField(_("law"), max_length=200)
    findings = BoundedTextField(_("findings report"), blank=True, max_length=LONG_TEXT)
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
            year_in_range("law_inspection_year_sane"),
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
    description = BoundedTextField(_("activity"), max_length=TEXT)
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
