"""Concurrent edits that never overwrite each other silently (optimistic locking).

An editable record carries a `version` number. Its edit form sends back the version it was drawn
from, and the service saves with a conditional `UPDATE ... SET version = version + 1 WHERE pk = %s AND
version = %s`. When another edit was saved in between, nothing is written and `EditConflict` names each
field whose stored value differs from the one submitted (theirs against yours). Submitting exactly
what is stored already (a double click) is no conflict: it writes nothing and succeeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def version_field() -> models.PositiveIntegerField:
    """The counter every versioned model declares as `version`."""
    return models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str
    yours: str


class EditConflict(ValidationError):
    """Someone saved the record after the form was drawn; `differences` says what they changed."""

    def __init__(self, *, current_version: int, differences: Sequence[Difference]) -> None:
        lines = [
            _("%(field)s: saved as “%(theirs)s”, yours “%(yours)s”")
            % {"field": d.label, "theirs": d.theirs, "yours": d.yours}
            for d in differences
        ]
        intro = _(
            "Someone else saved this record while you were editing it, so your changes were not saved. "
            "It differs from what you submitted in:"
        )
        outro = _("Check the values below; saving again will keep yours.")
        super().__init__(" ".join([intro, "；".join(lines) + "。", outro]), code="edit_conflict")
        self.current_version = current_version
        self.differences = list(differences)


def _shown(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return _("(empty)")
    if isinstance(field, models.Field) and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def differences(current: models.Model, yours: models.Model, names: Iterable[str]) -> list[Difference]:
    """The fields among `names` whose stored value differs from the submitted one."""
    out = []
    for name in names:
        field = cast("models.Field[Any, Any]", current._meta.get_field(name))
        if getattr(current, field.attname) != getattr(yours, field.attname):
            label = str(field.verbose_name)
            out.append(Difference(label=label, theirs=_shown(current, name), yours=_shown(yours, name)))
    return out


def save_versioned(
    instance: Any, *, version: int | None, fields: Iterable[str], compared: Iterable[str] | None = None
) -> bool:
    """Write `fields` of `instance` only if the stored row still has `version`; returns whether it wrote.

    `compared` are the fields the user typed (the conflict message lists those); they default to
    `fields`. With `version` None (a caller without a form, such as a task) the loaded version is used.
    Raises EditConflict when another edit came first and changed any compared field.
    """
    model = type(instance)
    fields = list(fields)
    compared = list(fields if compared is None else compared)
    expected = instance.version if version is None else version
    attnames = [instance._meta.get_field(n).attname for n in fields]
    values = {a: getattr(instance, a) for a in attnames}
    updated = model._default_manager.filter(pk=instance.pk, version=expected).update(version=F("version") + 1, **values)
    if updated:
        instance.version = expected + 1
        return True
    current = model._default_manager.get(pk=instance.pk)
    changed = differences(current, instance, compared)
    if not changed:
        # The same values were saved already (a second click of the same form): nothing to do.
        for attname in attnames:
            setattr(instance, attname, getattr(current, attname))
        instance.version = current.version
        return False
    raise EditConflict(current_version=current.version, differences=changed)


def add_version_field(form: forms.BaseForm, current: int) -> None:
    """The hidden `version` an edit form was drawn from."""
    form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1, initial=current)


def show_conflict(form: forms.BaseForm, exc: EditConflict) -> None:
    """The conflict as a form-wide error. The form then carries the stored version, so saving again
    after reading the differences is a deliberate choice."""
    for message in exc.messages:
        form.add_error(None, ValidationError(message, code="edit_conflict"))
    if "version" in form.fields:
        # A bound form's data is a QueryDict (a copy of it is mutable); a test may bind a plain dict.
        data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
        data[form.add_prefix("version")] = str(exc.current_version)
        form.data = data
