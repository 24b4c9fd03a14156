"""Visits (走访): to a registered household, a voter received at a liaison station, or a forum, with the
deputies credited with each."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.models import Deputy, Town, User, Village, VisitMethod
from congress.models.fields import SHORT_TEXT, BoundedTextField, optional_link
from visits.models.opinions import Opinion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from visits.models.households import Household


class VisitQuerySet(models.QuerySet["Visit"]):
    def in_year(self, year: int) -> VisitQuerySet:
        return self.filter(visited_on__year=year)

    def in_month(self, year: int, month: int) -> VisitQuerySet:
        return self.filter(visited_on__year=year, visited_on__month=month)

    def between(self, start: dt.date | None, end: dt.date | None) -> VisitQuerySet:
        qs = self
        if start:
            qs = qs.filter(visited_on__gte=start)
        if end:
            qs = qs.filter(visited_on__lte=end)
        return qs

    def with_opinions(self) -> VisitQuerySet:
        return self.filter(Exists(Opinion.objects.filter(visit=OuterRef("pk"))))

    def counted_by(self, methods: list[str]) -> VisitQuerySet:
        return self.filter(method__in=methods)


class Visit(models.Model):
    """One visit (走访): to a registered household, a voter received at a liaison station, or a forum.

    The deputies who took part are each credited with it; a visit by cadres alone credits nobody.
    """

    # Indexed by the two indexes below, which both lead with the town.
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="visits", verbose_name=_("town"), db_index=False
    )
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="visits", verbose_name=_("village"))
    # By name: visits.models.households imports this module (a household's visits in a year).
    household: models.ForeignKey[Household | None, Household | None] = optional_link(
        "visits.Household", related_name="visits", verbose_name=_("household")
    )
    voter_name = models.CharField(
        _("voter not in the register"),
        max_length=30,
        blank=True,
        help_text=_("Only for a reception at a liaison station"),
    )
    visited_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices)
    notes = BoundedTextField(_("notes"), blank=True, max_length=SHORT_TEXT)
    deputies = models.ManyToManyField(Deputy, blank=True, related_name="visits", verbose_name=_("deputies"))
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="recorded_visits", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    idempotency_key = models.UUIDField(_("form key"), unique=True, editable=False)

    objects = VisitQuerySet.as_manager()

    access_rule = AccessRule(town="town", village="village", deputy="deputies")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(method__in=[m.value for m in VisitMethod]), name="visit_method_valid"),
            models.CheckConstraint(
                condition=~Q(method="household") | Q(household__isnull=False),
                name="visit_household_visit_has_household",
            ),
            models.CheckConstraint(
                condition=Q(voter_name="") | Q(household__isnull=True, method="station"),
                name="visit_unregistered_voter_only_at_station",
            ),
        ]
        indexes = [
            # The ledger pages through a town's visits in date order: an index-only walk that can test
            # the method and village filters without reading the table.
            models.Index(fields=["town", "visited_on", "id"], include=["method", "village"], name="visit_ledger_order"),
            # The ledger's count of a town's visits by one method since a day (its usual filter): a range
            # of this index, read without the table; the town's own index walked every visit of the town.
            models.Index(fields=["town", "method", "visited_on"], name="visit_town_method_date"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.village_id and self.town_id and self.village.town_id != self.town_id:
            errors["village"] = _("The village belongs to another town.")
        if self.household_id:
            household = self.household
            assert household is not None  # loaded by its id, which is set
            if household.town_id != self.town_id:
                errors["household"] = _("The household belongs to another town.")
            elif self.village_id and household.village_id != self.village_id:
                errors["household"] = _("The household is in another village.")
        elif self.method == VisitMethod.HOUSEHOLD:
            errors["household"] = _("A household visit needs a household from the register.")
        if self.voter_name and (self.household_id or self.method != VisitMethod.STATION):
            errors["voter_name"] = _("Only a reception at a liaison station may name a voter not in the register.")
        if errors:
            raise ValidationError(errors)

    @property
    def subject(self) -> str:
        if self.household_id:
            household = self.household
            assert household is not None  # loaded by its id, which is set
            return household.head_name
        return self.voter_name or self.get_method_display()
