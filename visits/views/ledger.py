"""The visit ledger (走访台账): filtered, sorted, paginated, exported; a visit's and a household's pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Collate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress import access
from congress.audit import records_export
from congress.models import User
from congress.privacy import record_reveal
from visits.filters import VisitFilter
from visits.models import PINYIN_COLLATION, Household, Opinion, Visit
from visits.privacy import PhoneReveal, mask_phone
from visits.xlsx import office_workbook, xlsx_response

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class RowData(TypedDict):
        """What with_row_data annotates a visit with."""

        opinion_count: int


PAGE_SIZE = 25
EXPORT_LIMIT = 20000
SORTS: dict[str, tuple[Any, ...]] = {
    "date": ("visited_on", "pk"),
    "-date": ("-visited_on", "-pk"),
    "village": (Collate("village__name", PINYIN_COLLATION), "-visited_on", "-pk"),
    "method": ("method", "-visited_on", "-pk"),
    "-opinions": ("-opinion_count", "-visited_on", "-pk"),
}


def ledger_rows(request: HttpRequest) -> tuple[VisitFilter, QuerySet[WithAnnotations[Visit, RowData]], str]:
    """The user's visits under the request's filters and sort, with everything a row shows."""
    filterset, visits, sort = ledger_visits(request)
    return filterset, with_row_data(visits), sort


def ledger_visits(request: HttpRequest) -> tuple[VisitFilter, QuerySet[Visit], str]:
    """The user's visits under the request's filters, in the request's order; no joins."""
    filterset = VisitFilter(request.GET or None, queryset=access.scope(request.user, Visit), user=request.user)
    sort = request.GET.get("sort", "-date")
    if sort not in SORTS:
        sort = "-date"
    visits = access.in_chosen_town(request, filterset.qs)
    if sort == "-opinions":
        visits = visits.annotate(opinion_count=_opinion_count())
    return filterset, visits.order_by(*SORTS[sort]), sort


def _opinion_count() -> Coalesce:
    opinions = (
        Opinion.objects.filter(visit=OuterRef("pk")).order_by().values("visit").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(opinions, output_field=IntegerField()), Value(0))


def with_row_data(visits: QuerySet[Visit]) -> QuerySet[WithAnnotations[Visit, RowData]]:
    return (
        visits.select_related("village", "household", "recorded_by")
        .prefetch_related("deputies")
        .annotate(opinion_count=_opinion_count())
    )


@access.require_action("visits.view_ledger")
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    filterset, visits, sort = ledger_visits(request)
    # Page over the ids alone (an index-only walk in the ledger's order), then join what the 25 rows
    # show: joining first made PostgreSQL build and sort every visit of the town for page 200.
    # The page holds the ids, then the visits they stand for.
    page: Page[Any] = Paginator(visits.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(with_row_data(visits.filter(pk__in=list(page.object_list))))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    return render(
        request,
        "visits/ledger.html",
        {
            "filter": filterset,
            "page": page,
            "sort": sort,
            "query": query.urlencode(),
            "unsorted_query": unsorted.urlencode(),
            "can_export": access.can(request.user, "visits.export_ledger"),
            "can_record": access.can(request.user, "visits.record"),
        },
    )


@access.require_action("visits.export_ledger")
@require_GET
@records_export("visits.ledger")
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The ledger as .xlsx: title row with town and period, one row per visit, a totals row."""
    filterset, rows, _sort = ledger_rows(request)
    visits = list(rows[:EXPORT_LIMIT])
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    first = data.get("date_from") or min((v.visited_on for v in visits), default=None)
    last = data.get("date_to") or max((v.visited_on for v in visits), default=None)
    title = _("%(town)s visit ledger %(period)s") % {
        "town": place_name(access.account(request)),
        "period": period_text(first, last),
    }
    headers = [
        _("No."),
        _("Date"),
        _("Village"),
        _("Household or voter"),
        _("Method"),
        _("Deputies"),
        _("Opinions"),
        _("Recorded by"),
        _("Notes"),
    ]
    body = [
        [
            i,
            v.visited_on,
            v.village.name,
            v.subject,
            v.get_method_display(),
            "、".join(d.name for d in v.deputies.all()),
            v.opinion_count,
            str(v.recorded_by),
            v.notes,
        ]
        for i, v in enumerate(visits, start=1)
    ]
    totals = [
        _("Total"),
        _("%(n)s visits") % {"n": len(visits)},
        "",
        _("%(n)s households") % {"n": len({v.household_id for v in visits if v.household_id})},
        "",
        "",
        sum(v.opinion_count for v in visits),
        "",
        "",
    ]
    return office_download(
        _("Visit ledger"),
        title=title,
        headers=headers,
        rows=body,
        totals=totals,
        widths=[6, 12, 12, 18, 14, 24, 8, 10, 40],
    )


def office_download(
    name: str,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    totals: Sequence[Any],
    widths: Sequence[int],
    year: int | None = None,
) -> HttpResponse:
    """An office workbook to download: its sheet and its file are called `name`, and the file name
    carries the year of a yearly table, or else today's date."""
    content = office_workbook(title=title, headers=headers, rows=rows, totals=totals, widths=widths, sheet=name)
    stamp = year if year is not None else f"{timezone.localdate():%Y%m%d}"
    return xlsx_response(content, f"{name}-{stamp}.xlsx")


def place_name(user: User) -> str:
    """The town the user works in, or their district's name."""
    town = getattr(user, "town", None)
    if town is not None:
        return town.name
    district = getattr(user, "district", None)
    return district.name if district is not None else ""


def period_text(first: dt.date | None, last: dt.date | None) -> str:
    if first is None and last is None:
        return ""
    return _("(%(first)s to %(last)s)") % {"first": first or "", "last": last or ""}


@access.require_action("visits.view_ledger")
@require_GET
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


def _household_page(request: HttpRequest, household: Household, *, revealed: bool) -> HttpResponse:
    user = access.account(request)
    visits = list(
        access.scope(request.user, Visit)
        .filter(household=household)
        .select_related("recorded_by")
        .prefetch_related("deputies", "opinions__category")
        .order_by("-visited_on", "-pk")
    )
    return render(
        request,
        "visits/household_detail.html",
        {
            "household": household,
            "phone": household.phone if revealed else mask_phone(household.phone),
            "revealed": revealed,
            "can_reveal": bool(household.phone) and not revealed and PhoneReveal(user).full(household),
            "visits": visits,
            "can_record": access.can(request.user, "visits.record"),
            # An erased household's personal fields stay blank: it is no longer edited.
            "can_edit": access.can(request.user, "visits.manage_households") and household.erased_on is None,
        },
    )


@access.require_action("visits.view_households")
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A household's page and its history of visits and opinions; the phone masked until revealed."""
    household = access.get_object_or_404(request.user, Household.objects.select_related("village"), pk=pk)
    return _household_page(request, household, revealed=False)


@access.require_action("visits.view_households")
@require_POST
def household_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's phone in full, for those who may see it (visits.privacy); recorded."""
    household = access.get_object_or_404(request.user, Household.objects.select_related("village"), pk=pk)
    if not PhoneReveal(access.account(request)).full(household):
        raise PermissionDenied
    record_reveal(request, household, "phone")
    return _household_page(request, household, revealed=True)
