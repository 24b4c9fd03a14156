"""The audit trail (审计记录): one row per sign-in, denial, export or change of scope, never rewritten."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.apps import apps as django_apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models.core import Town, User
from congress.models.fields import optional_link
from congress.roles import AccessRule


class AuditAction(models.TextChoices):
    LOGIN = "login", _("sign in")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOGOUT = "logout", _("sign out")
    DENIED = "denied", _("access denied")
    EXPORT = "export", _("export of personal data")
    REVEAL = "reveal", _("personal data revealed")
    ERASE = "erase", _("personal data erased")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def older_than(self, moment: dt.datetime) -> AuditEventQuerySet:
        return self.filter(at__lt=moment)


@cache
def label_of_today(label: str) -> str:
    """A model label as an audit row stored it (`app.model`), under the app the model lives in today.

    A label no installed model has, whose model name exactly one of the portal's apps has, is a model
    that moved; anything else is returned as it is. Read once per label."""
    app_label, dot, model_name = label.partition(".")
    if not dot:
        return label
    try:
        django_apps.get_model(app_label, model_name)
    except LookupError:
        found = [
            m
            for m in django_apps.get_models()
            if m._meta.model_name == model_name and m._meta.app_label in settings.PROJECT_APPS
        ]
        if len(found) == 1:
            return found[0]._meta.label_lower
    return label


class AuditEvent(models.Model):
    """One entry of the audit trail (审计记录): who did what, from where, to what, with what result.

    Rows are written once and never changed: a database trigger refuses UPDATE and DELETE (only
    `manage.py prune_audit` removes rows, and only those past the six-month floor). The user and town
    are plain references without a constraint, so removing an account never has to rewrite its trail.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = optional_link(
        User, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    town = optional_link(
        Town, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("town")
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    target = models.CharField(_("record concerned"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    access_rule = AccessRule(town="town")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["town", "-at"], name="audit_event_town_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in AuditAction]), name="audit_event_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(result__in=[r.value for r in AuditResult]), name="audit_event_result_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()} {self.target}"

    @property
    def shown_target(self) -> str:
        """The record concerned under its model's label of today.

        Rows are never rewritten, so a row written before its model moved to another app keeps the old
        label (`congress.session:7`); it is shown with the label the model has now (`sittings.session:7`).
        """
        label, colon, key = self.target.partition(":")
        return f"{label_of_today(label)}:{key}" if colon else self.target
