"""Calling a service from a view and putting its ValidationError where the user reads it.

A view validates its form, calls one service, and then either shows the service's errors (on the
form's fields, or as messages on the page it redirects to) or says it is done. `call_with_form` and
`call_with_messages` are that step written once; `add_service_errors` and `flash_errors` are their parts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from congress.concurrency import EditConflict, show_conflict

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

T = TypeVar("T")


@dataclass(frozen=True)
class Done(Generic[T]):
    """A service call that succeeded, with what the service returned (often the record to redirect to)."""

    value: T


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


def flash_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """A form posted from a detail page: its errors go back as messages on the page it redirects to."""
    # An ErrorList yields its messages as text (ErrorList.__getitem__), not the ValidationErrors its stub names.
    for error_list in cast("Iterable[Iterable[str]]", form.errors.values()):
        for message in error_list:
            messages.error(request, message)


def call_with_form(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[], T],
    success: _StrOrPromise | None = None,
    *,
    aliases: Mapping[str, str] | None = None,
) -> Done[T] | None:
    """Run a service for a valid form: its errors land on the form, its success is flashed."""
    try:
        value = action()
    except ValidationError as exc:
        add_service_errors(form, exc, aliases=aliases)
        return None
    if success:
        messages.success(request, success)
    return Done(value)


class HasAddress(Protocol):
    """A record with its own page (get_absolute_url): where a form goes once it is saved."""

    def get_absolute_url(self) -> str: ...


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    template: str,
    context: Mapping[str, object] | None = None,
    *,
    save: Callable[[], HasAddress | str],
    done: _StrOrPromise | None = None,
    aliases: Mapping[str, str] | None = None,
) -> HttpResponse:
    """A form's page: a valid POST calls `save` (a service); what the service refuses shows on the form,
    and what `save` returns (the saved record, or the address of the page it belongs to) opens with the
    `done` message."""
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(request, form, save, done, aliases=aliases)
        if saved is not None:
            return redirect(saved.value)
    return render(request, template, {"form": form, **(context or {})})


def call_with_messages(
    request: HttpRequest, action: Callable[[], T], success: _StrOrPromise | None = None
) -> Done[T] | None:
    """Run a service for a button with no form to show again: errors and success become messages."""
    try:
        value = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    if success:
        messages.success(request, success)
    return Done(value)
