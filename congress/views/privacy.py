"""The personal data requests (个人信息请求) of a town: a person asks to see, correct or delete their data;
the office records the request and its answer. Staff and the chairman read them; staff write them."""

from __future__ import annotations

import copy

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from congress import access
from congress.access import require_action
from congress.form_errors import call_with_form
from congress.forms.privacy import PersonalDataAnswerForm, PersonalDataRequestForm
from congress.models import PersonalDataRequest
from congress.services import privacy as services_privacy
from congress.views.reference.common import paginate


@require_action("privacy.view_requests")
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    showing_open = request.GET.get("open") == "1"
    requests = PersonalDataRequest.objects.open() if showing_open else PersonalDataRequest.objects.all()
    rows = access.scope(request.user, requests.select_related("town", "answered_by"))
    return render(
        request,
        "congress/privacy/request_list.html",
        {
            "page": paginate(request, rows),
            "showing_open": showing_open,
            "open_count": access.scope(request.user, PersonalDataRequest.objects.open()).count(),
            "may_record": access.can(request.user, "privacy.record_requests"),
            "several_towns": access.reads_several_towns(request.user),
        },
    )


@require_action("privacy.record_requests")
def request_create(request: HttpRequest) -> HttpResponse:
    record = PersonalDataRequest(town=access.home_town(request.user))
    form = PersonalDataRequestForm(request.POST if request.method == "POST" else None, instance=record)
    if form.is_bound and form.is_valid():
        done = call_with_form(
            request,
            form,
            lambda: services_privacy.record_request(by=access.account(request), request=form.instance),
            _("The request is recorded."),
        )
        if done is not None:
            return redirect("congress:data_requests")
    return render(request, "congress/privacy/request_form.html", {"form": form})


@require_action("privacy.view_requests")
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The request with its answer; staff answer an open one here."""
    record = access.get_object_or_404(
        request.user, PersonalDataRequest.objects.select_related("recorded_by", "answered_by"), pk=pk
    )
    may_answer = access.can(request.user, "privacy.record_requests")
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    form = None
    if may_answer and (request.method == "POST" or not record.is_answered):
        # The form fills a copy: a refused answer leaves the request on the page as it is stored.
        form = PersonalDataAnswerForm(request.POST if request.method == "POST" else None, instance=copy.copy(record))
    if form is not None and form.is_bound and form.is_valid():
        data = form.cleaned_data
        done = call_with_form(
            request,
            form,
            lambda: services_privacy.answer_request(
                by=access.account(request), request=record, answer=data["answer"], answered_on=data["answered_on"]
            ),
            _("The answer is recorded."),
        )
        if done is not None:
            return redirect("congress:data_requests")
    return render(request, "congress/privacy/request_detail.html", {"record": record, "form": form})
