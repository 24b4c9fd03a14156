"""Pages of whole-process supervision: key projects and their stages, stage inspections, rectification
items and look-backs (回头看), department evaluations (评议) and law-enforcement inspections (执法检查).

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access
from congress.models import Town, User
from congress.uploads import store_upload
from supervision import keyworks
from supervision.forms_keyworks import (
    AnswerForm,
    AssignmentForm,
    EvaluationForm,
    EvaluationStepsForm,
    FindingsForm,
    InspectionForm,
    KeyProjectForm,
    LawActivityForm,
    LawInspectionForm,
    LookBackForm,
    RectificationForm,
    StageForm,
    VoteForm,
)
from supervision.models import (
    DepartmentEvaluation,
    InspectionSuggestion,
    KeyProject,
    KeyProjectAssignment,
    LawInspection,
    LookBack,
    Rectification,
    RectificationQuerySet,
    Stage,
    StageInspection,
)


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


def _town(request: HttpRequest) -> Town:
    """The user's own town, or one of a district user's towns chosen by ?town=."""
    towns = access.towns(request.user)
    slug = request.GET.get("town")
    town = towns.filter(slug=slug).first() if slug else getattr(request.user, "town", None) or towns.first()
    if town is None:
        raise Http404
    return town


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _flash(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _attach(request: HttpRequest, owner: Any, town: Town) -> None:
    upload = request.FILES.get("photo")
    if upload:
        store_upload(by=_user(request), town=town, owner=owner, uploaded_file=upload)


def _is_assigned(request: HttpRequest, project: KeyProject) -> bool:
    deputy = access.own_deputy(request.user)
    return deputy is not None and project.assignments.filter(deputy=deputy).exists()


def _may_record(request: HttpRequest, project: KeyProject) -> bool:
    """Staff record inspections for anyone; a deputy only on a key project they are assigned to."""
    if not access.can(request.user, "supervision.record_inspection"):
        return False
    return access.role_of(request.user) != "deputy" or _is_assigned(request, project)


# Key projects


@access.require_action("supervision.view_keyworks")
@require_safe
def keyproject_list(request: HttpRequest) -> HttpResponse:
    town, year = _town(request), _year(request)
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
    if request.method == "POST" and form.is_valid():
        try:
            project = keyworks.create_key_project(by=_user(request), town=town, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The key project was added."))
            return redirect(project)
    return render(request, "supervision/keyworks/form.html", {"form": form, "title": _("Add a key project")})


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
            "may_record": _may_record(request, project),
            "stage_form": StageForm() if can_manage else None,
            "assignment_form": AssignmentForm(town=project.town) if can_manage else None,
        },
    )


@access.require_action("supervision.manage_keyworks")
@require_POST
def stage_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, KeyProject, pk=pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            keyworks.add_stage(project=project, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The stage was added."))
    else:
        _flash(request, form)
    return redirect(project)


@access.require_action("supervision.manage_keyworks")
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, KeyProject, pk=pk)
    form = AssignmentForm(request.POST, town=project.town)
    if form.is_valid():
        keyworks.assign_deputy(project=project, **form.cleaned_data)
        messages.success(request, _("The deputy was assigned."))
    else:
        _flash(request, form)
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
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("inspected_on", "notes", "reported_by", "report_summary")}
        try:
            inspection = keyworks.record_inspection(
                by=_user(request),
                stage=stage,
                deputies=list(form.cleaned_data["deputies"]),
                suggestions=form.suggestion_lines(),
                **data,
            )
            _attach(request, inspection, project.town)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The inspection was recorded."))
            return redirect(inspection)
    return render(
        request,
        "supervision/keyworks/form.html",
        {"form": form, "title": _("Record a stage inspection"), "subtitle": stage},
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
    if request.method == "POST" and form.is_valid():
        try:
            item = keyworks.rectify_suggestion(by=_user(request), suggestion=suggestion, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The rectification item was recorded."))
            return redirect(item)
    return render(
        request,
        "supervision/keyworks/form.html",
        {"form": form, "title": _("Turn the suggestion into a rectification item"), "subtitle": suggestion.text},
    )


# Rectification items and look-backs (整改 / 回头看)

ORIGINS: dict[str, type[KeyProject] | type[DepartmentEvaluation] | type[LawInspection]] = {
    "keyproject": KeyProject,
    "evaluation": DepartmentEvaluation,
    "law": LawInspection,
}


@access.require_action("supervision.manage_keyworks")
def rectification_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = ORIGINS.get(kind)
    if model is None:
        raise Http404
    origins: QuerySet[KeyProject | DepartmentEvaluation | LawInspection] = model.objects.select_related("town")
    origin = access.get_object_or_404(request.user, origins, pk=pk)
    form = RectificationForm(request.POST or None, town=origin.town)
    if request.method == "POST" and form.is_valid():
        try:
            item = keyworks.add_rectification(by=_user(request), origin=origin, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The rectification item was recorded."))
            return redirect(item)
    return render(
        request,
        "supervision/keyworks/form.html",
        {"form": form, "title": _("Add a rectification item"), "subtitle": origin},
    )


@access.require_action("supervision.view_keyworks")
@require_safe
def rectification_list(request: HttpRequest) -> HttpResponse:
    """Open items by source, overdue ones first; ?all=1 adds the closed ones."""
    show_all = request.GET.get("all") == "1"
    # access keeps the model's own queryset class; its signature only promises a QuerySet.
    scoped = cast(RectificationQuerySet, access.in_chosen_town(request, access.scope(request.user, Rectification)))
    items = scoped.select_related("town", "owner_department", "key_project", "evaluation__department", "law_inspection")
    if not show_all:
        items = items.open()
    items = items.order_by("source", "due_on", "pk")
    today = timezone.localdate()
    groups: dict[str, list[Rectification]] = {}
    for item in items:
        groups.setdefault(item.source, []).append(item)
    labels = dict(Rectification.Source.choices)
    return render(
        request,
        "supervision/keyworks/rectification_list.html",
        {
            "groups": [(labels[source], rows) for source, rows in groups.items()],
            "today": today,
            "show_all": show_all,
            "town": request.GET.get("town", "") if request.GET.get("town", "").isdigit() else "",
            "overdue": sum(1 for rows in groups.values() for item in rows if item.is_overdue_on(today)),
        },
    )


def _may_look_back(request: HttpRequest, item: Rectification) -> bool:
    if not access.can(request.user, "supervision.record_look_back") or not item.is_open:
        return False
    if access.role_of(request.user) == "deputy":
        return item.key_project is not None and _is_assigned(request, item.key_project)
    return True


@access.require_action("supervision.view_keyworks")
@require_safe
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_object_or_404(
        request.user,
        Rectification.objects.select_related(
            "town", "owner_department", "key_project", "evaluation__department", "law_inspection", "suggestion"
        ),
        pk=pk,
    )
    may_answer = item.is_open and access.can(request.user, "supervision.answer_rectification")
    may_look_back = _may_look_back(request, item)
    return render(
        request,
        "supervision/keyworks/rectification_detail.html",
        {
            "item": item,
            "today": timezone.localdate(),
            "look_backs": item.look_backs.prefetch_related("deputies", "attachments").select_related("recorded_by"),
            "answer_form": AnswerForm(initial={"response": item.response}) if may_answer else None,
            "look_back_form": LookBackForm(town=item.town, initial={"checked_on": timezone.localdate()})
            if may_look_back
            else None,
        },
    )


@access.require_action("supervision.answer_rectification")
@require_POST
def rectification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_object_or_404(request.user, Rectification, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            keyworks.answer_rectification(item=item, by=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The answer was saved."))
    else:
        _flash(request, form)
    return redirect(item)


@access.require_action("supervision.record_look_back")
def look_back_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_object_or_404(request.user, Rectification.objects.select_related("town", "key_project"), pk=pk)
    if not _may_look_back(request, item):
        if not item.is_open:
            messages.error(request, _("The item was already closed by a look-back."))
            return redirect(item)
        raise PermissionDenied
    deputy = access.own_deputy(request.user)
    initial = {"checked_on": timezone.localdate(), "deputies": [deputy] if deputy else []}
    form = LookBackForm(request.POST or None, request.FILES or None, town=item.town, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("photo", None)
        data["deputies"] = list(data["deputies"])
        try:
            look_back = keyworks.record_look_back(by=_user(request), item=item, **data)
            _attach(request, look_back, item.town)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            if look_back.verdict == LookBack.Verdict.DONE:
                messages.success(request, _("The look-back confirmed the rectification: the item is closed."))
            else:
                messages.warning(request, _("The item stays open with the new due date."))
            return redirect(item)
    return render(
        request, "supervision/keyworks/form.html", {"form": form, "title": _("Record a look-back"), "subtitle": item}
    )


# Department evaluations (评议)


@access.require_action("supervision.view_keyworks")
@require_safe
def evaluation_list(request: HttpRequest) -> HttpResponse:
    town, year = _town(request), _year(request)
    evaluations = (
        access.scope(request.user, DepartmentEvaluation).filter(town=town, year=year).select_related("department")
    )
    return render(
        request,
        "supervision/keyworks/evaluation_list.html",
        {
            "town": town,
            "year": year,
            "evaluations": evaluations,
            "check": keyworks.evaluation_check(town, year),
            "can_manage": access.can(request.user, "supervision.manage_keyworks"),
        },
    )


@access.require_action("supervision.manage_keyworks")
def evaluation_create(request: HttpRequest) -> HttpResponse:
    town = access.home_town(request.user)
    form = EvaluationForm(request.POST or None, town=town, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = keyworks.create_evaluation(by=_user(request), town=town, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect(evaluation)
    return render(request, "supervision/keyworks/form.html", {"form": form, "title": _("Add a department evaluation")})


@access.require_action("supervision.view_keyworks")
@require_safe
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_object_or_404(
        request.user, DepartmentEvaluation.objects.select_related("department", "town"), pk=pk
    )
    items = list(access.scope(request.user, evaluation.rectifications.select_related("owner_department")))
    look_backs = list(
        LookBack.objects.filter(rectification__in=items).select_related("rectification").order_by("checked_on")
    )
    can_manage = access.can(request.user, "supervision.manage_keyworks")
    return render(
        request,
        "supervision/keyworks/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "items": items,
            "look_backs": look_backs,
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "vote_form": VoteForm() if can_manage else None,
        },
    )


@access.require_action("supervision.manage_keyworks")
def evaluation_steps(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_object_or_404(request.user, DepartmentEvaluation, pk=pk)
    form = EvaluationStepsForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            keyworks.record_evaluation_steps(evaluation=evaluation, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect(evaluation)
    return render(
        request,
        "supervision/keyworks/form.html",
        {"form": form, "title": _("Investigation and evaluation meeting"), "subtitle": evaluation},
    )


@access.require_action("supervision.manage_keyworks")
@require_POST
def evaluation_vote(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_object_or_404(request.user, DepartmentEvaluation, pk=pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            keyworks.record_vote(evaluation=evaluation, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The vote was recorded."))
    else:
        _flash(request, form)
    return redirect(evaluation)


# Law-enforcement inspections (执法检查)


@access.require_action("supervision.view_keyworks")
@require_safe
def law_list(request: HttpRequest) -> HttpResponse:
    town, year = _town(request), _year(request)
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
    if request.method == "POST" and form.is_valid():
        try:
            inspection = keyworks.create_law_inspection(by=_user(request), town=town, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect(inspection)
    return render(
        request, "supervision/keyworks/form.html", {"form": form, "title": _("Add a law-enforcement inspection")}
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
    form = LawActivityForm(request.POST, town=inspection.town)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["deputies"] = list(data["deputies"])
        keyworks.add_law_activity(inspection=inspection, **data)
        messages.success(request, _("The activity was added."))
    else:
        _flash(request, form)
    return redirect(inspection)


@access.require_action("supervision.manage_keyworks")
def law_findings(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_object_or_404(request.user, LawInspection, pk=pk)
    form = FindingsForm(request.POST or None, instance=inspection)
    if request.method == "POST" and form.is_valid():
        keyworks.record_findings(inspection=inspection, **form.cleaned_data)
        return redirect(inspection)
    return render(
        request, "supervision/keyworks/form.html", {"form": form, "title": _("Findings report"), "subtitle": inspection}
    )
