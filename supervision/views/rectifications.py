"""Pages of rectification items (整改事项): adding one to a key project, an evaluation or a law
inspection, the open items, the department's answer and the look-back (回头看) that closes an item.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access, params
from supervision.forms.keyworks import AnswerForm, LookBackForm, RectificationForm
from supervision.models import (
    DepartmentEvaluation,
    KeyProject,
    LawInspection,
    LookBack,
    Rectification,
    RectificationQuerySet,
)
from supervision.services import keyworks
from supervision.views.common import attach_photo, is_assigned, keywork_form_page, submit_from_detail

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
    return keywork_form_page(
        request,
        form,
        save=lambda data: keyworks.add_rectification(by=access.account(request), origin=origin, **data),
        title=_("Add a rectification item"),
        subtitle=origin,
        done=_("The rectification item was recorded."),
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
            "town": params.chosen_id(request, "town") or "",
            "overdue": sum(1 for rows in groups.values() for item in rows if item.is_overdue_on(today)),
        },
    )


def _may_look_back(request: HttpRequest, item: Rectification) -> bool:
    if not access.can(request.user, "supervision.record_look_back") or not item.is_open:
        return False
    if access.is_deputy(request.user):
        return item.key_project is not None and is_assigned(request, item.key_project)
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
    answer = partial(keyworks.answer_rectification, item=item, by=access.account(request))
    submit_from_detail(request, AnswerForm(request.POST), answer, _("The answer was saved."))
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

    def save(data: dict[str, Any]) -> Rectification:
        fields = {name: value for name, value in data.items() if name != "photo"}
        look_back = keyworks.record_look_back(by=access.account(request), item=item, **fields)
        attach_photo(request, look_back, item.town)
        if look_back.verdict == LookBack.Verdict.DONE:
            messages.success(request, _("The look-back confirmed the rectification: the item is closed."))
        else:
            messages.warning(request, _("The item stays open with the new due date."))
        return item

    return keywork_form_page(request, form, save=save, title=_("Record a look-back"), subtitle=item)
