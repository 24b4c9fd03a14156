"""Pages of deputies' suggestions (代表建议): the web form, the lists per role, the detail with the
step the current state allows, the statistics and the printed forms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from congress import access
from congress import suggestions as svc

MIN_TITLE_FOR_SIMILAR = 2


@require_GET
@access.require_action("suggestions.submit")
def similar(request: HttpRequest) -> HttpResponse:
    """Similar suggestions of the user's town, asked by the form (htmx) while the title is typed.

    Shows titles, numbers and states only: the point is to let a deputy see that a matter was
    raised before, whoever raised it.
    """
    title = request.GET.get("title", "").strip()[:120]
    exclude = request.GET.get("exclude")
    found = (
        svc.similar_suggestions(
            town=access.home_town(request.user),
            title=title,
            exclude_pk=int(exclude) if exclude and exclude.isdigit() else None,
        )
        if len(title) >= MIN_TITLE_FOR_SIMILAR
        else []
    )
    return render(request, "suggestions/_similar.html", {"similar": found})
