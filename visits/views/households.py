"""The household register (住户): list and search, add and edit, import from and export to Excel."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from congress import access, params
from congress.audit import records_export
from congress.form_errors import call_with_form
from congress.forms.phones import SHOW, mask_phone_box
from congress.models import Village
from congress.privacy import record_reveal
from congress.workbooks import check_workbook
from visits.models import Household, HouseholdQuerySet
from visits.privacy import PhoneReveal, mask_phone
from visits.register_import import COLUMNS, import_households
from visits.services import record_household_export, save_household
from visits.views.ledger import office_download, place_name

PAGE_SIZE = 50


def register_rows(request: HttpRequest) -> tuple[QuerySet[Household], dict[str, Any]]:
    """The user's households under the request's search and filters, in pinyin order."""
    # scope() and in_chosen_town() keep the model's own queryset class.
    households = cast(
        HouseholdQuerySet,
        access.in_chosen_town(request, access.scope(request.user, Household).select_related("village")),
    )
    q = params.text(request, "q", max_length=30)
    village = request.GET.get("village", "")
    status = request.GET.get("status", "")
    vulnerable = request.GET.get("vulnerable", "")
    if q:
        households = households.search(q)
    village_id = params.number(village)
    if village_id is not None:
        households = households.filter(village_id=village_id)
    if status in Household.Status.values:
        households = households.filter(status=status)
    if vulnerable:
        households = households.filter(Q(lives_alone_elderly=True) | Q(limited_mobility=True))
    # The dashboard's coverage figures link here: households visited (or not) in a year.
    # A year as params reads it: ?visited=0 or ?visited=² is no year and filters nothing.
    visited = params.chosen_year(request, name="visited")
    if visited is not None:
        households = households.visited_in_year(visited)
    unvisited = params.chosen_year(request, name="unvisited")
    if unvisited is not None:
        households = households.exclude(pk__in=Household.objects.visited_in_year(unvisited).values("pk"))
    filters = {
        "q": q,
        "village": village,
        "status": status,
        "vulnerable": vulnerable,
        "villages": access.scope(request.user, Village),
        "statuses": Household.Status.choices,
    }
    return households.in_pinyin_order(), filters


@access.require_action("visits.view_households")
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    households, filters = register_rows(request)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "visits/household_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "can_manage": access.can(request.user, "visits.manage_households"),
            "can_import": access.can(request.user, "visits.import_households"),
            "can_export_full": access.can(request.user, "visits.export_full"),
            **filters,
        },
    )


@access.require_action("visits.view_households")
@require_GET
@records_export("visits.household_register")
def household_export(request: HttpRequest) -> HttpResponse:
    """The register as .xlsx, phones masked unless a staff member asks for them in full; recorded."""
    households, _filters = register_rows(request)
    full = request.GET.get("full") == "1"
    rows = list(households)
    record_household_export(
        by=access.account(request),
        full_phones=full,
        rows_by_town=Counter(h.town_id for h in rows),
        filters=request.GET.urlencode(),
    )
    body = [
        [
            i,
            h.village.name,
            h.address,
            h.head_name,
            h.phone if full else mask_phone(h.phone),
            h.size,
            h.get_status_display(),
            "是" if h.lives_alone_elderly else "",
            "是" if h.limited_mobility else "",
        ]
        for i, h in enumerate(rows, start=1)
    ]
    headers = [_("No."), *COLUMNS.values()]
    totals = [_("Total"), _("%(n)s households") % {"n": len(rows)}, "", "", "", sum(h.size for h in rows), "", "", ""]
    title = _("%(place)s household register (%(day)s)") % {
        "place": place_name(access.account(request)),
        "day": timezone.localdate().isoformat(),
    }
    return office_download(
        _("Household register"),
        title=title,
        headers=headers,
        rows=body,
        totals=totals,
        widths=[6, 12, 24, 12, 14, 8, 8, 8, 8],
    )


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "village",
            "address",
            "head_name",
            "phone",
            "size",
            "status",
            "lives_alone_elderly",
            "limited_mobility",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = access.scope(user, Village)
        # The table's CHECK constraint, as a field-level message (a constraint's own message is form-wide).
        self.fields["size"].validators += [MinValueValidator(1), MaxValueValidator(50)]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", gettext_lazy("Save")))


@access.require_action("visits.manage_households")
def household_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    household = access.get_object_or_404(request.user, Household, pk=pk) if pk else Household()
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    # The phone is drawn masked; someone who may see it in full asks for it by the box's link (recorded).
    may_see = bool(household.phone) and PhoneReveal(access.account(request)).full(household)
    show = may_see and request.method == "GET" and request.GET.get("show") == SHOW
    if show:
        record_reveal(request, household, "phone (edit form)")
    show_url = f"{reverse('visits:household_edit', args=[household.pk])}?show={SHOW}" if may_see else None
    mask_phone_box(form, shown=show, show_url=show_url)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            request,
            form,
            lambda: save_household(by=access.account(request), household=form.instance),
            _("The household was saved."),
        )
        if saved is not None:
            return redirect(saved.value)
    return render(request, "visits/household_form.html", {"form": form, "household": household})


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        """Refuse a file too large, of another type or packed like a bomb before a row of it is read."""
        upload = self.cleaned_data["file"]
        check_workbook(upload)
        return upload


@access.require_action("visits.import_households")
def household_import(request: HttpRequest) -> HttpResponse:
    """Upload the register: a report by row and column if anything is wrong, and then nothing is saved."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_households(by=access.account(request), file=form.cleaned_data["file"])
        whole_file = [problem.message for problem in report.problems if not problem.column]
        if whole_file:  # the file as a whole is wrong, not a cell of it: say so on the field
            form.add_error("file", whole_file)
            report = None
        elif report.ok:
            messages.success(
                request,
                _("%(created)s households added, %(updated)s updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("visits:household_list")
    return render(
        request, "visits/household_import.html", {"form": form, "report": report, "columns": COLUMNS.values()}
    )
