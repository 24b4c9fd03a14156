"""A visit's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congress import access
from visits.models import Visit


@access.require_action("visits.view_ledger")
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access.get_object_or_404(
        request.user, Visit.objects.select_related("village", "household", "recorded_by"), pk=pk
    )
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "deputies": list(visit.deputies.all()),
            "opinions": list(visit.opinions.select_related("category", "summary_item")),
        },
    )
