"""Pages of congress sessions (人代会): the list, scheduling, the agenda with its reports and budget
figures, attendance and whether the session may be held."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from congress import access
from congress.form_errors import call_with_form
from sittings import forms as f
from sittings import services as svc
from sittings.models import AgendaItem, Attendance, BudgetLine, Session


def _session(request: HttpRequest, pk: int) -> Session:
    return access.get_object_or_404(access.account(request), Session.objects.select_related("town"), pk=pk)


@access.require_action("sessions.view")
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    """The sessions of the user's towns, newest first, with their attendance counts."""
    sessions = access.scope(access.account(request), Session.objects.select_related("town")).annotate(
        present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
        recorded=Count("attendance"),
    )
    return render(
        request,
        "sittings/list.html",
        {
            "sessions": sessions.order_by("-starts_on", "pk"),
            "may_manage": access.can(access.account(request), "sessions.manage"),
        },
    )


@access.require_action("sessions.manage")
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    """Schedule a session of the user's town; its agenda follows from its kind and the plan."""
    town = access.home_town(access.account(request))
    form = f.SessionForm(request.POST or None)

    def schedule() -> Session:
        data = form.cleaned_data
        return svc.schedule_session(by=access.account(request), town=town, year=data["starts_on"].year, **data)

    if (
        request.method == "POST"
        and form.is_valid()
        and (done := call_with_form(request, form, schedule, _("The session is scheduled.")))
    ):
        return redirect(done.value)
    return render(request, "sittings/form.html", {"form": form})


@access.require_action("sessions.view")
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session: its agenda, budget figures, attendance and whether it may be held."""
    session = _session(request, pk)
    items = access.scope(access.account(request), AgendaItem).filter(session=session).prefetch_related("budget_lines")
    attendance = (
        access.scope(access.account(request), Attendance).filter(session=session).select_related("deputy__constituency")
    )
    return render(
        request,
        "sittings/detail.html",
        {
            "session": session,
            "items": items,
            "attendance": attendance,
            "quorum": svc.quorum(session),
            "may_manage": access.can(access.account(request), "sessions.manage"),
            "new_item_form": f.NewAgendaItemForm(),
        },
    )


@access.require_action("sessions.manage")
@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record 出席 / 请假 / 缺席 for every deputy in office on the session's first day."""
    session = _session(request, pk)
    deputies = list(svc.deputies_in_office(session).select_related("constituency"))
    current = dict(Attendance.objects.filter(session=session).values_list("deputy_id", "status"))
    form = f.AttendanceForm(request.POST or None, deputies=deputies, current=current, version=session.version)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_with_form(
            request,
            form,
            lambda: svc.record_attendance(
                by=access.account(request),
                session=session,
                statuses=form.statuses(),
                version=form.cleaned_data["version"],
            ),
            _("Attendance is saved."),
        )
    ):
        return redirect(session)
    return render(request, "sittings/attendance.html", {"session": session, "form": form})


@access.require_action("sessions.manage")
@require_http_methods(["POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item to the agenda, after the existing ones."""
    session = _session(request, pk)
    form = f.NewAgendaItemForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            Session.objects.select_for_update().filter(pk=session.pk).first()
            item = form.save(commit=False)
            item.session = session
            item.order = (session.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
            item.full_clean()
            item.save()
        return redirect("sessions:item", pk=item.pk)
    messages.error(request, _("The item needs a kind and a title."))
    return redirect(session)


@access.require_action("sessions.manage")
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """An agenda item's reporter, document, deliberation opinions and resolution; the budget report's figures."""
    item = access.get_object_or_404(access.account(request), AgendaItem.objects.select_related("session"), pk=pk)
    form = f.AgendaItemForm(request.POST or None, instance=item)
    is_budget = item.kind == AgendaItem.Kind.BUDGET_REPORT
    formset = (
        f.BudgetLineFormSet(request.POST or None, instance=item, queryset=BudgetLine.objects.filter(item=item))
        if is_budget
        else None
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (formset is None or formset.is_valid())
        and call_with_form(
            request,
            form,
            lambda: svc.save_agenda_item(
                item=form.instance,
                fields=f.AgendaItemForm.Meta.fields,
                version=form.cleaned_data["version"],
                figures=None if formset is None else svc.BudgetRows(item, formset),
            ),
            _("The item is saved."),
        )
    ):
        return redirect(item.session)
    return render(request, "sittings/item.html", {"item": item, "form": form, "formset": formset})


@access.require_action("sessions.view")
@require_GET
def results_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's results table, laid out for A4."""
    session = _session(request, pk)
    items = access.scope(access.account(request), AgendaItem).filter(session=session).prefetch_related("budget_lines")
    return render(
        request,
        "sittings/print_results.html",
        {"session": session, "items": items, "quorum": svc.quorum(session), "printed_on": timezone.localdate()},
    )
