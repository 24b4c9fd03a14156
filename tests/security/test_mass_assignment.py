"""Mass assignment: posting every field name of the record (and the usual suspects) with hostile values
to every form changes nothing the form does not list.

Each case of tests/security/form_cases.py is posted twice: with its valid data, and with the valid data
plus a hostile value for every other field. The fields a user may not set must come out the same.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.urls import get_resolver

from tests.figures import TALLY
from tests.security.form_cases import FormCase, collect_forms, objects

CASES = collect_forms()
# Names an attacker tries whatever the model: ownership, privilege and workflow state.
SUSPECT_NAMES = [
    "id", "pk", "town", "town_id", "district", "village", "department", "role", "is_staff", "is_superuser",
    "is_active", "user", "user_id", "deputy", "owner", "created_by", "status", "state", "password",
    "last_login", "date_joined", "groups", "user_permissions", "served_until", "year",
]  # fmt: skip


def model_of(case: FormCase, o: Any) -> type[models.Model]:
    return type(case.target(o)) if case.target else case.created(o).model  # type: ignore[misc]


def hostile_value(field: models.Field | None, current: Any, o: Any) -> Any:
    """A value for the field that differs from the current one and points outside the user's reach."""
    if field is None:
        return "1"
    if field.many_to_many:
        return [str(pk) for pk in field.related_model._default_manager.values_list("pk", flat=True)[:3]]
    if field.is_relation:
        other = field.related_model._default_manager.exclude(pk=current).order_by("-pk").first()
        return str(other.pk) if other else "999999"
    if isinstance(field, models.BooleanField):
        return "" if current else "on"
    if field.choices:
        return next((str(value) for value, _ in field.choices if value != current), "x")
    if isinstance(field, models.DateTimeField):
        return "2001-01-01 00:00"
    if isinstance(field, models.DateField):
        return "2001-01-01"
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return "7777"
    if isinstance(field, models.JSONField):
        return '{"hostile": 1}'
    return f"hostile-{field.name}"


def hostile_extras(case: FormCase, o: Any, form_fields: list[str]) -> dict[str, Any]:
    model = model_of(case, o)
    fields = {f.name: f for f in model._meta.get_fields() if f.concrete or f.many_to_many}
    current = dict(snapshot(case.target(o))) if case.target else {}
    names = [*fields, *(f.attname for f in fields.values() if f.concrete), *SUSPECT_NAMES]
    prefix = case.form(o, None).prefix
    extras = {
        name: hostile_value(fields.get(name), current.get(name, current.get(f"{name}_id")), o)
        for name in dict.fromkeys(names)
        if name not in form_fields and name not in case.page_fields
    }
    if prefix:  # a prefixed form reads "<prefix>-<name>": post the names that way too
        extras |= {f"{prefix}-{name}": value for name, value in extras.items()}
    return extras


def snapshot(record: models.Model) -> dict[str, Any]:
    """The record's row and its many-to-many links, as the database holds them."""
    model = type(record)
    row = model._default_manager.filter(pk=record.pk).values().get()
    for m2m in model._meta.many_to_many:
        row[m2m.name] = sorted(getattr(model._default_manager.get(pk=record.pk), m2m.name).values_list("pk", flat=True))
    return row


def protected(case: FormCase, o: Any, row: dict[str, Any], form_fields: list[str]) -> dict[str, Any]:
    model = model_of(case, o)
    free = set(form_fields) | set(case.writable)
    free |= {getattr(model._meta.get_field(name), "attname", name) for name in free if _is_field(model, name)}
    return {key: value for key, value in row.items() if key not in free}


def _is_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def post(client: Any, case: FormCase, o: Any, data: dict[str, Any]) -> Any:
    TALLY["mass_assignment_posts"] += 1
    response = client.post(case.path(o), data)
    assert response.status_code in (200, 302), f"{case.name}: {response.status_code}"
    form = case.form_in(response.context) if response.context else None
    assert not (form is not None and form.errors), f"{case.name}: the valid data was refused: {form.errors}"
    return response


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_fields_a_form_does_not_list_cannot_be_set_through_it(case, cast, client):
    o = case.objects(cast)
    if case.persona:
        client.force_login(getattr(o, case.persona))
    form_fields = case.field_names(o)
    extras = hostile_extras(case, o, form_fields)

    if case.target:
        record = case.target(o)
        before = protected(case, o, snapshot(record), form_fields)
        post(client, case, o, {**case.valid(o), **extras})
        after = protected(case, o, snapshot(record), form_fields)
    else:
        with transaction.atomic():
            post(client, case, o, case.valid(o))
            before = protected(case, o, snapshot(case.created(o).get()), form_fields)
            transaction.set_rollback(True)
        post(client, case, o, {**case.valid(o), **extras})
        after = protected(case, o, snapshot(case.created(o).get()), form_fields)
        before.pop("id"), after.pop("id")

    TALLY["protected"] += len(before)
    assert after == before, f"{case.name} let a hostile POST set {sorted(k for k in before if before[k] != after[k])}"


def test_the_check_would_see_a_changed_field(cast):
    """The comparison itself works: a field changed behind the form's back is reported."""
    case = next(c for c in CASES if c.name == "village_edit")
    o = objects(cast)
    before = protected(case, o, snapshot(o.village), case.field_names(o))
    o.village.town = o.other_town
    o.village.save(update_fields=["town"])
    assert protected(case, o, snapshot(o.village), case.field_names(o)) != before


# Every form of the portal is covered, and none lists its fields by "__all__" or `exclude`.

# The project's own apps (every app whose code lives in this repository), not Django's or a library's.
PROJECT_PACKAGES = tuple(
    f"{config.name}." for config in apps.get_app_configs() if Path(config.path).parent == Path(settings.BASE_DIR)
)
NOT_FORMS = {
    "congress.forms.reference.TownRecordForm",  # the base class of the town record forms
    # A GET search that writes nothing (no mass assignment to check); its hostile input is tried in
    # tests/congress/test_audit.py::test_hostile_search_input_gets_a_field_message_never_an_error.
    "congress.forms.audit.AuditSearchForm",
    "suggestions.forms.StepForm",  # the base class of a suggestion's step forms
}


def project_form_classes() -> set[type[forms.BaseForm]]:
    get_resolver().url_patterns  # noqa: B018 (imports every view module, and with it every form)
    found: set[type[forms.BaseForm]] = set()
    stack = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith(PROJECT_PACKAGES) and f"{sub.__module__}.{sub.__qualname__}" not in NOT_FORMS:
                found.add(sub)
    return found


def test_every_project_form_has_a_case(cast):
    covered = set()
    for case in CASES:
        with transaction.atomic():
            covered.add(type(case.form(case.objects(cast), None)))
            transaction.set_rollback(True)
    TALLY["forms"] = len(CASES)

    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in project_form_classes() - covered)

    assert not missing, "forms without a FormCase in tests/security/forms_<app>.py: " + ", ".join(missing)


@pytest.mark.parametrize("form_class", sorted(project_form_classes(), key=str), ids=lambda c: c.__qualname__)
def test_model_forms_list_their_fields(form_class):
    meta = getattr(form_class, "Meta", None)
    if not issubclass(form_class, forms.ModelForm) or meta is None:
        return
    assert isinstance(meta.fields, list | tuple), f"{form_class.__qualname__}: list the fields, never '__all__'"
    assert not getattr(meta, "exclude", None), f"{form_class.__qualname__}: list the fields instead of exclude"
    assert "exclude" not in inspect.getsource(meta)
