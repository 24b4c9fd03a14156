"""Pages of department evaluations (评议): the year's evaluations, the investigation and meeting, the vote.

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
from supervision.forms.keyworks import EvaluationForm, EvaluationStepsForm, VoteForm
from supervision.models import DepartmentEvaluation, LookBack
from supervision.services import keyworks
from supervision.views.common import keywork_form_page, submit_from_detail, town_of


@access.require_action("supervision.view_keyworks")
@require_safe
def evaluation_list(request: HttpRequest) -> HttpResponse:
    town, year = town_of(request), params.year(request)
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
    return keywork_form_page(
        request,
        form,
        save=lambda data: keyworks.create_evaluation(by=access.account(request), town=town, **data),
        title=_("Add a department evaluation"),
    )


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

    def save(data: dict[str, Any]) -> DepartmentEvaluation:
        keyworks.record_evaluation_steps(evaluation=evaluation, **data)
        return evaluation

    return keywork_form_page(
        request, form, save=save, title=_("Investigation and evaluation meeting"), subtitle=evaluation
    )


@access.require_action("supervision.manage_keyworks")
@require_POST
def evaluation_vote(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_object_or_404(request.user, DepartmentEvaluation, pk=pk)
    record = partial(keyworks.record_vote, evaluation=evaluation)
    submit_from_detail(request, VoteForm(request.POST), record, _("The vote was recorded."))
    return redirect(evaluation)
