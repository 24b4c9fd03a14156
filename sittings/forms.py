"""Forms of the session pages."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from congress.concurrency import add_version_field
from congress.models import Deputy
from congress.widgets import DateInput
from sittings.models import AgendaItem, Attendance, BudgetLine, Session


def _helper(label: Any, *, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    if label:
        helper.add_input(Submit("go", label))
    return helper


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Schedule"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The session cannot end before it starts."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "reporter", "document", "deliberation_opinions", "resolution"]
        widgets = {
            "document": forms.Textarea(attrs={"rows": 6}),
            "deliberation_opinions": forms.Textarea(attrs={"rows": 4}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The item's version, which its budget figures share: they are saved as one edit.
        add_version_field(self, self.instance.version)
        self.helper = _helper(None, form_tag=False)


class NewAgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "reporter"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add"))


BudgetLineFormSet = inlineformset_factory(
    AgendaItem,
    BudgetLine,
    fields=["side", "category", "is_total", "last_year", "this_year", "executed_to_date"],
    extra=3,
    can_delete=True,
)


class AttendanceForm(forms.Form):
    """One choice per deputy in office on the session's first day."""

    def __init__(
        self, *args: Any, deputies: list[Deputy], current: dict[int, str], version: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The session's version: a save of the attendance by someone else meanwhile is a conflict.
        add_version_field(self, version)
        self.deputies = deputies
        for deputy in deputies:
            self.fields[f"deputy_{deputy.pk}"] = forms.ChoiceField(
                label=f"{deputy.name}（{deputy.constituency.name}）",
                choices=Attendance.Status.choices,
                initial=current.get(deputy.pk, Attendance.Status.PRESENT),
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
            )
        self.helper = _helper(_("Save attendance"))

    def statuses(self) -> dict[int, str]:
        return {deputy.pk: self.cleaned_data[f"deputy_{deputy.pk}"] for deputy in self.deputies}
