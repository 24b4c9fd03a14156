"""Writes to a town's reference data and accounts, shared by the portal's pages and anything else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from congress import access
from congress.concurrency import many_to_many, save_versioned
from congress.models import AnnualPlan, Constituency, Department, Deputy, Town, User, Village
from congress.passwords import character_classes
from congress.roles import Role

M = TypeVar("M", bound=models.Model)

# No 0/O, 1/l/I: the password is read off a screen and typed on a phone.
UNAMBIGUOUS_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _require(by: User, action: str) -> None:
    if not access.can(by, action):
        raise PermissionDenied


@transaction.atomic
def save_reference(*, by: User, record: M, villages: Iterable[Village] | None = None, version: int | None = None) -> M:
    """Create or change a village, constituency, deputy, department or venue of a town. A constituency's
    edit (`version` given) is checked against the version its form was drawn from, villages included."""
    _require(by, "congress.manage_reference")
    record.full_clean()
    if isinstance(record, Constituency) and record.pk and version is not None and villages is not None:
        save_versioned(
            record,
            version=version,
            fields=["number", "name", "seats"],
            related=[many_to_many(record, "villages", villages)],
        )
        return record
    record.save()
    if villages is not None:
        record.villages.set(villages)  # type: ignore[attr-defined]  # given only for a constituency
    return record


@transaction.atomic
def record_leaving_office(*, by: User, deputy: Deputy, served_until: dt.date) -> Deputy:
    """A deputy leaves office (离任): the record stays, with the last day served."""
    _require(by, "congress.manage_reference")
    deputy.served_until = served_until
    deputy.full_clean()
    deputy.save(update_fields=["served_until"])
    return deputy


@transaction.atomic
def save_annual_plan(*, by: User, plan: AnnualPlan) -> AnnualPlan:
    """Write the numbers of a town's year."""
    _require(by, "congress.manage_reference")
    plan.full_clean()
    plan.save()
    return plan


def temporary_password() -> str:
    """Twelve unambiguous characters with lower case, upper case and digits, as the password rules ask."""
    while True:
        password = get_random_string(12, UNAMBIGUOUS_CHARS)
        if character_classes(password) == {"lower", "upper", "digit"}:
            return password


@transaction.atomic
def create_account(
    *,
    by: User,
    town: Town,
    username: str,
    full_name: str,
    phone: str,
    role: str,
    village: Village | None = None,
    department: Department | None = None,
    deputy: Deputy | None = None,
) -> tuple[User, str]:
    """Open a login account in a town; returns it with its temporary password (shown once)."""
    _require(by, "congress.manage_accounts")
    if role == Role.DISTRICT or role not in Role.values:
        raise ValidationError({"role": _("This role cannot be given here.")})
    account = User(
        username=username,
        full_name=full_name,
        phone=phone,
        role=role,
        town=town,
        village=village if role == Role.VILLAGE_CADRE else None,
        department=department if role == Role.DEPARTMENT else None,
    )
    password = temporary_password()
    account.set_password(password)
    account.must_change_password = True
    account.full_clean()
    account.save()
    if role == Role.DEPUTY and deputy is not None:
        if deputy.town_id != town.pk or deputy.user_id is not None:
            raise ValidationError({"deputy": _("This deputy cannot be linked to the account.")})
        deputy.user = account
        deputy.save(update_fields=["user"])
    return account, password


@transaction.atomic
def reset_password(*, by: User, account: User) -> str:
    """Give an account a new temporary password and return it (shown once, never stored in clear)."""
    _require(by, "congress.manage_accounts")
    password = temporary_password()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    return password


@transaction.atomic
def deactivate_account(*, by: User, account: User) -> User:
    """Close an account: it can no longer sign in; its records keep their author."""
    _require(by, "congress.manage_accounts")
    if account.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    account.is_active = False
    account.save(update_fields=["is_active"])
    return account
