"""Recording a visit (走访) on a phone: the form, its htmx household search and opinion rows."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from congress import access, params
from congress.form_errors import call_with_form
from visits.forms import OpinionFormSet, VisitForm, opinion_formset_helper
from visits.models import Household, HouseholdQuerySet, OpinionCategory
from visits.services import OpinionData, record_visit

SEARCH_LIMIT = 20


@access.require_action("visits.record")
def visit_create(request: HttpRequest) -> HttpResponse:
    """The phone-first visit form; saves through record_visit and goes to the stored visit."""
    user = access.account(request)
    categories = OpinionCategory.objects.for_town(access.home_town(user)).active()
    if request.method == "POST":
        form = VisitForm(request.POST, user=user)
        formset = OpinionFormSet(request.POST, prefix="opinions", form_kwargs={"categories": categories})
        if form.is_valid() and formset.is_valid():
            opinions = [
                OpinionData(category=row["category"], text=row["text"], urgency=row["urgency"])
                for row in formset.cleaned_data
                if row and not row.get("DELETE")
            ]
            # The form's fields are the service's: key, date, method, village, household, deputies, voter, notes.
            recorded = call_with_form(
                request,
                form,
                lambda: record_visit(by=user, opinions=opinions, **form.cleaned_data),
                _("The visit was recorded."),
            )
            if recorded is not None:
                return redirect(recorded.value)
    else:
        form = VisitForm(user=user)
        formset = OpinionFormSet(prefix="opinions", form_kwargs={"categories": categories})
    return render(
        request,
        "visits/visit_form.html",
        {"form": form, "formset": formset, "helper": opinion_formset_helper()},
    )


@access.require_action("visits.record")
@require_GET
def opinion_form(request: HttpRequest) -> HttpResponse:
    """One more opinion row (htmx), with the formset's form count bumped out of band."""
    try:
        index = max(0, min(int(request.GET.get("index", "1")), 29))
    except ValueError:
        index = 1
    categories = OpinionCategory.objects.for_town(access.home_town(request.user)).active()
    formset = OpinionFormSet(prefix="opinions", form_kwargs={"categories": categories})
    # The row as the formset would build its extra form `index`, through public API only: its prefix,
    # empty rows permitted, no `required` attributes (an empty extra row must not block the submit).
    row = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
        **formset.get_form_kwargs(index),
    )
    return render(
        request,
        "visits/partials/opinion_row.html",
        {"row": row, "next_index": index + 1, "helper": opinion_formset_helper()},
    )


@access.require_action("visits.record")
@require_GET
def household_search(request: HttpRequest) -> HttpResponse:
    """Households to choose from (htmx): by name, address or pinyin initials, in the chosen village."""
    query = params.text(request, "q", max_length=30)
    # scope() keeps the model's own queryset class.
    households = cast(HouseholdQuerySet, access.scope(request.user, Household)).resident().select_related("village")
    village_id = params.chosen_id(request, "village")
    if village_id is not None:
        households = households.filter(village_id=village_id)
    results = list(households.search(query).in_pinyin_order()[:SEARCH_LIMIT]) if query else []
    return render(request, "visits/partials/household_options.html", {"results": results, "query": query})
