"""Forms of the visits app: they check the shape of input; the rules live in visits.services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress import access
from congress.models import Deputy, User, Village, VisitMethod
from congress.models.fields import SHORT_TEXT
from visits.models import Household, Opinion, OpinionCategory
from visits.pinyin import initials


class HouseholdPicker(forms.RadioSelect):
    """Offers only the chosen household: the register is thousands long, the htmx search finds the rest."""

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        chosen = {str(v) for v in value if v}
        if not chosen:
            return []
        groups = []
        for index, (option_value, label) in enumerate(self.choices):
            if str(option_value) in chosen:
                # A model field's choices are flat (value, label) pairs, never named groups: the label is text.
                option = self.create_option(name, option_value, cast(str, label), True, index, attrs=attrs)
                groups.append((None, [option], index))
        return groups


@dataclass(frozen=True)
class DeputyChoice:
    """One deputy's checkbox on the visit form, with what the picker needs to place and filter it."""

    widget: Any  # the BoundWidget: .tag(), .choice_label, .data["selected"]
    villages: str  # ids of the villages of the deputy's constituency, space separated
    initials: str  # pinyin initials of the name, for the filter box


@dataclass(frozen=True)
class DeputyPicker:
    """The deputies shown at once (ticked, or elected in the chosen village) and the rest, behind a filter."""

    near: list[DeputyChoice]
    others: list[DeputyChoice]


class VisitForm(forms.Form):
    """The phone-first visit form: who went, where, when, how, and notes. Opinions come in a formset."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies who took part"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input me-2"}),
        help_text=_("Leave empty for a visit by cadres alone."),
    )
    visited_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices, initial=VisitMethod.HOUSEHOLD)
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none())
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=Household.objects.none(), required=False, widget=HouseholdPicker
    )
    voter_name = forms.CharField(
        label=_("Voter not in the register"),
        max_length=30,
        required=False,
        help_text=_("Only at a liaison station reception: the voter's name."),
    )
    notes = forms.CharField(
        max_length=SHORT_TEXT, label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = access.home_town(user)
        today = timezone.localdate()
        cast(forms.ModelMultipleChoiceField, self.fields["deputies"]).queryset = (
            Deputy.objects.filter(town=town).serving_on(today).prefetch_related("constituency__villages")
        )
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = access.scope(user, Village).filter(town=town)
        cast(forms.ModelChoiceField, self.fields["household"]).queryset = access.scope(user, Household).select_related(
            "village"
        )
        self.fields["visited_on"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("visited_on", today)
            own = access.own_deputy(user)
            if own is not None:
                self.initial.setdefault("deputies", [own.pk])
            if user.village_id:
                self.initial.setdefault("village", user.village_id)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "idempotency_key",
            "visited_on",
            "method",
            "village",
            HTML('{% include "visits/partials/deputy_picker.html" %}'),
            HTML('{% include "visits/partials/household_picker.html" %}'),
            "voter_name",
            "notes",
        )

    def deputy_picker(self) -> DeputyPicker:
        """The deputies' checkboxes split for a phone: a town has sixty deputies, the visit is usually made
        by the two or three elected in the village; static/js/deputy-picker.js regroups on a village change."""
        village = str(self["village"].value() or "")
        choices = cast("forms.ModelMultipleChoiceField[Deputy]", self.fields["deputies"]).queryset
        assert choices is not None  # declared on the field and narrowed in __init__
        deputies = {deputy.pk: deputy for deputy in choices}
        picker = DeputyPicker(near=[], others=[])
        for checkbox in self["deputies"]:
            deputy = deputies[int(str(checkbox.data["value"]))]
            villages = [str(v.pk) for v in deputy.constituency.villages.all()]
            choice = DeputyChoice(widget=checkbox, villages=" ".join(villages), initials=initials(deputy.name))
            near = bool(checkbox.data["selected"]) or village in villages
            (picker.near if near else picker.others).append(choice)
        return picker


class OpinionForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=OpinionCategory.objects.none())
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Opinion.Urgency.choices, initial=Opinion.Urgency.NORMAL)

    def __init__(self, *args: Any, categories: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if categories is not None:
            cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories


class BaseOpinionFormSet(forms.BaseFormSet):
    """Opinions inline on the visit form; rows left empty are ignored."""


OpinionFormSet = formset_factory(OpinionForm, formset=BaseOpinionFormSet, extra=1, max_num=30, validate_max=True)


def opinion_formset_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper
