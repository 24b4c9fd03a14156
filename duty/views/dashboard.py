"""The dashboards' pages: the town overview (the chairman's), the district's comparison, and the meeting-room
display behind its read-only links."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congress import access
from congress import display_links as display_links_service
from congress.db_router import reads_dashboard
from congress.models import DisplayLink, Town
from duty import dashboard
from duty.forms import DisplayLinkForm

# How often the wall reloads itself, in seconds.
WALL_REFRESH_SECONDS = 300


def _town(request: HttpRequest, pk: int | None) -> Town | None:
    """The town asked for (among those the user reads, else 404), or the user's own; None without one."""
    if pk is not None:
        return get_object_or_404(access.towns(request.user), pk=pk)
    return getattr(request.user, "town", None)


def _context(request: HttpRequest, town: Town) -> dict[str, object]:
    figures = dashboard.town_figures(access.account(request), town, today=timezone.localdate())
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
    return render(
        request,
        "duty/dashboard/town.html",
        {
            **_context(request, town),
            "read_only": pk is not None,
            "may_manage_display_links": access.can(request.user, "dashboard.manage_display_links"),
        },
    )


@access.require_action("dashboard.district")
@require_GET
@reads_dashboard
def district_dashboard(request: HttpRequest) -> HttpResponse:
    """The district's towns side by side, sortable by each rate."""
    sort = request.GET.get("sort", "")
    rows = dashboard.district_rows(access.account(request), today=timezone.localdate(), sort=sort)
    return render(request, "duty/dashboard/district.html", {"rows": rows, "sort": sort})


@access.require_action("dashboard.manage_display_links")
@require_http_methods(["GET", "POST"])
def display_links(request: HttpRequest) -> HttpResponse:
    """The town's meeting-room display links: make one (its address is shown this once) and revoke them."""
    user = access.account(request)
    form = DisplayLinkForm(request.POST or None)
    new_url = ""
    if request.method == "POST" and form.is_valid():
        _link, token = display_links_service.create_display_link(
            by=user, town=access.home_town(user), label=form.cleaned_data["label"]
        )
        new_url = request.build_absolute_uri(reverse("display_wall", args=[token]))
        form = DisplayLinkForm()
    links = access.scope(user, DisplayLink).select_related("created_by", "revoked_by", "town")
    return render(request, "duty/dashboard/display_links.html", {"form": form, "links": links, "new_url": new_url})


@access.require_action("dashboard.manage_display_links")
@require_POST
def display_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """End a display link: the wall showing it gets 404 on its next refresh."""
    user = access.account(request)
    link = access.get_object_or_404(user, DisplayLink, pk=pk)
    display_links_service.revoke_display_link(by=user, link=link)
    messages.success(request, _("The display link “%(label)s” is revoked.") % {"label": link.label})
    return redirect("dashboard:display_links")


@require_GET
@reads_dashboard
def wall(request: HttpRequest, token: str) -> HttpResponse:
    """The meeting-room display (数据大屏) behind a display link: the town's dashboard, dark and full
    screen, reloading every 5 minutes. No sign-in and no session; an unknown or revoked token is a 404."""
    link = display_links_service.active_link(token)
    if link is None:
        raise Http404
    figures = dashboard.town_figures(access.display_reader(link.town), link.town, today=timezone.localdate())
    # The wall is looked at, not clicked: its figures carry no links to lists that need a sign-in.
    charts = [c.without_links() for c in figures.charts]
    response = render(
        request,
        "duty/dashboard/wall.html",
        {
            "figures": figures,
            "links": {},
            "charts": charts,
            "chart_data": [c.as_json() for c in charts],
            "refresh_seconds": WALL_REFRESH_SECONDS,
        },
    )
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
