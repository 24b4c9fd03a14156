"""The annual plan (年度工作计划): read by staff, chairman and district; written by staff."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from congress import access, params
from congress.access import require_action
from congress.forms.reference import AnnualPlanForm
from congress.models import AnnualPlan
from congress.services import reference as services_reference

SHOWN_FIELDS = [f for f in AnnualPlanForm.Meta.fields if f != "points_table"]


def _shown(value: object) -> object:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else value


@require_action("congress.view_plan")
@require_safe
def plan_detail(request: HttpRequest) -> HttpResponse:
    """Every town the user reads, side by side (one column for a town's own users)."""
    year = params.year(request)
    plans = [AnnualPlan.objects.for_town_year(town, year) for town in access.towns(request.user)]
    rows = [
        (AnnualPlanForm.base_fields[name].label, [_shown(getattr(plan, name)) for plan in plans])
        for name in SHOWN_FIELDS
    ]
    return render(
        request,
        "congress/reference/plan_detail.html",
        {
            "year": year,
            "plans": plans,
            "rows": rows,
            "may_edit": access.can(request.user, "congress.manage_reference")
            and access.account(request).town_id is not None,
        },
    )


@require_action("congress.manage_reference")
def plan_edit(request: HttpRequest) -> HttpResponse:
    year = params.year(request)
    plan = AnnualPlan.objects.for_town_year(access.home_town(request.user), year)
    form = AnnualPlanForm(request.POST if request.method == "POST" else None, instance=plan)
    if form.is_bound and form.is_valid():
        services_reference.save_annual_plan(by=access.account(request), plan=form.instance)
        messages.success(request, _("The plan for %(year)s is saved.") % {"year": year})
        return redirect(f"{reverse('congress:plan')}?year={year}")
    return render(request, "congress/reference/plan_edit.html", {"form": form, "year": year})
