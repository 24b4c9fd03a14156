"""The circular (通报) of a review round, frozen once published and corrected only by a new version."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.access import AccessRule
from congress.files import private_storage
from congress.models import Town, User
from congress.models.fields import LONG_TEXT, BoundedTextField, optional_link, optional_one_to_one
from congress.roles import Role
from supervision.models.rounds import ReviewRound


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
    corrects: models.OneToOneField[Circular | None, Circular | None] = optional_one_to_one(
        "self", related_name="correction", verbose_name=_("corrects")
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = BoundedTextField(_("introduction"), blank=True, max_length=LONG_TEXT)
    # The summary by light, one line per project and the problems, frozen when published.
    content = models.JSONField(_("content"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by"))
    published_by = optional_link(User, related_name="+", verbose_name=_("published by"))
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
