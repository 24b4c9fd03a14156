"""The home page: the signed-in user's starting page, the role's own panel above the tiles of its pages."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from congress import access
from congress.db_router import dashboard_reads
from congress.models import User
from congress.roles import Role
from duty import dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    today = timezone.localdate()
    context: dict[str, Any] = {}
    deputy = access.own_deputy(user)
    role = access.role_of(user)
    if role == Role.DEPUTY and deputy is not None:
        context["deputy_panel"] = dashboard.deputy_panel(user, deputy, today=today)
    elif role == Role.STAFF and user.town is not None:
        context["staff_panel"] = dashboard.staff_panel(user, user.town, today=today)
    elif role == Role.CHAIRMAN and user.town is not None:
        with dashboard_reads():
            figures = dashboard.town_figures(user, user.town, today=today)
        context.update(figures=figures, links=figures.links())
    return render(request, "duty/home.html", context)
