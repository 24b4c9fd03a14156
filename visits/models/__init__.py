"""Visits (大走访): the household register, visits and the opinions they collect, the summaries those
opinions feed, pairing assistance (结对帮扶) and mediation cases (矛盾调解).

Every row belongs to one town; the services in visits.services are the only writers with rules.

One module per aggregate: `households` (the register and its exports), `visits`, `opinions` (categories,
opinions, the summary items they are merged into and the triage trail), `care` (pairings and mediation
cases) and `tallies` (the quota's counters). Everything is named here too, so `from visits.models import X`
is the one way in; the tables, app label and migrations are those of the single module they came from.
"""

from visits.models.care import AddDays, MediationCase, MediationCaseQuerySet, Pairing, PairingQuerySet
from visits.models.households import PINYIN_COLLATION, Household, HouseholdExport, HouseholdQuerySet
from visits.models.opinions import (
    DEFAULT_OPINION_CATEGORIES,
    Opinion,
    OpinionCategory,
    OpinionCategoryQuerySet,
    OpinionQuerySet,
    SummaryItem,
    TriageStep,
)
from visits.models.tallies import DeputyHouseholdTally, DeputyMonthTally
from visits.models.visits import Visit, VisitQuerySet

__all__ = [
    "DEFAULT_OPINION_CATEGORIES",
    "PINYIN_COLLATION",
    "AddDays",
    "DeputyHouseholdTally",
    "DeputyMonthTally",
    "Household",
    "HouseholdExport",
    "HouseholdQuerySet",
    "MediationCase",
    "MediationCaseQuerySet",
    "Opinion",
    "OpinionCategory",
    "OpinionCategoryQuerySet",
    "OpinionQuerySet",
    "Pairing",
    "PairingQuerySet",
    "SummaryItem",
    "TriageStep",
    "Visit",
    "VisitQuerySet",
]
