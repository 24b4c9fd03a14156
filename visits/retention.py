"""Retention of households' personal data (等保, PIPL art. 19 and 47): a household that moved out or was
deregistered keeps its personal fields for the months its town's plan says (AnnualPlan.
household_retention_months, read from the plan of the year the erasure runs), counted from the day it left
(Household.left_on). Then they are erased, in the household's change history too.

Erased: the head of household's name (it becomes ERASED_NAME), the pinyin initials, the address, the
phone, the care flags (elderly living alone, limited mobility), the notes of the household's visits and of
its pairings. Kept: the household row itself with its town, village, status, size and dates, and its visits,
opinions and pairings still linked to it, so the quota, tallies and every count per village and month stay
what they were. An erased household is never erased twice (erased_on is set) and can no longer be edited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from congress import audit
from congress.dates import add_months
from congress.models import AnnualPlan, AuditAction, Town
from congress.privacy import erasing_history
from visits.models import Household, HouseholdQuerySet, Pairing, Visit

# What an erased household is called. Stored data, not interface text: it reads the same in every language.
ERASED_NAME = "已删除"

HOUSEHOLD_ERASED = {
    "head_name": ERASED_NAME,
    "head_initials": "",
    "address": "",
    "phone": "",
    "lives_alone_elderly": False,
    "limited_mobility": False,
}
VISIT_ERASED = {"notes": ""}
PAIRING_ERASED = {"notes": ""}


@dataclass(frozen=True)
class Erasure:
    """What one town's run erased (or, in a dry run, would erase)."""

    town: Town
    kept_until: dt.date  # households that left before this day are past retention
    households: list[int]
    visits: int
    pairings: int


def retention_months(town: Town, day: dt.date) -> int:
    return AnnualPlan.objects.for_town_year(town, day.year).household_retention_months


def past_retention(town: Town, day: dt.date) -> tuple[dt.date, HouseholdQuerySet]:
    """The first day a household must have left on to be kept, and the households of `town` that left
    before it and are not erased yet."""
    kept_from = add_months(day, -retention_months(town, day))
    households = Household.objects.filter(
        town=town, erased_on__isnull=True, left_on__isnull=False, left_on__lt=kept_from
    ).exclude(status=Household.Status.RESIDENT)
    return kept_from, households


def erase_town(town: Town, day: dt.date, *, dry_run: bool = False) -> Erasure:
    """Erase the personal fields of `town`'s households past retention on `day`, with their history rows,
    in one transaction; one audit row says how many. A dry run counts and changes nothing."""
    with transaction.atomic():
        kept_from, due = past_retention(town, day)
        ids = list(due.select_for_update().order_by("pk").values_list("pk", flat=True))
        visit_ids = list(Visit.objects.filter(household_id__in=ids).values_list("pk", flat=True))
        pairing_ids = list(Pairing.objects.filter(household_id__in=ids).values_list("pk", flat=True))
        erasure = Erasure(
            town=town, kept_until=kept_from, households=ids, visits=len(visit_ids), pairings=len(pairing_ids)
        )
        if dry_run or not ids:
            return erasure
        # QuerySet.update writes no history row: the change history keeps no copy of what is erased.
        Household.objects.filter(pk__in=ids).update(erased_on=day, **HOUSEHOLD_ERASED)
        Visit.objects.filter(pk__in=visit_ids).exclude(notes="").update(**VISIT_ERASED)
        Pairing.objects.filter(pk__in=pairing_ids).exclude(notes="").update(**PAIRING_ERASED)
        with erasing_history():
            Household.history.filter(id__in=ids).update(**HOUSEHOLD_ERASED)
            Visit.history.filter(Q(id__in=visit_ids) | Q(household_id__in=ids)).exclude(notes="").update(**VISIT_ERASED)
            Pairing.history.filter(Q(id__in=pairing_ids) | Q(household_id__in=ids)).exclude(notes="").update(
                **PAIRING_ERASED
            )
        audit.record(
            action=AuditAction.ERASE,
            town=town,
            username="system",
            target=f"visits.household:{ids[0]}…{ids[-1]}" if len(ids) > 1 else f"visits.household:{ids[0]}",
            detail=(
                f"households={len(ids)} visits={len(visit_ids)} pairings={len(pairing_ids)} "
                f"left_before={kept_from.isoformat()} ids={','.join(map(str, ids))}"
            ),
        )
    return erasure


def erase_expired(day: dt.date, *, dry_run: bool = False) -> list[Erasure]:
    """Every town's run for `day`, one transaction per town."""
    return [erase_town(town, day, dry_run=dry_run) for town in Town.objects.order_by("pk")]
