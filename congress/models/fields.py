"""Field and constraint declarations the models of every app share.

A helper here returns the field typed with the model it points at, so attribute access stays typed as
if the field were declared in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from congress.phones import normalise_phone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=models.Model)


def optional_link(
    to: type[M] | str,
    *,
    related_name: str,
    verbose_name: StrOrPromise,
    on_delete: Callable[..., None] = models.PROTECT,
    **options: Any,
) -> models.ForeignKey[M | None, M | None]:
    """A link that may be left empty, in the database and in forms. A model named by a string (one
    defined later, or "self") needs the attribute annotated, so the type checker knows the model."""
    return models.ForeignKey(
        to, on_delete=on_delete, null=True, blank=True, related_name=related_name, verbose_name=verbose_name, **options
    )


def optional_one_to_one(
    to: type[M] | str,
    *,
    related_name: str,
    verbose_name: StrOrPromise,
    on_delete: Callable[..., None] = models.PROTECT,
    **options: Any,
) -> models.OneToOneField[M | None, M | None]:
    """A one-to-one link that may be left empty, like `optional_link`."""
    return models.OneToOneField(
        to, on_delete=on_delete, null=True, blank=True, related_name=related_name, verbose_name=verbose_name, **options
    )


def year_in_range(name: str) -> models.CheckConstraint:
    """A CHECK that the row's `year` lies in 2000–2100: a mistyped year (206, 20266) never lands."""
    return models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name=name)


class PhoneField(models.CharField):
    """A phone number, written the portal's one way (congress.phones) whenever the record is cleaned:
    by every form and every service that calls full_clean, so a number is stored in one form only."""

    description = "A phone number (mobile or fixed line)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_phone(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        # CharField prepares query values through to_python; a lookup or an update must neither rewrite
        # nor refuse what it is given (only cleaning a record does).
        value = models.Field.get_prep_value(self, value)
        return value if value is None else str(value)


# How much free text a field holds: a reason or a note, a description or an answer, a whole document.
SHORT_TEXT = 2_000
TEXT = 10_000
LONG_TEXT = 50_000


class BoundedTextField(models.TextField):
    """Free text with a limit, checked wherever the record is cleaned (a form says it on the field)
    and given to the form's text box: a pasted 100,000-character text is a field error, not a row."""

    def __init__(self, verbose_name: StrOrPromise | None = None, *, max_length: int = TEXT, **kwargs: Any) -> None:
        super().__init__(verbose_name, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))
