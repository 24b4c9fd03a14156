"""Writes on the core model that carry rules: one function per thing a user does."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congress import access
from congress.models import AnnualPlan, Deputy, Town, User

# Fields that identify a plan rather than describe the year; everything else is copied.
_PLAN_IDENTITY_FIELDS = frozenset({"id", "town", "year"})


@transaction.atomic
def copy_annual_plan(*, town: Town, from_year: int, to_year: int, overwrite: bool = False) -> AnnualPlan:
    """Copy every number of a town's plan (年度工作计划) to another year, so next year starts from this one.

    Refuses (ValidationError) when the source plan is missing, or when the target year already has
    a plan and `overwrite` is not set.
    """
    if from_year == to_year:
        raise ValidationError(_("The plan cannot be copied onto its own year."), code="same_year")
    source = AnnualPlan.objects.filter(town=town, year=from_year).first()
    if source is None:
        raise ValidationError(
            _("%(town)s has no plan for %(year)s to copy.") % {"town": town, "year": from_year},
            code="source_missing",
        )
    target = AnnualPlan.objects.select_for_update().filter(town=town, year=to_year).first()
    if target is not None and not overwrite:
        raise ValidationError(
            _("%(town)s already has a plan for %(year)s; it was left unchanged.") % {"town": town, "year": to_year},
            code="target_exists",
        )
    if target is None:
        target = AnnualPlan(town=town, year=to_year)
    for field in AnnualPlan._meta.concrete_fields:
        if field.name not in _PLAN_IDENTITY_FIELDS:
            # Lists and the points table are mutable: never share them between the two instances.
            setattr(target, field.attname, copy.deepcopy(getattr(source, field.attname)))
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def change_term(*, by: User, town: Town, last_day: dt.date, new_term: int, reelected: Sequence[Deputy] = ()) -> int:
    """A change of term (换届): every deputy in office on `last_day` leaves office that day; those
    re-elected start the new term the next day as new records (their login moves with them), so each
    term's record of duty stays as it was. Returns how many deputies left office."""
    if not access.can(by, "records.turn_year") or by.town_id != town.pk:
        raise PermissionDenied
    serving = list(Deputy.objects.select_for_update().filter(town=town).serving_on(last_day))
    if not serving:
        raise ValidationError({"last_day": _("No deputy of the town is in office on that day.")})
    if any(d.term >= new_term for d in serving):
        raise ValidationError({"new_term": _("The new term must come after the current one.")})
    serving_ids = {d.pk for d in serving}
    if any(d.pk not in serving_ids for d in reelected):
        raise ValidationError({"reelected": _("Only deputies in office can be re-elected.")})
    reelected_ids = {d.pk for d in reelected}
    for deputy in serving:
        user = deputy.user
        deputy.served_until = last_day
        deputy.user = None
        deputy.full_clean()
        deputy.save(update_fields=["served_until", "user"])
        if deputy.pk in reelected_ids:
            successor = Deputy(
                town=town,
                name=deputy.name,
                gender=deputy.gender,
                birth_year=deputy.birth_year,
                phone=deputy.phone,
                constituency=deputy.constituency,
                term=new_term,
                is_first_term=False,
                expertise=deputy.expertise,
                served_from=last_day + dt.timedelta(days=1),
                user=user,
            )
            successor.full_clean()
            successor.save()
    return len(serving)
