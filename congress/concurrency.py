"""Concurrent edits that never overwrite each other silently (optimistic locking).

An editable record carries a `version` number. Its edit form sends back the version it was drawn
from, and the service saves with a conditional `UPDATE ... SET version = version + 1 WHERE pk = %s AND
version = %s`. When another edit was saved in between, nothing is written and `EditConflict` names each
field whose stored value differs from the one submitted (theirs against yours). Submitting exactly
what is stored already (a double click) is no conflict: it writes nothing and succeeds.

Sets edited with the record (a many-to-many field such as a project's supervisors, or rows such as a
session's attendance) take part through `Related`: they are written only after the conditional UPDATE
succeeded, in the same transaction, so the row lock it took makes a concurrent editor wait; and when the
UPDATE found another version, each set is compared with what is stored like a field. An edit that
changes only a set still moves the version on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


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


class Related(Protocol):
    """Rows edited together with a versioned record: written after its conditional UPDATE succeeded,
    compared with what is stored when it did not."""

    def differences(self) -> list[Difference]: ...

    def write(self) -> None: ...


def names(objects: Iterable[Any]) -> str:
    """A set of records as the conflict message shows it: their names, sorted, joined by “、”."""
    shown = sorted(str(o) for o in objects)
    return "、".join(shown) if shown else _("(empty)")


M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class RelatedSet(Generic[M]):
    """A set of records chosen in the form (compared by primary key, shown by name)."""

    label: str
    yours: Sequence[M]
    stored: Callable[[], Iterable[M]]
    write_set: Callable[[Sequence[M]], None]

    def differences(self) -> list[Difference]:
        stored = list(self.stored())
        if {o.pk for o in stored} == {o.pk for o in self.yours}:
            return []
        return [Difference(label=self.label, theirs=names(stored), yours=names(self.yours))]

    def write(self) -> None:
        self.write_set(self.yours)


def many_to_many(instance: models.Model, name: str, values: Iterable[models.Model]) -> RelatedSet[Any]:
    """The many-to-many field `name` of `instance`, to be set to `values`."""
    field = cast("models.ManyToManyField[Any, Any]", instance._meta.get_field(name))
    target = cast("type[models.Model]", field.related_model)
    # Read from the link table, never from a prefetched cache: the point is what another editor stored.
    through = cast("type[models.Model]", field.remote_field.through)
    links = through._default_manager.filter(**{field.m2m_field_name(): instance.pk})
    chosen = links.values(field.m2m_reverse_field_name())
    return RelatedSet(
        label=str(field.verbose_name),
        yours=list(values),
        stored=lambda: target._default_manager.filter(pk__in=chosen),
        write_set=lambda picked: getattr(instance, name).set(picked),
    )


def save_versioned(
    instance: Any,
    *,
    version: int | None,
    fields: Iterable[str],
    compared: Iterable[str] | None = None,
    related: Sequence[Related] = (),
    counter: str = "version",
) -> bool:
    """Write `fields` of `instance` only if the stored row still has `version`; returns whether it wrote.

    `compared` are the fields the user typed (the conflict message lists those); they default to
    `fields`. `related` are the sets edited with it, written after the UPDATE and compared like fields.
    `counter` is the version field (a record may keep one for a set edited on a page of its own).
    With `version` None (a caller without a form, such as a task) the loaded version is used. With
    `related` it must run inside a transaction, so the sets are written under the UPDATE's row lock.
    Raises EditConflict when another edit came first and changed any compared field or set.
    """
    model = type(instance)
    if related and not transaction.get_connection(model._default_manager.db).in_atomic_block:
        # Written outside a transaction, the sets would be saved apart from the version that guards them.
        raise RuntimeError("save_versioned writes related sets only inside a transaction")
    fields = list(fields)
    compared = list(fields if compared is None else compared)
    expected = getattr(instance, counter) if version is None else version
    attnames = [instance._meta.get_field(n).attname for n in fields]
    values = {a: getattr(instance, a) for a in attnames}
    updated = model._default_manager.filter(pk=instance.pk, **{counter: expected}).update(
        **{counter: F(counter) + 1}, **values
    )
    if updated:
        setattr(instance, counter, expected + 1)
        _record_history(instance)
        for rows in related:
            rows.write()
        return True
    current = model._default_manager.get(pk=instance.pk)
    changed = differences(current, instance, compared) + [d for rows in related for d in rows.differences()]
    if not changed:
        # The same values were saved already (a second click of the same form): nothing to do.
        for attname in attnames:
            setattr(instance, attname, getattr(current, attname))
        setattr(instance, counter, getattr(current, counter))
        return False
    raise EditConflict(current_version=getattr(current, counter), differences=changed)


def _record_history(instance: models.Model) -> None:
    """The conditional UPDATE bypasses save(), so the change history (django-simple-history) of an
    audited model gets its row here, with the signed-in user as the middleware would give it."""
    manager = getattr(type(instance), "history", None)
    if not isinstance(manager, HistoryManager):
        return
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    manager.bulk_history_create(
        [instance], update=True, default_user=user if getattr(user, "is_authenticated", False) else None
    )


def add_version_field(form: forms.BaseForm, current: int) -> None:
    """The hidden `version` an edit form was drawn from. It is never above the stored one (`current`,
    read when the form is built): a higher number is a tampered form, refused on the field rather than
    shown as somebody else's edit."""
    form.fields["version"] = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=current, initial=current
    )


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
