"""Care beyond the visit: pairing assistance (结对帮扶), a deputy's regular visits to a vulnerable
household, and mediation cases (矛盾调解)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.concurrency import version_field
from congress.models import Deputy, Town, User, Village
from congress.models.fields import TEXT, BoundedTextField
from visits.models.households import Household
from visits.models.visits import Visit

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import StrOrPromise, WithAnnotations


class AddDays(Func):
    """date + integer days, which PostgreSQL keeps a date."""

    arg_joiner = " + "
    template = "(%(expressions)s)"
    output_field = models.DateField()


if TYPE_CHECKING:

    class PairVisits(TypedDict):
        """What PairingQuerySet.with_last_visit annotates a pair with."""

        last_visit_on: dt.date | None
        next_visit_due: dt.date

    AnnotatedPairing = WithAnnotations["Pairing", PairVisits]


class PairingQuerySet(models.QuerySet["Pairing"]):
    def active_on(self, day: dt.date) -> PairingQuerySet:
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day))

    # `self` annotated as in OpinionCategoryQuerySet.for_town.
    def with_last_visit(self: PairingQuerySet) -> PairingQuerySet[AnnotatedPairing, AnnotatedPairing]:
        """Annotate `last_visit_on` (the pair's latest visit since it was paired) and `next_visit_due` (date).

        A visit before the pairing began is no pairing visit: it neither counts as the last one nor
        puts off the first due date."""
        last = (
            Visit.objects.filter(
                household=OuterRef("household"), deputies=OuterRef("deputy"), visited_on__gte=OuterRef("started_on")
            )
            .order_by()
            .values("household")
            .annotate(latest=Max("visited_on"))
            .values("latest")
        )
        return self.annotate(last_visit_on=Subquery(last, output_field=models.DateField())).annotate(
            next_visit_due=AddDays(Coalesce("last_visit_on", "started_on"), F("expected_every_days"))
        )

    def overdue_on(self, day: dt.date) -> PairingQuerySet:
        return self.active_on(day).with_last_visit().filter(next_visit_due__lt=day)


class Pairing(models.Model):
    """Pairing assistance (结对帮扶): a deputy looks after a vulnerable household with regular visits."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("town"))
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("deputy"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("household")
    )
    started_on = models.DateField(_("paired from"))
    ended_on = models.DateField(_("paired until"), null=True, blank=True)
    expected_every_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = PairingQuerySet.as_manager()

    access_rule = AccessRule(town="town", village="household__village", deputy="deputy")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["town_id", "deputy_id", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "household"],
                condition=Q(ended_on__isnull=True),
                name="pairing_one_open_pair",
            ),
            models.CheckConstraint(
                condition=Q(expected_every_days__gte=1, expected_every_days__lte=366), name="pairing_frequency_sane"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="pairing_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} — {self.household}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.deputy_id and self.town_id and self.deputy.town_id != self.town_id:
            errors["deputy"] = _("The deputy belongs to another town.")
        if self.household_id and self.town_id and self.household.town_id != self.town_id:
            errors["household"] = _("The household belongs to another town.")
        if errors:
            raise ValidationError(errors)


class MediationCaseQuerySet(models.QuerySet["MediationCase"]):
    def in_year(self, year: int) -> MediationCaseQuerySet:
        return self.filter(occurred_on__year=year)


class MediationCase(models.Model):
    """A dispute a deputy helped mediate (矛盾调解), described with no more personal data than needed."""

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        IN_PROGRESS = "in_progress", _("in mediation")
        TRANSFERRED = "transferred", _("transferred")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("town"))
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("village")
    )
    occurred_on = models.DateField(_("date"))
    dispute = BoundedTextField(_("dispute"), max_length=TEXT)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    deputies = models.ManyToManyField(Deputy, blank=True, related_name="mediation_cases", verbose_name=_("deputies"))
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A case is edited after it is recorded (its outcome, its deputies): two edits must not overwrite each other.
    version = version_field()

    objects = MediationCaseQuerySet.as_manager()

    access_rule = AccessRule(town="town", village="village", deputy="deputies")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["town_id", "-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["resolved", "in_progress", "transferred"]), name="mediation_outcome_valid"
            ),
            models.CheckConstraint(condition=~Q(dispute=""), name="mediation_dispute_described"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.village}"

    def clean(self) -> None:
        if self.village_id and self.town_id and self.village.town_id != self.town_id:
            raise ValidationError({"village": _("The village belongs to another town.")})
