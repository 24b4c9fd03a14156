"""The deputies of a town (代表名册): search, detail, create, edit, leaving office."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access, privacy
from congress.access import require_action
from congress.forms.phones import SHOW
from congress.forms.reference import DeputyFilter, DeputyForm, LeaveOfficeForm
from congress.models import Deputy
from congress.services import reference as services_reference
from congress.views.reference.common import Kind, edit_page, paginate

DEPUTIES = Kind(
    Deputy,
    DeputyForm,
    "congress:deputy_list",
    "congress/reference/deputy_list.html",
    select_related=("town", "constituency"),
)


@require_action("congress.view_reference")
@require_safe
def deputy_list(request: HttpRequest) -> HttpResponse:
    deputy_filter = DeputyFilter(request.GET or None, queryset=DEPUTIES.rows(request), request=request)
    return render(
        request,
        DEPUTIES.list_template,
        {
            "filter": deputy_filter,
            "page": paginate(request, deputy_filter.qs),
            "may_manage": access.can(request.user, "congress.manage_reference"),
        },
    )


@require_action("congress.view_reference")
@require_safe
def deputy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy's record; the phone masked until someone who may see it asks (congress.privacy)."""
    return _deputy_page(request, _deputy(request, pk), revealed=False)


@require_action("congress.view_reference")
@require_POST
def deputy_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The deputy's phone in full, for staff, the chairman and the deputy; recorded in the audit trail."""
    deputy = _deputy(request, pk)
    if not access.may_reveal_deputy_phone(request.user, deputy):
        raise PermissionDenied
    privacy.record_reveal(request, deputy, "phone")
    return _deputy_page(request, deputy, revealed=True)


def _deputy(request: HttpRequest, pk: int) -> Deputy:
    return access.get_object_or_404(request.user, Deputy.objects.select_related("town", "constituency", "user"), pk=pk)


def _deputy_page(request: HttpRequest, deputy: Deputy, *, revealed: bool) -> HttpResponse:
    may_reveal = bool(deputy.phone) and access.may_reveal_deputy_phone(request.user, deputy)
    return render(
        request,
        "congress/reference/deputy_detail.html",
        {
            "deputy": deputy,
            "phone": deputy.phone if revealed else privacy.mask_phone(deputy.phone),
            "revealed": revealed,
            "can_reveal": may_reveal and not revealed,
            "may_manage": access.can(request.user, "congress.manage_reference"),
        },
    )


@require_action("congress.manage_reference")
def deputy_create(request: HttpRequest) -> HttpResponse:
    return edit_page(request, DEPUTIES)


@require_action("congress.manage_reference")
def deputy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The deputy's form; its phone masked unless someone who may see it asks (recorded)."""
    deputy = _deputy(request, pk)
    show = (
        request.method == "GET"
        and request.GET.get("show") == SHOW
        and bool(deputy.phone)
        and access.may_reveal_deputy_phone(request.user, deputy)
    )
    if show:
        privacy.record_reveal(request, deputy, "phone (edit form)")
    return edit_page(request, DEPUTIES, pk, form_kwargs={"show_phone": show})


@require_action("congress.manage_reference")
def deputy_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a deputy left office; deputies are never deleted (their record of duty stays)."""
    deputy = access.get_object_or_404(request.user, Deputy, pk=pk)
    form = LeaveOfficeForm(request.POST if request.method == "POST" else None, deputy=deputy)
    if form.is_bound and form.is_valid():
        services_reference.record_leaving_office(
            by=access.account(request),
            deputy=deputy,
            served_until=form.cleaned_data["served_until"],
        )
        messages.success(request, _("%(deputy)s has left office.") % {"deputy": deputy})
        return redirect(deputy)
    return render(request, "congress/reference/deputy_leave.html", {"deputy": deputy, "form": form})
