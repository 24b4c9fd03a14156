"""What the supervision pages share: the town a page is about, a form posted from a detail page, the key
works' form pages, and the key works' questions of who is assigned and the photo that comes with a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse

from congress import access, params
from congress.form_errors import HasAddress, call_with_messages, flash_errors, form_page
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


def submit_from_detail(
    request: HttpRequest, form: BaseForm, service: Callable[..., object], success: StrOrPromise
) -> None:
    """A small form posted from a detail page: when it is valid, `service` runs with the cleaned data as
    keyword arguments (its other ones bound beforehand); the form's errors, the service's errors or
    `success` go back as messages on the page the view redirects to."""
    if form.is_valid():
        call_with_messages(request, lambda: service(**form.cleaned_data), success)
    else:
        flash_errors(request, form)


def is_assigned(request: HttpRequest, project: KeyProject) -> bool:
    """The user is a deputy assigned to the key project."""
    deputy = access.own_deputy(request.user)
    return deputy is not None and project.assignments.filter(deputy=deputy).exists()


def attach_photo(request: HttpRequest, owner: Model, town: Town) -> None:
    """Keep the photo posted with a key-work record (an inspection, a look-back), if there is one."""
    upload = request.FILES.get("photo")
    if upload:
        store_upload(by=access.account(request), town=town, owner=owner, uploaded_file=upload)


def keywork_form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], HasAddress | str],
    title: StrOrPromise,
    subtitle: object = None,
    done: StrOrPromise | None = None,
    check: object = None,
) -> HttpResponse:
    """A key works' form page, `save` given the cleaned data; `check` is the year's count against the plan."""
    return form_page(
        request,
        form,
        "supervision/keyworks/form.html",
        {"title": title, "subtitle": subtitle, "check": check},
        save=lambda: save(form.cleaned_data),
        done=done,
    )
