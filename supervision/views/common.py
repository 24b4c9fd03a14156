"""What the supervision pages share: the year and town a page is about, the signed-in user, form errors
as messages, and the key works' questions of who is assigned and the photo that comes with a record."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest

from congress import access
from congress.models import Town
from congress.uploads import store_upload
from supervision.models import KeyProject


def town_of(request: HttpRequest) -> Town:
    """The town a page is about: the user's own, or one of a district user's towns chosen by ?town=."""
    towns = access.towns(request.user)
    slug = request.GET.get("town")
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
