"""Pages of law-enforcement inspections (执法检查): the year's inspections, activities and the findings.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access, params
from supervision.forms.keyworks import FindingsForm, LawActivityForm, LawInspectionForm
from supervision.models import LawInspection
from supervision.services import keyworks
from supervision.views.common import keywork_form_page, submit_from_detail, town_of


@access.require_action("supervision.view_keyworks")
@require_safe
def law_list(request: HttpRequest) -> HttpResponse:
    town, year = town_of(request), params.year(request)
    inspections = access.scope(request.user, LawInspection).filter(town=town, year=year)
    return render(
        request,
        "supervision/keyworks/law_list.html",
        {
            "town": town,
            "year": year,
            "inspections": inspections,
            "check": keyworks.law_inspection_check(town, year),
            "can_manage": access.can(request.user, "supervision.manage_keyworks"),
        },
    )


@access.require_action("supervision.manage_keyworks")
def law_create(request: HttpRequest) -> HttpResponse:
    town = access.home_town(request.user)
    form = LawInspectionForm(request.POST or None, town=town, initial={"year": timezone.localdate().year})
    return keywork_form_page(
        request,
        form,
        save=lambda data: keyworks.create_law_inspection(by=access.account(request), town=town, **data),
        title=_("Add a law-enforcement inspection"),
    )


@access.require_action("supervision.view_keyworks")
@require_safe
def law_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_object_or_404(request.user, LawInspection.objects.select_related("town"), pk=pk)
    can_manage = access.can(request.user, "supervision.manage_keyworks")
    return render(
        request,
        "supervision/keyworks/law_detail.html",
        {
            "inspection": inspection,
            "activities": inspection.activities.prefetch_related("deputies"),
            "items": access.scope(request.user, inspection.rectifications.select_related("owner_department")),
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "activity_form": LawActivityForm(town=inspection.town) if can_manage else None,
        },
    )


@access.require_action("supervision.manage_keyworks")
@require_POST
def law_activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_object_or_404(request.user, LawInspection.objects.select_related("town"), pk=pk)
    add = partial(keyworks.add_law_activity, inspection=inspection)
    submit_from_detail(request, LawActivityForm(request.POST, town=inspection.town), add, _("The activity was added."))
    return redirect(inspection)


@access.require_action("supervision.manage_keyworks")
def law_findings(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_object_or_404(request.user, LawInspection, pk=pk)
    form = FindingsForm(request.POST or None, instance=inspection)

    def save(data: dict[str, Any]) -> LawInspection:
        keyworks.record_findings(inspection=inspection, **data)
        return inspection

    return keywork_form_page(request, form, save=save, title=_("Findings report"), subtitle=inspection)
