"""Pairing assistance (结对帮扶) and mediation cases (矛盾调解)."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from congress import access
from congress.concurrency import add_version_field
from congress.form_errors import call_with_form
from congress.models import Deputy, DeputyQuerySet, User, Village
from visits.models import Household, HouseholdQuerySet, MediationCase, Pairing, PairingQuerySet
from visits.services import end_pairing, pair_deputy, record_mediation

PAGE_SIZE = 50
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", gettext_lazy("Save")))
    return helper


class PairingForm(forms.Form):
    deputy = forms.ModelChoiceField(label=gettext_lazy("Deputy"), queryset=Deputy.objects.none())
    household = forms.ModelChoiceField(label=gettext_lazy("Household"), queryset=Household.objects.none())
    started_on = forms.DateField(label=gettext_lazy("Paired from"), widget=DATE)
    expected_every_days = forms.IntegerField(
        label=gettext_lazy("Visit every (days)"),
        min_value=1,
        max_value=366,
        required=False,
        help_text=gettext_lazy("Leave empty for the plan's default."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # scope() keeps the model's own queryset class.
        cast(forms.ModelChoiceField, self.fields["deputy"]).queryset = cast(
            DeputyQuerySet, access.scope(user, Deputy)
        ).serving_on(today)
        cast(forms.ModelChoiceField, self.fields["household"]).queryset = (
            cast(HouseholdQuerySet, access.scope(user, Household))
            .resident()
            .filter(Q(lives_alone_elderly=True) | Q(limited_mobility=True))
            .select_related("village")
            .in_pinyin_order()
        )
        self.initial.setdefault("started_on", today)
        self.helper = _helper()


@access.require_action("visits.view_pairings")
@require_GET
def pair_list(request: HttpRequest) -> HttpResponse:
    """The pairs in the user's scope with their last visit and next due date; `?overdue=1` for the late ones."""
    today = timezone.localdate()
    # scope() keeps the model's own queryset class.
    pairs = cast(PairingQuerySet, access.scope(request.user, Pairing)).active_on(today).with_last_visit()
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        pairs = pairs.filter(next_visit_due__lt=today)
    pairs = pairs.select_related("deputy", "household__village").order_by("next_visit_due", "pk")
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "visits/pair_list.html",
        {
            "page": page,
            "today": today,
            "overdue": overdue,
            "query": query.urlencode(),
            "can_manage": access.can(request.user, "visits.manage_pairings"),
        },
    )


@access.require_action("visits.manage_pairings")
def pair_create(request: HttpRequest) -> HttpResponse:
    user = access.account(request)
    form = PairingForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        paired = call_with_form(
            request, form, lambda: pair_deputy(by=user, **form.cleaned_data), _("The pair was added.")
        )
        if paired is not None:
            return redirect("visits:pair_list")
    return render(request, "visits/simple_form.html", {"form": form, "title": _("Pair a deputy with a household")})


@access.require_action("visits.manage_pairings")
@require_POST
def pair_end(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = access.get_object_or_404(request.user, Pairing, pk=pk, ended_on__isnull=True)
    end_pairing(by=access.account(request), pairing=pairing, ended_on=max(timezone.localdate(), pairing.started_on))
    messages.success(request, _("The pair was ended."))
    return redirect("visits:pair_list")


class MediationForm(forms.Form):
    village = forms.ModelChoiceField(label=gettext_lazy("Village"), queryset=Village.objects.none())
    occurred_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    dispute = forms.CharField(
        label=gettext_lazy("Dispute"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Describe the dispute with no more personal details than the work needs."),
    )
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=MediationCase.Outcome.choices)
    deputies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Deputies involved"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if version is not None:
            add_version_field(self, version)
        town = access.home_town(user)
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = access.scope(user, Village).filter(town=town)
        cast(forms.ModelMultipleChoiceField, self.fields["deputies"]).queryset = Deputy.objects.filter(
            town=town
        ).serving_now()
        if not self.is_bound and not self.initial:
            self.initial["occurred_on"] = timezone.localdate()
            own = access.own_deputy(user)
            if own is not None:
                self.initial["deputies"] = [own.pk]
        self.helper = _helper()


@access.require_action("visits.view_mediations")
@require_GET
def mediation_list(request: HttpRequest) -> HttpResponse:
    cases = (
        access.scope(request.user, MediationCase)
        .select_related("village")
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("pk", "name")))
        .order_by("-occurred_on", "-pk")
    )
    outcome = request.GET.get("outcome", "")
    if outcome in MediationCase.Outcome.values:
        cases = cases.filter(outcome=outcome)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "visits/mediation_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "outcome": outcome,
            "outcomes": MediationCase.Outcome.choices,
            "can_record": access.can(request.user, "visits.record_mediation"),
        },
    )


@access.require_action("visits.record_mediation")
def mediation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    case = access.get_object_or_404(request.user, MediationCase, pk=pk) if pk else None
    initial = (
        {
            "village": case.village_id,
            "occurred_on": case.occurred_on,
            "dispute": case.dispute,
            "outcome": case.outcome,
            "deputies": list(case.deputies.values_list("pk", flat=True)),
        }
        if case
        else None
    )
    user = access.account(request)
    form = MediationForm(request.POST or None, initial=initial, user=user, version=case.version if case else None)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            request,
            form,
            lambda: record_mediation(by=user, case=case, **form.cleaned_data),
            _("The mediation case was saved."),
        )
        if saved is not None:
            return redirect("visits:mediation_list")
    return render(request, "visits/simple_form.html", {"form": form, "title": _("Mediation case")})
