"""Read-only links for a meeting-room display of one town's dashboard."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models.core import Town, User
from congress.models.fields import optional_link
from congress.roles import AccessRule


class DisplayLinkQuerySet(models.QuerySet["DisplayLink"]):
    def active(self) -> DisplayLinkQuerySet:
        return self.filter(revoked_at__isnull=True)


class DisplayLink(models.Model):
    """A read-only link to a town's meeting-room display (数据大屏), opened on the wall without signing in,
    so no one's session stays logged in there. Only the SHA-256 of its random token is kept: the link is
    shown once, when it is made. Revoking it ends it for good (see congress.display_links)."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="display_links", verbose_name=_("town"))
    label = models.CharField(_("where it is shown"), max_length=50, help_text=_("For example 三楼会议室"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = optional_link(User, related_name="+", verbose_name=_("revoked by"))

    objects = DisplayLinkQuerySet.as_manager()

    access_rule = AccessRule(town="town")

    class Meta:
        verbose_name = _("display link")
        verbose_name_plural = _("display links")
        ordering = ["town_id", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="display_link_revoked_by_whom",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a hash's shape, not a secret)
                name="display_link_hash_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town} {self.label}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
