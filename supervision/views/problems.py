"""Pages of the problem-solving records (现场办公 / 集体会诊 / 专题研究): a project's key problems, the
meetings held on each with their decisions, and marking decisions done. A problem is solved when every
decision of its meetings is done.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access
from congress.form_errors import add_service_errors
from supervision import services
from supervision.forms.problems import DecisionDoneForm, DecisionFormSet, MeetingForm, ProblemForm
from supervision.models import LivelihoodProject, MeetingDecision, ProblemMeeting, ProjectProblem
from supervision.views.common import flash_errors


@access.require_action("supervision.manage_problems")
def problem_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, LivelihoodProject, pk=pk)
    form = ProblemForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.record_problem(project=project, by=access.account(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The problem was recorded."))
            return redirect(problem)
    return render(request, "supervision/problem_form.html", {"form": form, "project": project})


@access.require_action("supervision.manage_problems")
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.get_object_or_404(request.user, ProjectProblem.objects.select_related("project"), pk=pk)
    form = ProblemForm(request.POST or None, instance=problem, project=problem.project)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_problem(problem=problem, by=access.account(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The problem was saved."))
            return redirect(problem)
    return render(
        request, "supervision/problem_form.html", {"form": form, "project": problem.project, "problem": problem}
    )


@access.require_action("supervision.view")
@require_safe
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.get_object_or_404(
        request.user,
        ProjectProblem.objects.with_solved().select_related("project", "review__round", "created_by"),
        pk=pk,
    )
    meetings = problem.meetings.select_related("created_by").prefetch_related(
        Prefetch("decisions", queryset=MeetingDecision.objects.select_related("owner_department"))
    )
    return render(
        request,
        "supervision/problem_detail.html",
        {
            "problem": problem,
            "project": problem.project,
            "meetings": meetings,
            "can_manage": access.can(request.user, "supervision.manage_problems"),
            "done_form": DecisionDoneForm(),
        },
    )


def _meeting_page(request: HttpRequest, problem: ProjectProblem, meeting: ProblemMeeting | None) -> HttpResponse:
    """The meeting form and its decisions: one page for recording a meeting and for correcting it."""
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, instance=meeting)
    decisions = DecisionFormSet(
        data,
        prefix="decisions",
        queryset=meeting.decisions.all() if meeting else MeetingDecision.objects.none(),
        form_kwargs={"town_id": problem.project.town_id},
    )
    if request.method == "POST" and form.is_valid() and decisions.is_valid():
        fields = {name: form.cleaned_data[name] for name in MeetingForm.Meta.fields}
        try:
            if meeting is None:
                services.record_meeting(
                    problem=problem, by=access.account(request), decisions=decisions.decisions(), **fields
                )
            else:
                services.update_meeting(
                    meeting=meeting, by=access.account(request), decisions=decisions.decisions(), **fields
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect(problem)
    return render(
        request,
        "supervision/meeting_form.html",
        {"form": form, "decisions": decisions, "problem": problem, "meeting": meeting},
    )


@access.require_action("supervision.manage_problems")
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.get_object_or_404(request.user, ProjectProblem.objects.select_related("project"), pk=pk)
    return _meeting_page(request, problem, None)


@access.require_action("supervision.manage_problems")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_object_or_404(request.user, ProblemMeeting.objects.select_related("problem__project"), pk=pk)
    return _meeting_page(request, meeting.problem, meeting)


@access.require_action("supervision.manage_problems")
@require_POST
def decision_done(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access.get_object_or_404(request.user, MeetingDecision.objects.select_related("meeting"), pk=pk)
    form = DecisionDoneForm(request.POST)
    if form.is_valid():
        try:
            services.complete_decision(
                decision=decision, by=access.account(request), done_on=form.cleaned_data["done_on"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The decision is marked done."))
    else:
        flash_errors(request, form)
    return redirect("supervision:problem_detail", pk=decision.meeting.problem_id)
