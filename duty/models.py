"""The deputies' year: activities (履职活动) and reception days at the liaison stations (接待日).

The tables, and the tables of their many-to-many fields, kept the names they had when these models
lived in congress (`db_table`), so moving them here changed no row.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.access import EVERY_TOWN_ROLE, AccessRule
from congress.concurrency import version_field
from congress.models import Attachment, Deputy, Town, User, Venue
from congress.models.fields import SHORT_TEXT, BoundedTextField, optional_link


class ActivityQuerySet(models.QuerySet["Activity"]):
    def in_year(self, year: int) -> ActivityQuerySet:
        return self.filter(held_on__year=year)


class Activity(models.Model):
    """A deputies' activity (履职活动): an inspection, a training, a group activity, reporting back to
    voters, a commendation; the deputies who took part are its participants."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("inspection")  # 视察
        CHECK = "check", _("check")  # 检查
        RESEARCH = "research", _("research")  # 调研
        TRAINING = "training", _("training")  # 培训
        LECTURE = "lecture", _("publicity lecture")  # 宣讲
        GROUP = "group", _("deputy-group activity")  # 代表小组活动
        REPORT_BACK = "report_back", _("reporting back to voters")  # 向选民述职
        COMMENDATION = "commendation", _("commendation")  # 表彰

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="activities", verbose_name=_("town"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date"))
    venue = optional_link(Venue, related_name="activities", verbose_name=_("venue"))
    place = models.CharField(_("place"), max_length=120, blank=True, help_text=_("Where it was held, if not a venue"))
    participants = models.ManyToManyField(
        Deputy,
        blank=True,
        related_name="activities",
        verbose_name=_("participating deputies"),
        db_table="congress_activity_participants",
    )
    notes = BoundedTextField(_("notes"), blank=True, max_length=SHORT_TEXT)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="recorded_activities", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    photos = GenericRelation(Attachment)

    objects = ActivityQuerySet.as_manager()

    access_rule = AccessRule(town="town", deputy="participants")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        db_table = "congress_activity"
        ordering = ["town_id", "-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["inspection", "check", "research", "training"])
                | Q(kind__in=["lecture", "group", "report_back", "commendation"]),
                name="activity_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["town", "held_on"], name="activity_town_date")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    def clean(self) -> None:
        if self.venue is not None and self.town_id and self.venue.town_id != self.town_id:
            raise ValidationError({"venue": _("The venue belongs to another town.")})


class ReceptionDuty(models.Model):
    """A reception day (接待日) at a liaison station: the deputies on duty that date."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="reception_duties", verbose_name=_("town"))
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="reception_duties", verbose_name=_("liaison station")
    )
    on_date = models.DateField(_("date"))
    deputies = models.ManyToManyField(
        Deputy,
        related_name="reception_duties",
        verbose_name=_("deputies on duty"),
        db_table="congress_receptionduty_deputies",
    )
    # Moved on by each change of who is on duty: two people setting the same day never overwrite each other.
    version = version_field()

    # The roster is posted at the station: every role of the town may read it.
    access_rule = AccessRule(town="town", town_wide=EVERY_TOWN_ROLE)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        db_table = "congress_receptionduty"
        ordering = ["town_id", "on_date", "venue_id"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "on_date"], name="reception_duty_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.on_date} {self.venue}"

    def clean(self) -> None:
        if self.venue_id and self.town_id and self.venue.town_id != self.town_id:
            raise ValidationError({"venue": _("The venue belongs to another town.")})
