"""What the supervision writers share: storing a record its model's rules accept, and the range of a
cumulative percentage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)


def save_checked(record: M, *, update_fields: Iterable[str] | None = None) -> M:
    """Check the record against its model's fields and constraints, save it (only `update_fields`, when
    given) and hand it back."""
    record.full_clean()
    record.save(update_fields=update_fields)
    return record


def check_percent(field: str, value: int) -> None:
    """A cumulative percentage runs from 0 to 100; outside it is an error on `field`."""
    if not 0 <= value <= 100:
        raise ValidationError({field: _("Percentages run from 0 to 100.")})
