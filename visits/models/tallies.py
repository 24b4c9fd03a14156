"""The quota's counters: each deputy's visits by month and method, and the households they visited by
year and method, kept up by visits.tallies in the transaction that records a visit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models import Deputy, VisitMethod
from visits.models.households import Household


class DeputyMonthTally(models.Model):
    """How many visits a deputy took part in, per month and method: the quota's monthly figures.

    Kept up by visits.tallies in the transaction that records the visit; `manage.py rebuild_visit_tallies`
    recounts it from the visits.
    """

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="+", verbose_name=_("deputy"))
    month = models.DateField(_("month"))  # its first day
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices)
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("deputy's visits in a month")
        verbose_name_plural = _("deputies' visits by month")
        constraints = [
            models.UniqueConstraint(fields=["deputy", "month", "method"], name="deputy_month_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.month:%Y-%m} {self.method}: {self.visits}"


class DeputyHouseholdTally(models.Model):
    """The households a deputy visited in a year, per method, with how many visits: the quota's households.

    Kept up and rebuilt like DeputyMonthTally.
    """

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="+", verbose_name=_("deputy"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+", verbose_name=_("household"))
    year = models.PositiveSmallIntegerField(_("year"))
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices)
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("deputy's visited household in a year")
        verbose_name_plural = _("deputies' visited households by year")
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "year", "method", "household"], name="deputy_household_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.year} {self.method} household {self.household_id}: {self.visits}"
