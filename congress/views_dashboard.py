"""The dashboards' pages: the town overview (the chairman's), the district's comparison and the wall display."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from congress import access, dashboard
from congress.db_router import reads_dashboard
from congress.models import Town


def _town(request: HttpRequest, pk: int | None) -> Town | None:
    """The town asked for (among those the user reads, else 404), or the user's own; None without one."""
    if pk is not None:
        return get_object_or_404(access.towns(request.user), pk=pk)
    return getattr(request.user, "town", None)


def _context(request: HttpRequest, town: Town) -> dict[str, object]:
    figures = dashboard.town_figures(request.user, town, today=timezone.localdate())  # type: ignore[arg-type]
    return {
        "figures": figures,
        "links": figures.links(),
        "charts": figures.charts,
        "chart_data": [c.as_json() for c in figures.charts],
        "with_charts": True,
    }


@access.require_action("dashboard.town")
@require_GET
@reads_dashboard
def town_dashboard(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """One screen for the chairman: tiles and charts of the year, each opening the list behind it."""
    town = _town(request, pk)
    if town is None:
        return redirect("dashboard:district")
    return render(request, "dashboard/town.html", {**_context(request, town), "read_only": pk is not None})


@access.require_action("dashboard.district")
@require_GET
@reads_dashboard
def district_dashboard(request: HttpRequest) -> HttpResponse:
    """The district's towns side by side, sortable by each rate."""
    sort = request.GET.get("sort", "")
    rows = dashboard.district_rows(request.user, today=timezone.localdate(), sort=sort)  # type: ignore[arg-type]
    return render(request, "dashboard/district.html", {"rows": rows, "sort": sort})


@access.require_action("dashboard.town")
@require_GET
@reads_dashboard
def display(request: HttpRequest) -> HttpResponse:
    """The dashboard for the meeting room's large screen (数据大屏): dark, large type, reloads every 5 minutes."""
    town = _town(request, None)
    if town is None:
        return redirect("dashboard:district")
    return render(request, "dashboard/display.html", {**_context(request, town), "refresh_seconds": 300})
