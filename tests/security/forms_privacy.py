"""The personal data request forms, for the mass-assignment and hostile-input suites."""

from __future__ import annotations

from congress.forms.privacy import PersonalDataAnswerForm, PersonalDataRequestForm
from congress.models import PersonalDataRequest
from tests import factories
from tests.security.form_cases import FormCase


def open_request(o):
    return {"data_request": factories.PersonalDataRequestFactory(town=o.town, recorded_by=o.staff)}


FORMS = [
    FormCase(
        name="data_request_create",
        url="congress:data_request_create",
        form=lambda o, data: PersonalDataRequestForm(data, instance=PersonalDataRequest(town=o.town)),
        valid=lambda o: {
            "requester": "李桂兰",
            "kind": "delete",
            "received_on": "2026-11-03",
            "request": "删除我的电话",
        },
        created=lambda o: PersonalDataRequest.objects.filter(town=o.town, requester="李桂兰"),
        writable=("recorded_at",),  # set by the server on creation: two creations differ
        shown_on=("congress:data_requests",),
    ),
    FormCase(
        name="data_request_answer",
        url="congress:data_request_answer",
        kwargs=lambda o: {"pk": o.data_request.pk},
        setup=open_request,
        form=lambda o, data: PersonalDataAnswerForm(data, instance=o.data_request),
        valid=lambda o: {"answer": "已删除电话号码", "answered_on": "2026-11-05"},
        target=lambda o: o.data_request,
        writable=("answered_by",),
        shown_on=(lambda o: f"/congress/data-requests/{o.data_request.pk}/",),
    ),
]
