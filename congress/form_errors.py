"""Putting a service's ValidationError back on the form that called it."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

from congress.concurrency import EditConflict, show_conflict


def add_service_errors(form: forms.BaseForm, exc: ValidationError, *, aliases: Mapping[str, str] | None = None) -> None:
    """Each error on its field (a service's field name may be renamed by `aliases`); the rest form-wide."""
    if isinstance(exc, EditConflict):
        show_conflict(form, exc)
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        field = (aliases or {}).get(key, key)
        form.add_error(field if field in form.fields else None, errors)
