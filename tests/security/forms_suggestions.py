"""Form cases of deputies' suggestions (suggestions:); see tests/security/form_cases.py.

The steps of a suggestion post prefixed forms ("decline-reason") to their own URL and, when refused,
render the detail page with the bound form among its steps.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions.forms import (
    AnswerForm,
    AssignForm,
    EmptyForm,
    ExtendForm,
    RateForm,
    ReasonForm,
    SolveForm,
    SuggestionForm,
    SuperviseForm,
)
from suggestions.models import Suggestion
from tests import factories
from tests.security.form_cases import FormCase, bind_files
from tests.suggestions.factories import suggestion_in_state

State = Suggestion.State


def made(state: str, **kw: Any) -> Callable[[SimpleNamespace], dict[str, Any]]:
    """setup: a suggestion of the cast's deputy, handled by the cast's department, in `state`."""

    def setup(o: SimpleNamespace) -> dict[str, Any]:
        return {
            "suggestion": suggestion_in_state(state, proposer=o.deputy, staff=o.staff, department=o.department, **kw),
            "unlinked_deputy": factories.DeputyFactory(town=o.town, constituency=o.deputy.constituency, name="赵无号"),
        }

    return setup


def bound_step(context: Any) -> forms.BaseForm | None:
    """The detail page lists a form per step the user may take; the refused one is the bound one."""
    return next((form for _step, form in context.get("steps") or [] if form.is_bound), None)


def detail(o: SimpleNamespace) -> str:
    return reverse("suggestions:detail", kwargs={"pk": o.suggestion.pk})


def the_suggestion(o: SimpleNamespace) -> Suggestion:
    return o.suggestion


def suggestion_form(
    o: SimpleNamespace, data: dict[str, Any] | None, *, for_staff: bool, version: int | None = None
) -> SuggestionForm:
    fields, files = bind_files(data)
    return SuggestionForm(fields, files, town=o.town, for_staff=for_staff, similar_url="/similar/", version=version)


def pdf(name: str = "路灯位置图.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")


WRITTEN = {
    "title": "建议村里安装路灯",
    "category": "urban",
    "content": "北房村主街夜间无照明。",
    "reasons": "群众出行不便",
    "proposed_solution": "安装太阳能路灯",
}


def step(
    name: str,
    form_class: type[forms.Form],
    state: str,
    valid: dict[str, Any],
    *,
    persona: str = "staff",
    writable: tuple[str, ...] = (),
    **kw: Any,
) -> FormCase:
    def build(o: SimpleNamespace, data: dict[str, Any] | None) -> forms.Form:
        extra = {"suggestion": o.suggestion} if form_class is AssignForm else {}
        return form_class(data, prefix=name, **extra)

    return FormCase(
        name=f"suggestion_{name}",
        url=f"suggestions:{name}",
        persona=persona,
        setup=made(state, **kw),
        kwargs=lambda o: {"pk": o.suggestion.pk},
        form=build,
        valid=lambda o: {f"{name}-{key}": value(o) if callable(value) else value for key, value in valid.items()},
        target=the_suggestion,
        form_in=bound_step,
        shown_on=(detail, "suggestions:list"),
        writable=writable,
    )


FORMS = [
    FormCase(
        name="suggestion_create",
        url="suggestions:create",
        persona="deputy_user",
        setup=made(State.DRAFT),
        form=lambda o, data: suggestion_form(o, data, for_staff=False),
        valid=lambda o: {
            **WRITTEN,
            "title": "建议修缮村委会活动室",
            "joint_proposers": [o.other_deputy.pk],
            "attachments": pdf(),
        },
        created=lambda o: Suggestion.objects.filter(title="建议修缮村委会活动室"),
        shown_on=("suggestions:list",),
        # Set by the service from the signed-in deputy, the town and the clock.
        writable=("title_bigrams", "created_at", "updated_at"),
    ),
    FormCase(
        name="suggestion_create_for_deputy",
        url="suggestions:create",
        setup=made(State.DRAFT),
        form=lambda o, data: suggestion_form(o, data, for_staff=True),
        valid=lambda o: {**WRITTEN, "title": "建议增设公交站", "proposer": o.unlinked_deputy.pk, "submit": "1"},
        created=lambda o: Suggestion.objects.filter(title="建议增设公交站"),
        shown_on=("suggestions:list",),
        writable=("title_bigrams", "created_at", "updated_at", "submitted_at"),
    ),
    FormCase(
        name="suggestion_edit",
        url="suggestions:edit",
        persona="deputy_user",
        setup=made(State.DRAFT),
        kwargs=lambda o: {"pk": o.suggestion.pk},
        form=lambda o, data: suggestion_form(o, data, for_staff=False, version=o.suggestion.version),
        valid=lambda o: {**WRITTEN, "title": "建议村里安装更多路灯", "version": o.suggestion.version},
        target=the_suggestion,
        shown_on=(detail,),
        writable=("title_bigrams", "updated_at", "version"),
    ),
    step("submit", EmptyForm, State.DRAFT, {}, persona="deputy_user", writable=("state", "number", "submitted_at")),
    step("accept", EmptyForm, State.SUBMITTED, {}, writable=("state",)),
    step("decline", ReasonForm, State.SUBMITTED, {"reason": "属于个人诉求"}, writable=("state", "decline_reason")),
    step(
        "assign",
        AssignForm,
        State.ACCEPTED,
        {"lead_department": lambda o: o.department.pk, "assigned_on": "2026-03-02"},
        writable=("state", "lead_department", "assigned_on", "due_on", "departments"),
    ),
    step(
        "extend",
        ExtendForm,
        State.ASSIGNED,
        {"due_on": "2026-08-30", "reason": "需协调区级部门"},
        writable=("due_on", "extension_reason"),
    ),
    step(
        "answer",
        AnswerForm,
        State.ASSIGNED,
        {"text": "已安装路灯二十盏。", "result_class": "A", "answered_on": "2026-04-01"},
        persona="department_user",
        writable=("state",),
    ),
    step(
        "rate",
        RateForm,
        State.ANSWERED,
        {"rating": "satisfied"},
        persona="deputy_user",
        writable=("state", "rating", "closed_on"),
    ),
    step(
        "solve",
        SolveForm,
        State.TRACKING,
        {"solved_on": "2026-09-01", "note": "已全部解决"},
        result_class="B",
        writable=("state", "closed_on"),
    ),
    step(
        "supervise",
        SuperviseForm,
        State.ASSIGNED,
        {"notes": "列为重点督办"},
        persona="chairman",
        writable=("supervised", "supervision_notes"),
    ),
]
