"""Pages of key projects (重点工作) in whole-process supervision: the projects, their stages and deputies,
the on-site inspections of a stage and turning a suggestion made there into a rectification item.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access, params
from supervision.forms.keyworks import AssignmentForm, InspectionForm, KeyProjectForm, RectificationForm, StageForm
from supervision.models import (
    InspectionSuggestion,
    KeyProject,
    KeyProjectAssignment,
    Rectification,
    Stage,
    StageInspection,
)
from supervision.services import keyworks
from supervision.views.common import attach_photo, is_assigned, keywork_form_page, submit_from_detail, town_of


def _may_record(request: HttpRequest, project: KeyProject) -> bool:
    """Staff record inspections for anyone; a deputy only on a key project they are assigned to."""
    if not access.can(request.user, "supervision.record_inspection"):
        return False
    return not access.is_deputy(request.user) or is_assigned(request, project)


# Key projects


@access.require_action("supervision.view_keyworks")
@require_safe
def keyproject_list(request: HttpRequest) -> HttpResponse:
    town, year = town_of(request), params.year(request)
    projects = (
        access.scope(request.user, KeyProject)
        .filter(town=town, year=year)
        .select_related("lead_department")
        .prefetch_related(Prefetch("assignments", KeyProjectAssignment.objects.select_related("deputy")), "stages")
    )
    return render(
        request,
        "supervision/keyworks/keyproject_list.html",
        {
            "town": town,
            "year": year,
            "projects": projects,
            "check": keyworks.key_project_check(town, year),
            "can_manage": access.can(request.user, "supervision.manage_keyworks"),
        },
    )


@access.require_action("supervision.manage_keyworks")
def keyproject_create(request: HttpRequest) -> HttpResponse:
    town = access.home_town(request.user)
    form = KeyProjectForm(request.POST or None, town=town, initial={"year": timezone.localdate().year})
    return keywork_form_page(
        request,
        form,
        save=lambda data: keyworks.create_key_project(by=access.account(request), town=town, **data),
        title=_("Add a key project"),
        done=_("The key project was added."),
        check=keyworks.key_project_check(town, timezone.localdate().year),
    )


@access.require_action("supervision.view_keyworks")
@require_safe
def keyproject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(
        request.user, KeyProject.objects.select_related("town", "lead_department"), pk=pk
    )
    inspections = StageInspection.objects.prefetch_related(
        "deputies", "attachments", Prefetch("suggestions", InspectionSuggestion.objects.select_related("rectification"))
    )
    stages = project.stages.prefetch_related(Prefetch("inspections", inspections))
    can_manage = access.can(request.user, "supervision.manage_keyworks")
    return render(
        request,
        "supervision/keyworks/keyproject_detail.html",
        {
            "project": project,
            "assignments": project.assignments.select_related("deputy"),
            "stages": stages,
            "items": access.scope(request.user, project.rectifications.select_related("owner_department")),
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "check": keyworks.key_project_check(project.town, project.year),
            "may_record": _may_record(request, project),
            "stage_form": StageForm() if can_manage else None,
            "assignment_form": AssignmentForm(town=project.town) if can_manage else None,
        },
    )


@access.require_action("supervision.manage_keyworks")
@require_POST
def stage_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, KeyProject, pk=pk)
    add = partial(keyworks.add_stage, project=project)
    submit_from_detail(request, StageForm(request.POST), add, _("The stage was added."))
    return redirect(project)


@access.require_action("supervision.manage_keyworks")
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, KeyProject, pk=pk)
    assign = partial(keyworks.assign_deputy, project=project)
    submit_from_detail(request, AssignmentForm(request.POST, town=project.town), assign, _("The deputy was assigned."))
    return redirect(project)


@access.require_action("supervision.manage_keyworks")
@require_POST
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_object_or_404(request.user, KeyProjectAssignment.objects.select_related("project"), pk=pk)
    project = assignment.project
    keyworks.unassign_deputy(assignment=assignment)
    return redirect(project)


# Stage inspections (现场调研)


@access.require_action("supervision.record_inspection")
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access.get_object_or_404(request.user, Stage.objects.select_related("project__town"), pk=pk)
    project = stage.project
    if not _may_record(request, project):
        raise PermissionDenied
    deputy = access.own_deputy(request.user)
    initial = {"inspected_on": timezone.localdate(), "deputies": [deputy] if deputy else []}
    form = InspectionForm(request.POST or None, request.FILES or None, town=project.town, initial=initial)

    def save(data: dict[str, Any]) -> StageInspection:
        inspection = keyworks.record_inspection(
            by=access.account(request),
            stage=stage,
            deputies=list(data["deputies"]),
            suggestions=form.suggestion_lines(),
            **{k: data[k] for k in ("inspected_on", "notes", "reported_by", "report_summary")},
        )
        attach_photo(request, inspection, project.town)
        return inspection

    return keywork_form_page(
        request,
        form,
        save=save,
        title=_("Record a stage inspection"),
        subtitle=stage,
        done=_("The inspection was recorded."),
    )


@access.require_action("supervision.view_keyworks")
@require_safe
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_object_or_404(
        request.user, StageInspection.objects.select_related("stage__project", "recorded_by"), pk=pk
    )
    return render(
        request,
        "supervision/keyworks/inspection_detail.html",
        {
            "inspection": inspection,
            "deputies": inspection.deputies.all(),
            "photos": inspection.attachments.all(),
            "suggestions": inspection.suggestions.select_related("rectification"),
            "can_manage": access.can(request.user, "supervision.manage_keyworks"),
        },
    )


@access.require_action("supervision.manage_keyworks")
def suggestion_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = access.get_object_or_404(
        request.user, InspectionSuggestion.objects.select_related("inspection__stage__project__town"), pk=pk
    )
    project = suggestion.inspection.stage.project
    existing = Rectification.objects.filter(suggestion=suggestion).first()
    if existing is not None:
        messages.info(request, _("This suggestion is already a rectification item."))
        return redirect(existing)
    form = RectificationForm(
        request.POST or None,
        town=project.town,
        initial={"description": suggestion.text, "owner_department": project.lead_department},
    )
    return keywork_form_page(
        request,
        form,
        save=lambda data: keyworks.rectify_suggestion(by=access.account(request), suggestion=suggestion, **data),
        title=_("Turn the suggestion into a rectification item"),
        subtitle=suggestion.text,
        done=_("The rectification item was recorded."),
    )
