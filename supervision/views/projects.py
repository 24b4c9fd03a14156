"""Pages of livelihood projects: the list and a project's page, adding and editing, its status, monthly
targets and deadline, progress reports, the deputy supervisors' notes and the division-of-labour table.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access, params
from congress.concurrency import EditConflict, show_conflict
from congress.files import EXTENSIONS
from congress.form_errors import call_with_form, call_with_messages, flash_errors, form_page
from congress.models import Town
from supervision import services, table
from supervision.forms.projects import (
    DeadlineForm,
    InspectionNoteForm,
    ProgressForm,
    ProjectForm,
    TargetFormSet,
    TargetsVersionForm,
    TransitionForm,
)
from supervision.models import (
    InspectionNote,
    Light,
    LivelihoodProject,
    LivelihoodProjectQuerySet,
    MonthlyTarget,
    ProjectReview,
)
from supervision.schedule import PlannedMonth
from supervision.views.common import submit_from_detail, town_of

# Projects

# The project's relations to other records: the form gives them as querysets, the services take lists.
RELATIONS = ("cooperating_departments", "supervisors", "summary_items")


@access.require_action("supervision.view")
@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    year = params.year(request)
    # access keeps the model's own queryset class; its signature only promises a QuerySet.
    scoped = access.in_chosen_town(request, access.scope(request.user, LivelihoodProject))
    projects: LivelihoodProjectQuerySet = (
        cast(LivelihoodProjectQuerySet, scoped)
        .filter(year=year)
        .select_related("town", "lead_department")
        .annotate(latest_light=Subquery(_latest_reviews().values("light")[:1]))
        .order_by("town_id", "position", "pk")
    )
    # The dashboard's project figures link here: adopted projects by their latest light, or with overdue targets.
    light = request.GET.get("light", "")
    if light in (*Light.values, "none"):
        # current_light is an annotation of with_current_review(): the stubs check keyword lookups against
        # the model's fields only, so the lookup is spelled as a Q, which they take as it is.
        current = Q(current_light=None if light == "none" else light)
        projects = projects.adopted().with_current_review().filter(current)
    if request.GET.get("overdue_targets") == "1":
        overdue = MonthlyTarget.objects.overdue_on(timezone.localdate())
        projects = projects.filter(pk__in=overdue.values("project_id"))
    can_manage = access.can(request.user, "supervision.manage_projects")
    return render(
        request,
        "supervision/project_list.html",
        {"projects": projects, "year": year, "can_manage": can_manage},
    )


def _latest_reviews() -> Any:
    """The project's recorded reviews, latest round first (for a Subquery on OuterRef("pk"))."""
    return (
        ProjectReview.objects.recorded().filter(project=OuterRef("pk")).order_by("-round__year", "-round__month", "-pk")
    )


@access.require_action("supervision.view")
@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(
        request.user,
        LivelihoodProject.objects.select_related("lead_department", "presidium_member", "category", "town"),
        pk=pk,
    )
    reviews = project.reviews.recorded().select_related("round").order_by("round__year", "round__month")
    return render(
        request,
        "supervision/project_detail.html",
        {
            "project": project,
            "targets": project.targets.all(),
            "reviews": reviews,
            "notes": project.inspection_notes.select_related("deputy"),
            "changes": project.status_changes.select_related("changed_by"),
            "problems": access.scope(request.user, project.problems.with_solved())
            .annotate(meeting_count=Count("meetings", distinct=True))
            .order_by("pk"),
            "can_manage_problems": access.can(request.user, "supervision.manage_problems"),
            "transitions": [LivelihoodProject.Status(s) for s in sorted(services.TRANSITIONS[project.status])],
            "can_terminate": LivelihoodProject.Status.TERMINATED in services.TRANSITIONS[project.status],
            "note_form": InspectionNoteForm() if _supervises(request, project) else None,
            "can_manage": access.can(request.user, "supervision.manage_projects"),
            "can_report": access.can(request.user, "supervision.report_progress"),
        },
    )


def _supervises(request: HttpRequest, project: LivelihoodProject) -> bool:
    deputy = access.own_deputy(request.user)
    return (
        deputy is not None
        and access.can(request.user, "supervision.add_note")
        and project.supervisors.filter(pk=deputy.pk).exists()
    )


@access.require_action("supervision.manage_projects")
def project_create(request: HttpRequest) -> HttpResponse:
    town = access.home_town(request.user)
    form = ProjectForm(request.POST or None, town=town, initial={"year": timezone.localdate().year})

    def save() -> LivelihoodProject:
        data = dict(form.cleaned_data)
        relations: dict[str, Any] = {k: list(data.pop(k)) for k in RELATIONS}
        return services.create_project(by=access.account(request), town=town, **data, **relations)

    return form_page(request, form, "supervision/project_form.html", save=save, done=_("The project was added."))


@access.require_action("supervision.manage_projects")
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, LivelihoodProject, pk=pk)
    form = ProjectForm(request.POST or None, instance=project, town=project.town)

    def save() -> LivelihoodProject:
        data = {k: form.cleaned_data[k] for k in form.changed_data if k not in {*RELATIONS, "year", "version"}}
        relations = {k: list(form.cleaned_data[k]) for k in RELATIONS}
        version = form.cleaned_data["version"]
        return services.update_project(
            by=access.account(request), project=project, version=version, **data, **relations
        )

    return form_page(
        request,
        form,
        "supervision/project_form.html",
        {"project": project},
        save=save,
        done=_("The project was saved."),
    )


TRANSITION_SERVICES: dict[str, Callable[..., LivelihoodProject]] = {
    LivelihoodProject.Status.ADOPTED: services.adopt_project,
    LivelihoodProject.Status.REJECTED: services.reject_project,
    LivelihoodProject.Status.IN_PROGRESS: services.start_project,
    LivelihoodProject.Status.COMPLETED: services.complete_project,
}


@access.require_action("supervision.manage_projects")
@require_POST
def project_transition(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, LivelihoodProject, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(project)
    to, reason = form.cleaned_data["to"], form.cleaned_data["reason"]

    def move() -> None:
        if to == LivelihoodProject.Status.TERMINATED:
            services.terminate_project(project=project, by=access.account(request), reason=reason)
        else:
            TRANSITION_SERVICES[to](project=project, by=access.account(request))

    call_with_messages(request, move)
    return redirect(project)


# Monthly targets


@access.require_action("supervision.manage_projects")
def project_targets(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, LivelihoodProject, pk=pk)
    rows = services.current_targets(project) or services.proposed_targets(project)
    if request.GET.get("propose"):
        rows = services.proposed_targets(project)
    initial = [{"month": r.month, "target": r.target, "planned_percent": r.planned_percent} for r in rows]
    formset = TargetFormSet(request.POST or None, initial=initial)
    version_form = TargetsVersionForm(request.POST or None, version=project.targets_version)
    if request.method == "POST" and formset.is_valid() and version_form.is_valid():
        new_rows = [
            PlannedMonth(month=f["month"], planned_percent=f["planned_percent"], target=f.get("target", ""))
            for f in formset.cleaned_data
            if f
        ]
        try:
            services.save_targets(
                project=project,
                by=access.account(request),
                rows=new_rows,
                version=version_form.cleaned_data["version"],
            )
        except ValidationError as exc:
            if isinstance(exc, EditConflict):
                # The page then carries the stored version: saving again after reading keeps these rows.
                show_conflict(version_form, exc)
            # non_form_errors() hands back the formset's own list: the service's messages join it.
            formset.non_form_errors().extend(exc.messages)
        else:
            messages.success(request, _("The monthly targets were saved."))
            return redirect(project)
    return render(
        request,
        "supervision/project_targets.html",
        {"project": project, "formset": formset, "version_form": version_form},
    )


@access.require_action("supervision.manage_projects")
def project_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """Moving the deadline: the first POST shows the targets before and after, a confirmed POST saves."""
    project = access.get_object_or_404(request.user, LivelihoodProject, pk=pk)
    form = DeadlineForm(
        request.POST or None, initial={"deadline": project.deadline, "deadline_text": project.deadline_text}
    )
    comparison = None
    if request.method == "POST" and form.is_valid():
        new_deadline = form.cleaned_data["deadline"]

        def move() -> LivelihoodProject:
            return services.move_deadline(
                project=project,
                by=access.account(request),
                new_deadline=new_deadline,
                deadline_text=form.cleaned_data["deadline_text"],
            )

        if request.POST.get("confirm"):
            if call_with_form(request, form, move, _("The deadline was moved and the targets respread.")):
                return redirect(project)
        elif planned := call_with_form(
            request, form, lambda: services.plan_deadline_move(project=project, new_deadline=new_deadline)
        ):
            comparison = _side_by_side(*planned.value)
    return render(
        request, "supervision/project_deadline.html", {"project": project, "form": form, "comparison": comparison}
    )


def _side_by_side(before: list[PlannedMonth], after: list[PlannedMonth]) -> list[tuple[dt.date, Any, Any]]:
    old = {r.month: r.planned_percent for r in before}
    new = {r.month: r.planned_percent for r in after}
    return [(month, old.get(month), new.get(month)) for month in sorted(old.keys() | new.keys())]


@access.require_action("supervision.report_progress")
def target_progress(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.get_object_or_404(request.user, MonthlyTarget.objects.select_related("project"), pk=pk)
    form = ProgressForm(request.POST or None, instance=target)

    def save() -> LivelihoodProject:
        services.report_progress(target=target, by=access.account(request), **form.cleaned_data)
        return target.project

    context = {"target": target}
    return form_page(
        request, form, "supervision/target_progress.html", context, save=save, done=_("The progress was reported.")
    )


# Deputy supervisors' notes


@access.require_action("supervision.view")
@require_safe
def note_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A supervisor's photo, to whoever may see the project; it was re-encoded as an image on upload."""
    note = access.get_object_or_404(request.user, InspectionNote.objects.exclude(photo=""), pk=pk)
    assert note.photo.name is not None  # the field is not null, and notes without a photo are excluded
    extension = "." + note.photo.name.rsplit(".", 1)[-1].lower()
    content_type = {ext: mime for mime, ext in EXTENSIONS.items()}.get(extension, "image/jpeg")
    response = FileResponse(note.photo.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access.require_action("supervision.add_note")
@require_POST
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, LivelihoodProject, pk=pk)
    deputy = access.own_deputy(request.user)
    if deputy is None:  # a superuser sees the project but is nobody's deputy
        raise PermissionDenied
    add = partial(services.add_inspection_note, project=project, deputy=deputy)
    submit_from_detail(request, InspectionNoteForm(request.POST, request.FILES), add, _("Your note was added."))
    return redirect(project)


# The division-of-labour table


def _table(request: HttpRequest) -> tuple[Town, int, list[table.Column], list[list[str]]]:
    town, year = town_of(request), params.year(request)
    projects = list(access.scope(request.user, table.projects(town, year)))
    month_list = table.months(projects)
    return town, year, table.columns(month_list), table.rows(projects, month_list)


@access.require_action("supervision.view")
@require_safe
def division_table(request: HttpRequest) -> HttpResponse:
    town, year, columns, rows = _table(request)
    top, below = table.header_rows(columns)
    return render(
        request,
        "supervision/division_table.html",
        {
            "town": town,
            "year": year,
            "title": table.title(town, year),
            "columns": columns,
            "header_top": top,
            "header_below": below,
            "rows": rows,
        },
    )


@access.require_action("supervision.view")
@require_safe
def division_table_xlsx(request: HttpRequest) -> HttpResponse:
    town, year, columns, rows = _table(request)
    response = HttpResponse(
        table.workbook(town, year, columns, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="division-{town.slug}-{year}.xlsx"'
    return response
