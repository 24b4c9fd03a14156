"""What the supervision pages share: the town a page is about, form errors as messages, the key works'
form pages, and the key works' questions of who is assigned and the photo that comes with a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from congress import access, params
from congress.form_errors import add_service_errors
from congress.models import Town
from congress.uploads import store_upload
from supervision.models import KeyProject

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def town_of(request: HttpRequest) -> Town:
    """The town a page is about: the user's own, or one of a district user's towns chosen by ?town=."""
    towns = access.towns(request.user)
    slug = params.text(request, "town", max_length=50)
    town = towns.filter(slug=slug).first() if slug else getattr(request.user, "town", None) or towns.first()
    if town is None:
        raise Http404
    return town


def flash_errors(request: HttpRequest, form: BaseForm) -> None:
    """A form posted from a detail page: its errors go back as messages on the page it redirects to."""
    for errors in form.errors.values():
        for error in errors:  # the form's messages, which django-stubs types loosely
            messages.error(request, str(error))


def is_assigned(request: HttpRequest, project: KeyProject) -> bool:
    """The user is a deputy assigned to the key project."""
    deputy = access.own_deputy(request.user)
    return deputy is not None and project.assignments.filter(deputy=deputy).exists()


def attach_photo(request: HttpRequest, owner: Model, town: Town) -> None:
    """Keep the photo posted with a key-work record (an inspection, a look-back), if there is one."""
    upload = request.FILES.get("photo")
    if upload:
        store_upload(by=access.account(request), town=town, owner=owner, uploaded_file=upload)


class HasAddress(Protocol):
    def get_absolute_url(self) -> str: ...


def keywork_form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], HasAddress],
    title: StrOrPromise,
    subtitle: object = None,
    done: StrOrPromise | None = None,
) -> HttpResponse:
    """A key works' form page: a valid POST goes to `save` (a service, given the cleaned data); what the
    service refuses shows on the form's fields, and the saved record opens with the `done` message."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if done:
                messages.success(request, done)
            return redirect(record)
    return render(request, "supervision/keyworks/form.html", {"form": form, "title": title, "subtitle": subtitle})
