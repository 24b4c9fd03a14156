"""Forms of livelihood projects: the project, its monthly targets, moving the deadline, reporting
progress and a supervisor's note. They check the shape of the input; the services check the rules.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from congress.concurrency import add_version_field
from congress.models import Department, Deputy, Town
from congress.models.fields import SHORT_TEXT
from supervision.forms.common import DateInput, submit_helper
from supervision.models import InspectionNote, LivelihoodProject, MonthlyTarget
from visits.models import OpinionCategory, SummaryItem


class ProjectForm(forms.ModelForm):
    class Meta:
        model = LivelihoodProject
        fields = [
            "year",
            "position",
            "name",
            "content",
            "rationale",
            "category",
            "investment",
            "funding_source",
            "lead_leader_name",
            "lead_leader_title",
            "lead_department",
            "cooperating_departments",
            "presidium_member",
            "supervisors",
            "start",
            "deadline",
            "deadline_text",
            "summary_items",
        ]
        widgets = {"start": DateInput, "deadline": DateInput}

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(town=town, is_active=True)
        deputies = Deputy.objects.filter(town=town).serving_now()
        cast(forms.ModelChoiceField, self.fields["lead_department"]).queryset = departments
        cast(forms.ModelChoiceField, self.fields["cooperating_departments"]).queryset = departments
        cast(forms.ModelChoiceField, self.fields["presidium_member"]).queryset = deputies
        cast(forms.ModelChoiceField, self.fields["supervisors"]).queryset = deputies
        categories = OpinionCategory.objects.filter(town=town, is_active=True)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories
        cast(forms.ModelChoiceField, self.fields["summary_items"]).queryset = SummaryItem.objects.filter(town=town)
        # The table's CHECK constraints, as field-level messages (a constraint's own message is form-wide).
        self.fields["year"].validators += [MinValueValidator(2000), MaxValueValidator(2100)]
        self.fields["investment"].validators.append(MinValueValidator(0))
        if self.instance.pk and self.instance.targets.exists():
            # Moving the deadline respreads the targets: that has its own page with a preview.
            self.fields["deadline"].disabled = True
            self.fields["start"].disabled = True
        if self.instance.pk:
            add_version_field(self, self.instance.version)
        self.helper = submit_helper(_("Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("deadline") and data["deadline"] < data["start"]:
            self.add_error("deadline", _("The deadline comes before the start."))
        return data


class TransitionForm(forms.Form):
    """A status button of the project page: the status to move to, and the reason when it is termination."""

    to = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (status.value, status.label)
            for status in LivelihoodProject.Status
            if status != LivelihoodProject.Status.CANDIDATE
        ],
        error_messages={"invalid_choice": _("Unknown status.")},
    )
    reason = forms.CharField(label=_("reason for termination"), required=False, max_length=SHORT_TEXT)


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("new deadline"), widget=DateInput)
    deadline_text = forms.CharField(label=_("deadline as written"), max_length=30, required=False)


class TargetForm(forms.ModelForm):
    class Meta:
        model = MonthlyTarget
        fields = ["month", "target", "planned_percent"]
        widgets = {"month": forms.HiddenInput}

    planned_percent = forms.IntegerField(label=_("planned cumulative %"), min_value=0, max_value=100)

    def clean_month(self) -> Any:
        month = self.cleaned_data["month"]
        if month.day != 1:  # the month is a hidden field: only a tampered form gets here
            raise forms.ValidationError(_("A month is given by its first day."))
        return month


TargetFormSet = forms.formset_factory(TargetForm, extra=0)


class TargetsVersionForm(forms.Form):
    """The version of the monthly targets the page was drawn from: its rows are saved as one set."""

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_version_field(self, version)


class ProgressForm(forms.ModelForm):
    class Meta:
        model = MonthlyTarget
        fields = ["reported_percent", "progress_notes", "completed_on"]
        widgets = {"completed_on": DateInput, "progress_notes": forms.Textarea(attrs={"rows": 3})}

    reported_percent = forms.IntegerField(label=_("reported cumulative %"), min_value=0, max_value=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_version_field(self, self.instance.version)
        self.helper = submit_helper(_("Report progress"))


class InspectionNoteForm(forms.ModelForm):
    class Meta:
        model = InspectionNote
        fields = ["inspected_on", "notes", "photo"]
        widgets = {"inspected_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Add the note"))
