"""Writes on the core model that carry rules: one function per thing a user does."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congress.models import AnnualPlan, Town

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
