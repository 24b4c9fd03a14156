"""Requests of a person about their own personal data (个人信息查阅、更正、删除请求), under PIPL arts. 44–47:
what was asked, by whom, when, and how and when the office answered. See docs/security.md."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models.core import Town, User
from congress.models.fields import SHORT_TEXT, BoundedTextField, optional_link
from congress.roles import AccessRule


class PersonalDataRequestQuerySet(models.QuerySet["PersonalDataRequest"]):
    def open(self) -> PersonalDataRequestQuerySet:
        return self.filter(answered_on__isnull=True)


class PersonalDataRequest(models.Model):
    """A person's request to see, correct or delete the personal data the town's portal holds about them,
    recorded by the office with its answer. It names the person as little as an answer needs."""

    class Kind(models.TextChoices):
        SEE = "see", _("see their data")
        CORRECT = "correct", _("correct their data")
        DELETE = "delete", _("delete their data")

    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="personal_data_requests", verbose_name=_("town")
    )
    requester = models.CharField(_("who asked"), max_length=50)
    kind = models.CharField(_("kind of request"), max_length=10, choices=Kind.choices)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    request = BoundedTextField(_("what was asked"), max_length=SHORT_TEXT)
    answer = BoundedTextField(_("answer"), blank=True, max_length=SHORT_TEXT)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = optional_link(User, related_name="+", verbose_name=_("answered by"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PersonalDataRequestQuerySet.as_manager()

    access_rule = AccessRule(town="town")

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["town_id", "-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["see", "correct", "delete"]), name="personal_data_request_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(requester=""), name="personal_data_request_names_requester"),
            models.CheckConstraint(condition=~Q(request=""), name="personal_data_request_says_what"),
            # Answered means all three: the answer, its date and who gave it; open means none.
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True, answered_by__isnull=True, answer="")
                | (Q(answered_on__isnull=False, answered_by__isnull=False) & ~Q(answer="")),
                name="personal_data_request_answer_complete",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                name="personal_data_request_answered_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("congress:data_request_answer", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None
