"""Bimonthly review rounds (调度) of a town's livelihood projects and the traffic lights they give.

A project's review in a round lives with the projects (models.projects): it points at both.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.access import AccessRule
from congress.models import Town, User
from congress.models.fields import year_in_range
from congress.roles import Role


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
            year_in_range("review_round_year_sane"),
        ]

    def __str__(self) -> str:
        return _("%(year)s-%(month)02d review") % {"year": self.year, "month": self.month}

    def get_absolute_url(self) -> str:
        return reverse("supervision:round_detail", args=[self.pk])

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)
