"""Pages of deputies' suggestions (代表建议): the web form, the lists per role, the detail with the
steps the current state allows, the statistics and the printed forms.

Every object is looked up through congress.access; every write goes through suggestions.services.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congress import access, params
from congress.audit import records_export
from congress.form_errors import add_service_errors
from congress.models import Attachment, User
from congress.roles import Role
from suggestions import forms as f
from suggestions import services as svc
from suggestions.models import Suggestion, SuggestionQuerySet

State = Suggestion.State
PAGE_SIZE = 50
MIN_TITLE_FOR_SIMILAR = 2


# --- the steps a suggestion can take, as the detail page offers them -------------------------------


@dataclass(frozen=True)
class Step:
    """A step the detail page offers; the states it starts from are models.TRANSITIONS[name]."""

    name: str
    label: Promise
    action: str  # the access.PERMISSIONS key
    form_class: type[f.StepForm]
    run: Callable[[User, Suggestion, dict[str, Any]], object]
    may: Callable[[User, Suggestion], bool] = field(default=lambda user, s: True)


def _writes_for(user: User, s: Suggestion) -> bool:
    """The proposer themselves, or staff for a proposer without a login."""
    deputy = access.own_deputy(user)
    if deputy is not None:
        return deputy.pk == s.proposer_id
    return access.is_office_staff(user) and s.proposer.user_id is None


def _answers(user: User, s: Suggestion) -> bool:
    return access.is_office_staff(user) or access.is_department_of(user, s.lead_department_id)


STEPS: dict[str, Step] = {
    step.name: step
    for step in [
        Step(
            "submit",
            _("Submit"),
            "suggestions.submit",
            f.EmptyForm,
            lambda u, s, d: svc.submit_suggestion(by=u, suggestion=s),
            _writes_for,
        ),
        Step(
            "accept",
            _("Accept"),
            "suggestions.handle",
            f.EmptyForm,
            lambda u, s, d: svc.accept_suggestion(by=u, suggestion=s),
        ),
        Step(
            "decline",
            _("Handle as an opinion"),
            "suggestions.handle",
            f.ReasonForm,
            lambda u, s, d: svc.decline_suggestion(by=u, suggestion=s, reason=d["reason"]),
        ),
        Step(
            "assign",
            _("Assign"),
            "suggestions.handle",
            f.AssignForm,
            lambda u, s, d: svc.assign_suggestion(
                by=u,
                suggestion=s,
                lead_department=d["lead_department"],
                co_departments=d["co_departments"],
                assigned_on=d["assigned_on"],
            ),
        ),
        Step(
            "extend",
            _("Extend the deadline"),
            "suggestions.handle",
            f.ExtendForm,
            lambda u, s, d: svc.extend_deadline(by=u, suggestion=s, due_on=d["due_on"], reason=d["reason"]),
        ),
        Step(
            "answer",
            _("Answer"),
            "suggestions.answer",
            f.AnswerForm,
            lambda u, s, d: svc.answer_suggestion(
                by=u, suggestion=s, text=d["text"], result_class=d["result_class"], answered_on=d["answered_on"]
            ),
            _answers,
        ),
        Step(
            "rate",
            _("Rate the answer"),
            "suggestions.rate",
            f.RateForm,
            lambda u, s, d: svc.rate_answer(by=u, suggestion=s, rating=d["rating"], rated_on=timezone.localdate()),
            _writes_for,
        ),
        Step(
            "solve",
            _("Record as solved"),
            "suggestions.handle",
            f.SolveForm,
            lambda u, s, d: svc.record_solved(by=u, suggestion=s, note=d["note"], solved_on=d["solved_on"]),
        ),
        Step(
            "supervise",
            _("Supervise (督办)"),
            "suggestions.supervise",
            f.SuperviseForm,
            lambda u, s, d: svc.flag_for_supervision(by=u, suggestion=s, notes=d["notes"]),
        ),
    ]
}


def _step_form(step: Step, s: Suggestion, data: Any = None) -> f.StepForm:
    kwargs: dict[str, Any] = {"suggestion": s} if step.form_class is f.AssignForm else {}
    form = step.form_class(data, prefix=step.name, **kwargs)
    return f.with_helper(form, reverse(f"suggestions:{step.name}", args=[s.pk]), step.label)


def _offered_steps(user: User, s: Suggestion) -> list[Step]:
    return [
        step for step in STEPS.values() if s.allows(step.name) and access.can(user, step.action) and step.may(user, s)
    ]


def _detail_context(user: User, s: Suggestion, bound: tuple[str, forms.Form] | None = None) -> dict[str, Any]:
    step_forms = []
    for step in _offered_steps(user, s):
        form = bound[1] if bound and bound[0] == step.name else _step_form(step, s)
        step_forms.append((step, form))
    return {
        "suggestion": s,
        "today": timezone.localdate(),
        "steps": step_forms,
        "proposers": s.proposer_links.select_related("deputy").order_by("-is_lead", "pk"),
        "handling_departments": s.department_links.select_related("department").order_by("-is_lead", "pk"),
        "answers": s.answers.select_related("department", "answered_by", "rated_by"),
        "events": s.events.select_related("actor"),
        "attachments": s.attachments.all(),
        "may_remove_files": s.is_draft and _writes_for(user, s),
        "rating_deadline": svc.rating_deadline(s.answers.latest("round")) if s.state == State.ANSWERED else None,
    }


def _suggestions(user: User) -> SuggestionQuerySet:
    qs = Suggestion.objects.select_related("proposer", "proposer__user", "lead_department")
    return cast(SuggestionQuerySet, access.scope(user, qs))


def _step_view(name: str) -> Callable[..., HttpResponseBase]:
    step = STEPS[name]

    @access.require_action(step.action)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        s = access.get_object_or_404(access.account(request), _suggestions(access.account(request)), pk=pk)
        if not step.may(access.account(request), s):
            raise PermissionDenied  # they may see it, but this step is someone else's
        if not s.allows(step.name):
            messages.error(request, _("This step is not possible for this suggestion now."))
            return redirect(s)
        form = _step_form(step, s, request.POST)
        if form.is_valid():
            try:
                step.run(access.account(request), s, form.cleaned_data)
            except svc.IllegalTransition as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(s)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": step.label})
                return redirect(s)
        return render(
            request, "suggestions/detail.html", _detail_context(access.account(request), s, (step.name, form))
        )

    view.__name__ = f"{name}_suggestion"
    view.__doc__ = f"POST: the {name!r} step of a suggestion, through suggestions.services."
    return view


step_views = {name: _step_view(name) for name in STEPS}


# --- pages ----------------------------------------------------------------------------------------


@access.require_action("suggestions.view")
@require_GET
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One suggestion: its text, proposers, handling, answers, history and the steps the user may take."""
    s = access.get_object_or_404(access.account(request), _suggestions(access.account(request)), pk=pk)
    if (
        s.is_draft
        and access.own_deputy(access.account(request)) is None
        and not _writes_for(access.account(request), s)
    ):
        raise Http404  # a draft is its proposers' own until submitted
    return render(request, "suggestions/detail.html", _detail_context(access.account(request), s))


# The tabs of the suggestion list, by the role that reads it (the office's tabs for every other role).
LIST_TABS: dict[str, list[tuple[str, Promise]]] = {
    Role.CHAIRMAN: [
        ("supervised", _("Supervised")),
        ("overdue", _("Overdue")),
        ("unsatisfied", _("Unsatisfied")),
        ("all", _("All")),
    ],
    Role.DEPUTY: [("all", _("Mine and joint")), ("mine", _("Mine")), ("joint", _("Joint"))],
    Role.DEPARTMENT: [("due", _("To answer")), ("all", _("All assigned"))],
}
OFFICE_TABS: list[tuple[str, Promise]] = [("all", _("All")), ("overdue", _("Overdue")), ("supervised", _("Supervised"))]


def _list_tabs(user: User) -> list[tuple[str, Promise]]:
    if user.is_superuser:
        return OFFICE_TABS
    return LIST_TABS.get(access.role_of(user) or "", OFFICE_TABS)


def _listed(user: User, tab: str, state: str, today: dt.date) -> SuggestionQuerySet:
    qs = _suggestions(user).shown_to(user).with_overdue_flag(today).prefetch_related("proposers")
    deputy = access.own_deputy(user)
    if tab == "mine" and deputy:
        qs = qs.filter(proposer=deputy)
    elif tab == "joint" and deputy:
        qs = qs.exclude(proposer=deputy)
    elif tab == "supervised":
        qs = qs.supervised_open()
    elif tab == "overdue":
        qs = qs.overdue(today)
    elif tab == "unsatisfied":
        qs = qs.filter(state=State.REDO)
    elif tab == "due":
        qs = qs.awaiting_answer()
    if state in State.values:
        qs = qs.filter(state=state)
    # The flag by F(): it is with_overdue_flag's annotation, which django-stubs cannot see through the
    # method's declared return type, so it would refuse "-is_overdue" as no field of the model.
    return qs.order_by(F("is_overdue").desc(), "due_on", "-submitted_at", "-pk")


@access.require_action("suggestions.view")
@require_GET
def suggestion_list(request: HttpRequest) -> HttpResponse:
    """The suggestions of the user's role: a deputy's own and joint ones, a department's assigned ones with
    what is due, the chairman's supervised, overdue and unsatisfied ones, the office's all by state,
    overdue first."""
    today = timezone.localdate()
    tabs = _list_tabs(access.account(request))
    tab = request.GET.get("tab", tabs[0][0])
    if tab not in dict(tabs):
        tab = tabs[0][0]
    state = request.GET.get("state", "")
    listed = access.in_chosen_town(request, _listed(access.account(request), tab, state, today))
    # The dashboard's suggestion figures link here with the year they count.
    year = params.chosen_year(request)
    if year is not None:
        listed = listed.filter(year=year)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/list.html",
        {
            "page": page,
            "tabs": tabs,
            "tab": tab,
            "state": state,
            "year": year if year is not None else "",
            "states": State.choices,
            "today": today,
            "own_deputy": access.own_deputy(access.account(request)),
            "may_submit": access.can(access.account(request), "suggestions.submit"),
            "may_see_statistics": access.can(access.account(request), "suggestions.statistics"),
        },
    )


def _suggestion_form(request: HttpRequest, instance: Suggestion | None = None) -> f.SuggestionForm:
    town = access.home_town(access.account(request))
    initial: dict[str, Any] = {"form_key": uuid.uuid4()}
    if instance is not None:
        initial = {
            "proposer": instance.proposer_id,
            "title": instance.title,
            "category": instance.category,
            "content": instance.content,
            "reasons": instance.reasons,
            "proposed_solution": instance.proposed_solution,
            "joint_proposers": [link.deputy_id for link in instance.proposer_links.filter(is_lead=False)],
        }
    return f.SuggestionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
        town=town,
        for_staff=access.own_deputy(access.account(request)) is None,
        similar_url=reverse("suggestions:similar"),
        version=None if instance is None else instance.version,
    )


def _save_from_form(request: HttpRequest, form: f.SuggestionForm, instance: Suggestion | None) -> HttpResponse | None:
    data = form.cleaned_data
    proposer = access.own_deputy(access.account(request)) or data.get("proposer")
    if proposer is None:
        raise PermissionDenied
    stored: list[Attachment] = []
    try:
        # The text, the files and the submission stand or fall together: a refused file leaves no
        # half-saved draft behind, and the form comes back with what was typed. A second submit of the
        # same new form waits for the first and then finds its suggestion, files and all.
        with transaction.atomic():
            form_key = data.get("form_key") if instance is None else None
            repeated = (
                form_key is not None
                and Suggestion.objects.filter(form_key=form_key, entered_by=access.account(request)).exists()
            )
            s = svc.save_draft(
                by=access.account(request),
                town=access.home_town(access.account(request)),
                proposer=proposer,
                joint_proposers=data["joint_proposers"],
                data=svc.SuggestionData(
                    title=data["title"],
                    category=data["category"],
                    content=data["content"],
                    reasons=data["reasons"],
                    proposed_solution=data["proposed_solution"],
                ),
                suggestion=instance,
                form_key=form_key,
                version=data.get("version"),
            )
            if not repeated:
                for upload in data["attachments"]:
                    stored.append(svc.attach_file(by=access.account(request), suggestion=s, uploaded_file=upload))
            if "submit" in request.POST and s.is_draft:
                svc.submit_suggestion(by=access.account(request), suggestion=s)
        if s.is_draft:
            messages.success(request, _("The draft is saved."))
        else:
            messages.success(request, _("The suggestion is submitted."))
    except ValidationError as exc:
        # The rows went with the rollback; the files stored before the refusal go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        if isinstance(exc, svc.IllegalTransition):
            form.add_error(None, exc.messages)
        else:
            add_service_errors(form, exc, aliases={"file": "attachments"})
        return None
    return redirect(s)


@access.require_action("suggestions.submit")
@require_http_methods(["GET", "POST"])
def suggestion_create(request: HttpRequest) -> HttpResponse:
    """The web form: a deputy writes a suggestion, or staff write one for a deputy without a login."""
    if access.own_deputy(access.account(request)) is None and not access.is_office_staff(access.account(request)):
        raise PermissionDenied
    form = _suggestion_form(request)
    if request.method == "POST" and form.is_valid():
        response = _save_from_form(request, form, None)
        if response:
            return response
    return render(request, "suggestions/form.html", {"form": form, "suggestion": None})


@access.require_action("suggestions.submit")
@require_http_methods(["GET", "POST"])
def suggestion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft, then keep it or submit it."""
    s = access.get_object_or_404(access.account(request), _suggestions(access.account(request)), pk=pk)
    if not s.is_draft or not _writes_for(access.account(request), s):
        raise Http404
    form = _suggestion_form(request, s)
    if request.method == "POST" and form.is_valid():
        response = _save_from_form(request, form, s)
        if response:
            return response
    return render(request, "suggestions/form.html", {"form": form, "suggestion": s})


@access.require_action("suggestions.submit")
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Take a file off a draft."""
    s = access.get_object_or_404(access.account(request), _suggestions(access.account(request)), pk=pk)
    if not s.is_draft or not _writes_for(access.account(request), s):
        raise Http404
    attachment = access.get_object_or_404(access.account(request), s.attachments.all(), pk=attachment_pk)
    svc.remove_file(by=access.account(request), suggestion=s, attachment=attachment)
    messages.success(request, _("The file %(name)s is removed.") % {"name": attachment.original_name})
    return redirect(s)


@access.require_action("suggestions.submit")
@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """Similar suggestions of the user's town, asked by the form (htmx) while the title is typed.

    Shows titles, numbers and states only: the point is to let a deputy see that a matter was
    raised before, whoever raised it.
    """
    title = params.text(request, "title", max_length=120)
    exclude = request.GET.get("exclude")
    found = (
        svc.similar_suggestions(
            town=access.home_town(access.account(request)),
            title=title,
            exclude_pk=params.number(exclude),
        )
        if len(title) >= MIN_TITLE_FOR_SIMILAR
        else []
    )
    return render(request, "suggestions/_similar.html", {"similar": found})


@access.require_action("suggestions.statistics")
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Handling by department and year: answered on time, satisfied, handled again."""
    years = sorted(set(_suggestions(access.account(request)).values_list("year", flat=True)), reverse=True)
    year = params.year(request, default=years[0] if years else None)
    suggestions = access.in_chosen_town(request, _suggestions(access.account(request)))
    rows = svc.handling_statistics(suggestions=suggestions, year=year, today=timezone.localdate())
    return render(request, "suggestions/statistics.html", {"rows": rows, "year": year, "years": years})


# --- printed forms -------------------------------------------------------------------------------------


@access.require_action("suggestions.view")
@require_GET
@records_export("congress.suggestion_assignment")
def print_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """The assignment form (交办单) that goes to the lead department, laid out for A4."""
    s = access.get_object_or_404(access.account(request), _suggestions(access.account(request)), pk=pk)
    if s.lead_department_id is None:
        raise Http404
    plan = svc.plan_for(s)
    return render(
        request,
        "suggestions/print_assignment.html",
        {
            "suggestion": s,
            "proposers": s.proposer_links.select_related("deputy").order_by("-is_lead", "pk"),
            "co_departments": s.department_links.filter(is_lead=False).select_related("department"),
            "plan": plan,
            "attachments": s.attachments.all(),
        },
    )


@access.require_action("suggestions.view")
@require_GET
@records_export("congress.suggestion_answer")
def print_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply letter (答复函) to the proposer: the latest answer, or the round asked for."""
    s = access.get_object_or_404(access.account(request), _suggestions(access.account(request)), pk=pk)
    answers = s.answers.select_related("department")
    round_ = request.GET.get("round", "")
    chosen_round = params.number(round_)
    answer = (
        answers.filter(round=chosen_round).first() if chosen_round is not None else answers.order_by("-round").first()
    )
    if answer is None:
        raise Http404
    return render(
        request,
        "suggestions/print_answer.html",
        {
            "suggestion": s,
            "answer": answer,
            "proposers": s.proposer_links.select_related("deputy").order_by("-is_lead", "pk"),
            "attachments": s.attachments.all(),
        },
    )
