"""The home page: the signed-in user's starting page, the role's own panel above the tiles of its pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from congress import access
from congress.db_router import dashboard_reads
from duty import dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = access.account(request)
    today = timezone.localdate()
    context: dict[str, Any] = {}
    deputy = access.own_deputy(user)
    panel = access.home_panel(user)
    if panel == "deputy" and deputy is not None:
        context["deputy_panel"] = dashboard.deputy_panel(user, deputy, today=today)
    elif panel == "staff" and user.town is not None:
        context["staff_panel"] = dashboard.staff_panel(user, user.town, today=today)
    elif panel == "chairman" and user.town is not None:
        with dashboard_reads():
            figures = dashboard.town_figures(user, user.town, today=today)
        context.update(figures=figures, links=figures.links())
    return render(request, "duty/home.html", context)
