"""Notifications (提醒): the in-app inbox, the outbox of deliveries, channel preferences, working days."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models.core import User
from congress.models.fields import LONG_TEXT, BoundedTextField
from congress.roles import AccessRule


class Channel(models.TextChoices):
    """Where a notification goes besides the in-app inbox, which every notification reaches."""

    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")
    WORK_CHAT = "work_chat", _("work chat")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A reminder or notice to one user (提醒); the row is the inbox entry and its key.

    (recipient, kind, subject, period) is unique: inserting the row claims the reminder, so a sweep run
    twice, two beats or a redelivered task create it once and send it once.
    """

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=60, help_text=_("What it is about, e.g. deputy:12"))
    period = models.CharField(_("period"), max_length=20, help_text=_("For example 2026-11 or 2026-11-20"))
    title = models.CharField(_("title"), max_length=200)
    body = BoundedTextField(_("text"), blank=True, max_length=LONG_TEXT)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    access_rule = AccessRule(town="recipient__town")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject", "period"], name="notification_once_per_key"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """An outbox row: one notification to be sent on one channel, written in the transaction that
    decided to send it and delivered by the relay task.

    The relay records each attempt before it sends (state SENDING, committed) and its result after
    (SENT, or back to PENDING for a retry, FAILED after the last). A row found SENDING by a later relay,
    or whose connection broke after the message was handed over, is UNKNOWN: it may have arrived, so it
    is never sent again blindly; the town's office checks and resolves it. Every attempt carries the
    same `key` (the e-mail's Message-ID, the gateways' idempotency key)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        UNKNOWN = "unknown", _("unconfirmed, please check")
        FAILED = "failed", _("given up")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=300, help_text=_("E-mail, phone or webhook URL"))
    key = models.UUIDField(_("message key"), default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = BoundedTextField(_("last error"), blank=True, max_length=LONG_TEXT)
    provider_reference = models.CharField(_("provider's reference"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    access_rule = AccessRule(town="notification__recipient__town")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms", "work_chat"]), name="delivery_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sending", "sent", "unknown", "failed"]),
                name="delivery_state_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="delivery_pending_idx"),
            models.Index(
                fields=["attempted_at"], condition=Q(state__in=["sending", "unknown"]), name="delivery_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification} → {self.get_channel_display()}"


class ChannelPreference(models.Model):
    """Which channels a user wants besides the inbox. Without a row: e-mail only, where they have one."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="channel_preference", verbose_name=_("user")
    )
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    work_chat = models.BooleanField(_("work chat"), default=False)
    work_chat_webhook = models.URLField(
        _("work-chat robot webhook"), blank=True, help_text=_("The group robot address (WeCom or DingTalk)")
    )

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")

    def __str__(self) -> str:
        return str(self.user)


class WorkingDayOverride(models.Model):
    """A day whose status the office sets by hand (调休, or a year chinese_calendar does not cover yet)."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["day"]

    def __str__(self) -> str:
        return self.day.isoformat()
