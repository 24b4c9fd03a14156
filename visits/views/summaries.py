"""Opinion summaries (意见建议汇总): triage new opinions into summary items and settle them, with reasons."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from congress import access, params
from congress.form_errors import call_with_messages, flash_errors
from congress.models import Department, Deputy, User
from visits.models import Opinion, OpinionCategory, SummaryItem, TriageStep
from visits.services import SETTLED, merge_opinions, settle_opinions, settle_summary_item

PAGE_SIZE = 50


class ChosenOpinionsForm(forms.Form):
    """The opinions ticked in the triage list: both actions share the checkboxes, so they have no prefix."""

    opinions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Opinions"), queryset=Opinion.objects.none(), required=False
    )  # none ticked: the action says what to choose

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["opinions"]).queryset = access.scope(user, Opinion)


def chosen_opinions(request: HttpRequest) -> list[Opinion]:
    """The ticked opinions of the user's scope; anything else is refused with the field's message."""
    form = ChosenOpinionsForm(request.POST, user=access.account(request))
    if not form.is_valid():
        raise ValidationError(list(form.errors["opinions"]))
    return list(form.cleaned_data["opinions"])


class MergeForm(forms.Form):
    prefix = "merge"
    item = forms.ModelChoiceField(
        label=gettext_lazy("Into the summary item"), queryset=SummaryItem.objects.none(), required=False
    )
    title = forms.CharField(label=gettext_lazy("Or a new summary item titled"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=OpinionCategory.objects.none(), required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = access.home_town(user)
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = SummaryItem.objects.filter(
            town=town, status=SummaryItem.Status.OPEN
        )
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = OpinionCategory.objects.for_town(town)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns the cleaned data
        if not data.get("item") and not data.get("title"):
            self.add_error("title", _("Choose a summary item or give a new one a title."))
        return data


class SettleOpinionsForm(forms.Form):
    prefix = "settle"
    status = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            (Opinion.Status.ANSWERED, Opinion.Status.ANSWERED.label),
            (Opinion.Status.CLOSED, Opinion.Status.CLOSED.label),
        ],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SettleItemForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=[(s.value, s.label) for s in SETTLED])
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=Department.objects.none(), required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = access.scope(user, Department).filter(
            is_active=True
        )


@access.require_action("visits.triage_opinions")
@require_GET
def opinion_triage(request: HttpRequest) -> HttpResponse:
    """Opinions waiting for triage (or in another state), to merge into items or settle directly."""
    status = request.GET.get("status", Opinion.Status.NEW)
    opinions = (
        access.scope(request.user, Opinion)
        .select_related("category", "visit__village", "visit__household", "summary_item")
        .prefetch_related(Prefetch("visit__deputies", queryset=Deputy.objects.only("pk", "name")))
    )
    if status in Opinion.Status.values:
        opinions = opinions.filter(status=status)
    category = request.GET.get("category", "")
    category_id = params.number(category)
    if category_id is not None:
        opinions = opinions.filter(category_id=category_id)
    opinions = opinions.order_by("-visit__visited_on", "-pk")
    page = Paginator(opinions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "visits/opinion_triage.html",
        {
            "page": page,
            "query": query.urlencode(),
            "status": status,
            "statuses": Opinion.Status.choices,
            "category": category,
            "categories": OpinionCategory.objects.for_town(access.home_town(request.user)),
            "merge_form": MergeForm(user=access.account(request)),
            "settle_form": SettleOpinionsForm(),
        },
    )


@access.require_action("visits.triage_opinions")
@require_POST
def opinion_merge(request: HttpRequest) -> HttpResponse:
    user = access.account(request)
    form = MergeForm(request.POST, user=user)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("visits:opinion_triage")
    data = form.cleaned_data
    done = call_with_messages(
        request,
        lambda: merge_opinions(
            by=user,
            opinions=chosen_opinions(request),
            reason=data["reason"],
            item=data["item"],
            title=data["title"],
            category=data["category"],
        ),
        _("The opinions were merged."),
    )
    return redirect(done.value) if done else redirect("visits:opinion_triage")


@access.require_action("visits.triage_opinions")
@require_POST
def opinion_settle(request: HttpRequest) -> HttpResponse:
    form = SettleOpinionsForm(request.POST)
    if form.is_valid():
        call_with_messages(
            request,
            lambda: settle_opinions(
                by=access.account(request),
                opinions=chosen_opinions(request),
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            ),
            _("The opinions were settled."),
        )
    else:
        flash_errors(request, form)
    return redirect("visits:opinion_triage")


@access.require_action("visits.view_summaries")
@require_GET
def summary_list(request: HttpRequest) -> HttpResponse:
    items = (
        access.scope(request.user, SummaryItem)
        .select_related("category", "department")
        .annotate(opinion_count=Count("opinions"))
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in SummaryItem.Status.values:
        items = items.filter(status=status)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "visits/summary_list.html",
        {"page": page, "query": query.urlencode(), "status": status, "statuses": SummaryItem.Status.choices},
    )


@access.require_action("visits.view_summaries")
@require_GET
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A summary item with its source opinions and their households: where a project's trace begins."""
    item = access.get_object_or_404(
        request.user, SummaryItem.objects.select_related("category", "department", "created_by"), pk=pk
    )
    opinions = item.opinions.select_related("category", "visit__village", "visit__household").order_by(
        "visit__visited_on", "pk"
    )
    steps = TriageStep.objects.filter(summary_item=item, opinion__isnull=True).select_related("by", "department")
    can_triage = access.can(request.user, "visits.triage_opinions")
    return render(
        request,
        "visits/summary_detail.html",
        {
            "item": item,
            "opinions": opinions,
            "steps": steps,
            "form": SettleItemForm(user=access.account(request))
            if can_triage and item.status == SummaryItem.Status.OPEN
            else None,
        },
    )


@access.require_action("visits.triage_opinions")
@require_POST
def summary_settle(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_object_or_404(request.user, SummaryItem, pk=pk)
    user = access.account(request)
    form = SettleItemForm(request.POST, user=user)
    if form.is_valid():
        call_with_messages(
            request,
            lambda: settle_summary_item(
                by=user,
                item=item,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                department=form.cleaned_data["department"],
            ),
            _("The summary item was updated."),
        )
    else:
        flash_errors(request, form)
    return redirect(item)
