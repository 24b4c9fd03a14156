"""The visit quota on pages: a deputy's own record (我的履职) and the staff overview grid."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Collate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from congress import access, params
from congress.audit import records_export
from congress.models import Constituency, Deputy, DeputyQuerySet, Village
from visits.models import PINYIN_COLLATION, Household, Opinion, Visit
from visits.quota import DeputyQuota, MonthState, Pace, quota
from visits.views.ledger import office_download, place_name

UNVISITED_PAGE_SIZE = 20
STATE_MARKS = {
    MonthState.MET: "✓",
    MonthState.MISSED: "✗",
    MonthState.IN_PROGRESS: "…",
    MonthState.UPCOMING: "",
    MonthState.NOT_SERVED: "—",
}


@access.require_action("visits.view_own_duty")
@require_GET
def my_duty(request: HttpRequest) -> HttpResponse:
    """我的履职: this month's visits and this year's households against the targets, the constituency's
    households nobody has visited this year, and what became of the opinions the deputy collected."""
    deputy = access.own_deputy(request.user)
    if deputy is None:
        raise Http404
    year = params.year(request)
    today = timezone.localdate()
    result = quota([deputy], year, today=today)[deputy.pk]
    month = result.month(today.month) if today.year == year else None

    visited = Visit.objects.filter(household=OuterRef("pk"), visited_on__year=year)
    unvisited = (
        Household.objects.resident()
        .filter(town_id=deputy.town_id, village__in=deputy.constituency.villages.all())
        .exclude(Exists(visited))
        .select_related("village")
        .in_pinyin_order()
    )
    page = Paginator(unvisited, UNVISITED_PAGE_SIZE).get_page(request.GET.get("page"))
    collected = Opinion.objects.filter(visit__deputies=deputy, visit__visited_on__year=year)
    by_status = dict(collected.order_by().values_list("status").annotate(n=Count("pk")))
    statuses = [(label, by_status.get(value, 0)) for value, label in Opinion.Status.choices]
    recent = collected.select_related("category", "visit", "summary_item").order_by("-visit__visited_on", "-pk")[:10]
    return render(
        request,
        "visits/my_duty.html",
        {
            "deputy": deputy,
            "year": year,
            "result": result,
            "month": month,
            "page": page,
            "statuses": statuses,
            "recent_opinions": recent,
            "may_suggest": access.can(request.user, "suggestions.submit"),
        },
    )


def overview_rows(request: HttpRequest) -> tuple[int, list[tuple[Deputy, DeputyQuota]], dict[str, Any]]:
    """The deputies in the user's scope serving in the year, filtered, with their quota, sorted."""
    year = params.year(request)
    deputies = access.in_chosen_town(
        request,
        # scope() keeps the model's own queryset class.
        cast(DeputyQuerySet, access.scope(request.user, Deputy))
        .serving_in_year(year)
        .select_related("constituency", "town")
        .order_by(),
    )
    villages = access.scope(request.user, Village)
    constituencies = access.scope(request.user, Constituency)
    village = request.GET.get("village", "")
    village_id = params.number(village)
    if village_id is not None:
        deputies = deputies.filter(constituency__in=Constituency.objects.filter(villages=village_id))
    constituency = request.GET.get("constituency", "")
    constituency_id = params.number(constituency)
    if constituency_id is not None:
        deputies = deputies.filter(constituency_id=constituency_id)
    deputy_list = list(deputies.order_by("town_id", "constituency__number", Collate("name", PINYIN_COLLATION)))
    results = quota(deputy_list, year)
    rows = [(d, results[d.pk]) for d in deputy_list]
    sort = request.GET.get("sort", "")
    if sort == "shortfall":
        rows.sort(key=lambda r: (-r[1].household_shortfall, -r[1].months_missed))
    filters = {
        "villages": villages,
        "constituencies": constituencies,
        "village": village,
        "constituency": constituency,
        "sort": sort,
    }
    return year, rows, filters


@access.require_action("visits.view_quota")
@require_GET
def quota_overview(request: HttpRequest) -> HttpResponse:
    """Every deputy with a month-by-month 达标 grid for the year, sortable by shortfall."""
    year, rows, filters = overview_rows(request)
    query = request.GET.copy()
    query.pop("sort", None)
    return render(
        request,
        "visits/quota_overview.html",
        {"year": year, "rows": rows, "months": range(1, 13), "query": query.urlencode(), **filters},
    )


@access.require_action("visits.view_quota")
@require_GET
@records_export("visits.quota")
def quota_export(request: HttpRequest) -> HttpResponse:
    year, rows, _filters = overview_rows(request)
    headers = [
        _("No."),
        _("Deputy"),
        _("Constituency"),
        *[_("Month %(n)s") % {"n": m} for m in range(1, 13)],
        _("Counted visits"),
        _("Households"),
        _("Household target"),
        _("Result"),
    ]
    body = [
        [
            i,
            deputy.name,
            deputy.constituency.name,
            *[f"{STATE_MARKS[m.state]}{m.visits}" if m.served else STATE_MARKS[m.state] for m in result.months],
            result.visits,
            result.households,
            result.household_target,
            result.pace_label,
        ]
        for i, (deputy, result) in enumerate(rows, start=1)
    ]
    met = sum(1 for _d, r in rows if r.pace == Pace.MET)
    totals = [
        _("Total"),
        _("%(n)s deputies") % {"n": len(rows)},
        "",
        *[sum(r.month(m).visits for _d, r in rows) for m in range(1, 13)],
        sum(r.visits for _d, r in rows),
        sum(r.households for _d, r in rows),
        sum(r.household_target for _d, r in rows),
        _("%(n)s met") % {"n": met},
    ]
    title = _("%(place)s deputies' visit quota %(year)s") % {
        "place": place_name(access.account(request)),
        "year": year,
    }
    return office_download(
        _("Visit quota"),
        title=title,
        headers=headers,
        rows=body,
        totals=totals,
        widths=[6, 10, 14, *[6] * 12, 10, 10, 10, 10],
        year=year,
    )
