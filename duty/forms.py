"""Forms of the deputies' year: activities, reception days, receptions and the turn of the year."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from congress.forms.reference import submit_helper
from congress.models import Deputy, DisplayLink, Town, Venue
from congress.models.fields import SHORT_TEXT, TEXT
from congress.widgets import DateInput
from duty.models import Activity


def _helper(label: Any) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("go", label))
    return helper


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none(), required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating deputies"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        max_length=SHORT_TEXT, label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deputies = Deputy.objects.filter(town=town).select_related("constituency")
        cast(forms.ModelChoiceField, self.fields["venue"]).queryset = Venue.objects.filter(town=town)
        cast(forms.ModelMultipleChoiceField, self.fields["participants"]).queryset = deputies
        self.helper = _helper(_("Save"))
        self.helper.form_enctype = "multipart/form-data"


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the photo"))
        self.helper.form_enctype = "multipart/form-data"


class DutyForm(forms.Form):
    venue = forms.ModelChoiceField(label=_("Liaison station"), queryset=Venue.objects.none())
    on_date = forms.DateField(label=_("Date"), widget=DateInput)
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies on duty"), queryset=Deputy.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    # The day's version as this form saw it: empty (no duty that day) until a conflict shows the one stored,
    # so that replacing someone else's roster of the day is a deliberate second save.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = Venue.objects.filter(town=town, kind=Venue.Kind.STATION)
        cast(forms.ModelChoiceField, self.fields["venue"]).queryset = stations
        serving = Deputy.objects.filter(town=town).serving_now()
        cast(forms.ModelMultipleChoiceField, self.fields["deputies"]).queryset = serving
        self.helper = _helper(_("Save"))


class ReceptionForm(forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies who received the voter"), queryset=Deputy.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    voter_name = forms.CharField(label=_("Voter"), max_length=30, required=False)
    notes = forms.CharField(
        max_length=SHORT_TEXT, label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    opinion_category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Opinion category"), queryset=Deputy.objects.none(), required=False
    )
    opinion_text = forms.CharField(
        max_length=TEXT, label=_("Opinion heard"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, deputies: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["deputies"]).queryset = deputies
        cast(forms.ModelChoiceField, self.fields["opinion_category"]).queryset = categories
        self.helper = _helper(_("Record the reception"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opinion_text", "").strip() and not data.get("opinion_category"):
            self.add_error("opinion_category", _("Choose the category of the opinion."))
        return data


class CopyPlanForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="copy")
    from_year = forms.IntegerField(label=_("Copy the plan of"), min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label=_("To the year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Copy the plan"))


class ChangeTermForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="term")
    # Within the years the portal keeps (2000–2100): the new term starts the day after.
    last_day = forms.DateField(
        label=_("Last day of the old term"),
        widget=DateInput,
        validators=[MinValueValidator(dt.date(2000, 1, 1)), MaxValueValidator(dt.date(2100, 12, 31))],
    )
    new_term = forms.IntegerField(label=_("Number of the new term"), min_value=1, max_value=99)
    reelected = forms.ModelMultipleChoiceField(
        label=_("Deputies re-elected"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        serving = Deputy.objects.filter(town=town).serving_now()
        cast(forms.ModelMultipleChoiceField, self.fields["reelected"]).queryset = serving
        self.helper = _helper(_("Change the term"))


class DisplayLinkForm(forms.ModelForm):
    """A new meeting-room display link: where the screen is; the town, the token and who made it come
    from the request."""

    class Meta:
        model = DisplayLink
        fields = ["label"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Create display link"))
