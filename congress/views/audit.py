"""The audit trail's search page (审计记录), for the chairman and the staff of a town."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from congress import access, audit
from congress.access import require_action
from congress.forms.audit import AuditSearchForm
from congress.models import AuditEvent

PAGE_SIZE = 50
CHANGES_SHOWN = 100


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search_events(events: QuerySet[AuditEvent], form: AuditSearchForm) -> QuerySet[AuditEvent]:
    """The events matching a valid form's filters (all of them when the form is not valid)."""
    if not form.is_valid():
        return events
    data = form.cleaned_data
    if data["date_from"]:
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data["date_to"]:
        events = events.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    if data["user"]:
        events = events.filter(Q(username__icontains=data["user"]))
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["result"]:
        events = events.filter(result=data["result"])
    return events


@require_action("audit.view")
@require_safe
def audit_changes(request: HttpRequest) -> HttpResponse:
    """The latest changes to records with personal data, progress figures, votes or suggestion states."""
    form = AuditSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = audit.changes(
        request.user,
        date_from=_day_start(data["date_from"]) if data.get("date_from") else None,
        date_until=_day_start(data["date_to"] + dt.timedelta(days=1)) if data.get("date_to") else None,
        username=data.get("user", ""),
        limit=CHANGES_SHOWN,
    )
    for row in rows:
        row.label = row.instance_type._meta.verbose_name  # type: ignore[attr-defined]  # set by simple-history
    return render(request, "congress/audit/changes.html", {"form": form, "rows": rows, "shown": CHANGES_SHOWN})


@require_action("audit.view")
@require_safe
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    events = search_events(access.scope(request.user, AuditEvent), form)
    page = Paginator(events.order_by("-at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "congress/audit/search.html",
        {"form": form, "page": page, "retention_days": audit.retention_days()},
    )
