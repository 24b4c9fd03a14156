"""Villages, constituencies, departments and venues of a town: list, create, edit."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from congress.access import require_action
from congress.forms.reference import ConstituencyForm, DepartmentForm, VenueForm, VillageForm
from congress.models import Constituency, Department, Venue, Village
from congress.views.reference.common import Kind, edit_page, list_page

VILLAGES = Kind(Village, VillageForm, "congress:village_list", "congress/reference/village_list.html")
CONSTITUENCIES = Kind(
    Constituency,
    ConstituencyForm,
    "congress:constituency_list",
    "congress/reference/constituency_list.html",
    prefetch_related=("villages",),
)
DEPARTMENTS = Kind(Department, DepartmentForm, "congress:department_list", "congress/reference/department_list.html")
VENUES = Kind(
    Venue,
    VenueForm,
    "congress:venue_list",
    "congress/reference/venue_list.html",
    select_related=("town", "village"),
)


@require_action("congress.view_reference")
@require_safe
def village_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, VILLAGES)


@require_action("congress.manage_reference")
def village_create(request: HttpRequest) -> HttpResponse:
    return edit_page(request, VILLAGES)


@require_action("congress.manage_reference")
def village_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return edit_page(request, VILLAGES, pk)


@require_action("congress.view_reference")
@require_safe
def constituency_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, CONSTITUENCIES)


@require_action("congress.manage_reference")
def constituency_create(request: HttpRequest) -> HttpResponse:
    return edit_page(request, CONSTITUENCIES)


@require_action("congress.manage_reference")
def constituency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return edit_page(request, CONSTITUENCIES, pk)


@require_action("congress.view_reference")
@require_safe
def department_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, DEPARTMENTS)


@require_action("congress.manage_reference")
def department_create(request: HttpRequest) -> HttpResponse:
    return edit_page(request, DEPARTMENTS)


@require_action("congress.manage_reference")
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return edit_page(request, DEPARTMENTS, pk)


@require_action("congress.view_reference")
@require_safe
def venue_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, VENUES)


@require_action("congress.manage_reference")
def venue_create(request: HttpRequest) -> HttpResponse:
    return edit_page(request, VENUES)


@require_action("congress.manage_reference")
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return edit_page(request, VENUES, pk)
