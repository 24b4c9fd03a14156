"""The vote (票决) of a congress session on the year's candidate livelihood projects, and its ballot items."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.models import User
from congress.models.fields import SHORT_TEXT, BoundedTextField, optional_link
from congress.roles import Role
from sittings.models import Session
from supervision.models.projects import LivelihoodProject


class ProjectVote(models.Model):
    """The vote (票决) of a congress session on the year's candidate projects: item by item, with more
    candidates than places (差额). Counting stays open until staff close it; closing sets every
    candidate's status. The figures the results rest on are kept as they stood at the close."""

    class State(models.TextChoices):
        OPEN = "open", _("counting")
        CLOSED = "closed", _("closed")

    session = models.OneToOneField(
        Session, on_delete=models.PROTECT, related_name="project_vote", verbose_name=_("congress session")
    )
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.OPEN)
    places = models.PositiveSmallIntegerField(_("projects to adopt"))
    in_office = models.PositiveSmallIntegerField(_("deputies in office"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("deputies present"), null=True, blank=True)
    votes_to_pass = models.PositiveSmallIntegerField(_("votes needed to pass"), null=True, blank=True)
    tie_decision = BoundedTextField(_("decision on the tie at the cut"), blank=True, max_length=SHORT_TEXT)
    opened_by = optional_link(User, related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = optional_link(User, related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    access_rule = AccessRule(town="session__town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote on livelihood projects")
        verbose_name_plural = _("votes on livelihood projects")
        ordering = ["-session__starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["open", "closed"]), name="vote_state_valid"),
            models.CheckConstraint(condition=Q(places__gt=0), name="vote_has_places"),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | Q(
                    state="closed",
                    closed_at__isnull=False,
                    in_office__isnull=False,
                    present__isnull=False,
                    votes_to_pass__isnull=False,
                ),
                name="vote_closed_keeps_its_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {_('vote on livelihood projects')}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:vote_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ProjectVoteItem(models.Model):
    """One candidate on the ballot (选票): its counts (赞成 / 反对 / 弃权) and, once closed, its result."""

    class Result(models.TextChoices):
        PENDING = "pending", _("not yet decided")
        ADOPTED = "adopted", _("adopted")
        BEYOND_PLACES = "beyond", _("passed, beyond the number to adopt")
        FAILED = "failed", _("did not pass")

    vote = models.ForeignKey(ProjectVote, on_delete=models.CASCADE, related_name="items", verbose_name=_("vote"))
    project = models.OneToOneField(
        LivelihoodProject, on_delete=models.PROTECT, related_name="vote_item", verbose_name=_("project")
    )
    position = models.PositiveSmallIntegerField(_("number on the ballot"))
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default=Result.PENDING)
    chosen_at_tie = models.BooleanField(_("adopted by the decision on the tie"), default=False)

    access_rule = AccessRule(town="vote__session__town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ballot item")
        verbose_name_plural = _("ballot items")
        ordering = ["vote_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "position"], name="vote_item_position_unique"),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True, votes_against__isnull=True, abstentions__isnull=True)
                | Q(votes_for__isnull=False, votes_against__isnull=False, abstentions__isnull=False),
                name="vote_item_counted_whole",
            ),
            models.CheckConstraint(
                condition=Q(result__in=["pending", "adopted", "beyond", "failed"]), name="vote_item_result_valid"
            ),
            models.CheckConstraint(
                condition=Q(result="pending") | Q(votes_for__isnull=False), name="vote_item_decided_when_counted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.project}"

    @property
    def counted(self) -> bool:
        return self.votes_for is not None

    @property
    def total(self) -> int:
        return (self.votes_for or 0) + (self.votes_against or 0) + (self.abstentions or 0)
