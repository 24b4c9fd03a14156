"""Pages of the problem-solving records (现场办公 / 集体会诊 / 专题研究): a project's key problems, the
meetings held on each with their decisions, and marking decisions done. A problem is solved when every
decision of its meetings is done.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from functools import partial

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access
from congress.form_errors import call_with_form, form_page
from supervision import services
from supervision.forms.problems import DecisionDoneForm, DecisionFormSet, MeetingForm, ProblemForm
from supervision.models import LivelihoodProject, MeetingDecision, ProblemMeeting, ProjectProblem
from supervision.views.common import submit_from_detail


@access.require_action("supervision.manage_problems")
def problem_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_object_or_404(request.user, LivelihoodProject, pk=pk)
    form = ProblemForm(request.POST or None, project=project)
    return form_page(
        request,
        form,
        "supervision/problem_form.html",
        {"project": project},
        save=lambda: services.record_problem(project=project, by=access.account(request), **form.cleaned_data),
        done=_("The problem was recorded."),
    )


@access.require_action("supervision.manage_problems")
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.get_object_or_404(request.user, ProjectProblem.objects.select_related("project"), pk=pk)
    form = ProblemForm(request.POST or None, instance=problem, project=problem.project)
    return form_page(
        request,
        form,
        "supervision/problem_form.html",
        {"project": problem.project, "problem": problem},
        save=lambda: services.update_problem(problem=problem, by=access.account(request), **form.cleaned_data),
        done=_("The problem was saved."),
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

        def save() -> ProblemMeeting:
            by, rows = access.account(request), decisions.decisions()
            if meeting is None:
                return services.record_meeting(problem=problem, by=by, decisions=rows, **fields)
            version = form.cleaned_data["version"]
            return services.update_meeting(meeting=meeting, by=by, decisions=rows, version=version, **fields)

        if call_with_form(request, form, save, _("The meeting was recorded.")):
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
    complete = partial(services.complete_decision, decision=decision, by=access.account(request))
    submit_from_detail(request, DecisionDoneForm(request.POST), complete, _("The decision is marked done."))
    return redirect("supervision:problem_detail", pk=decision.meeting.problem_id)
