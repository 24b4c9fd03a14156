"""Forms of whole-process supervision: they check the shape of the input; services.keyworks checks the rules."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Department, Deputy, Town
from congress.models.fields import SHORT_TEXT, TEXT
from supervision.forms.common import DateInput, submit_helper
from supervision.models import (
    DepartmentEvaluation,
    KeyProject,
    KeyProjectAssignment,
    LawInspection,
    LawInspectionActivity,
    LookBack,
    Rectification,
    Stage,
    StageInspection,
)


def _helper(label: Any) -> FormHelper:
    """The templates write the <form> tag themselves: several of these forms sit on one detail page."""
    return submit_helper(label, form_tag=False)


class DeputyChoice(forms.ModelMultipleChoiceField):
    """Deputies labelled with their expertise, so staff can pick the right people."""

    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.expertise}）" if obj.expertise else obj.name


class OneDeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.expertise}）" if obj.expertise else obj.name


def _deputies(town: Town) -> Any:
    return Deputy.objects.filter(town=town).serving_now().order_by("name")


def _departments(town: Town) -> Any:
    return Department.objects.filter(town=town, is_active=True)


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class KeyProjectForm(forms.ModelForm):
    year = _year_field()

    class Meta:
        model = KeyProject
        fields = ["year", "name", "description", "lead_department"]

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.town = town
        cast(forms.ModelChoiceField, self.fields["lead_department"]).queryset = _departments(town)
        self.helper = _helper(_("Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, name = data.get("year"), data.get("name")
        # A missing year or name has its own field error already; no row could match it.
        if year is not None and name and KeyProject.objects.filter(town=self.town, year=year, name=name).exists():
            self.add_error("name", _("The year already has a key project of this name."))
        return data


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "planned_start", "planned_end"]
        widgets = {"planned_start": DateInput, "planned_end": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the stage"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The stage ends before it starts."))
        return data


class AssignmentForm(forms.ModelForm):
    deputy = OneDeputyChoice(queryset=Deputy.objects.none(), label=_("deputy"))

    class Meta:
        model = KeyProjectAssignment
        fields = ["deputy", "tier"]

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["deputy"]).queryset = _deputies(town)
        self.helper = _helper(_("Assign"))

    def validate_unique(self) -> None:
        """A second assignment of the same deputy changes the tier (see services.keyworks.assign_deputy)."""


class InspectionForm(forms.ModelForm):
    deputies = DeputyChoice(
        queryset=Deputy.objects.none(), label=_("deputies present"), widget=forms.CheckboxSelectMultiple
    )
    suggestions = forms.CharField(
        max_length=TEXT,
        label=_("suggestions made"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One suggestion per line."),
    )
    photo = forms.FileField(label=_("photo"), required=False)

    class Meta:
        model = StageInspection
        fields = ["inspected_on", "deputies", "notes", "reported_by", "report_summary"]
        widgets = {"inspected_on": DateInput, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["deputies"]).queryset = _deputies(town)
        self.helper = _helper(_("Save the inspection"))

    def suggestion_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("suggestions", "").splitlines() if line.strip()]


class RectificationForm(forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["description", "owner_department", "owner_name", "due_on"]
        widgets = {"due_on": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner_department"]).queryset = _departments(town)
        self.helper = _helper(_("Save the item"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("owner_department") and not (data.get("owner_name") or "").strip():
            self.add_error("owner_department", _("Name the responsible department or person."))
        return data


class AnswerForm(forms.Form):
    response = forms.CharField(
        max_length=SHORT_TEXT, label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the answer"))


class LookBackForm(forms.ModelForm):
    deputies = DeputyChoice(
        queryset=Deputy.objects.none(), label=_("deputies present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    photo = forms.FileField(label=_("photo"), required=False)

    class Meta:
        model = LookBack
        fields = ["checked_on", "deputies", "evidence", "verdict", "new_due_on"]
        widgets = {"checked_on": DateInput, "new_due_on": DateInput, "evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["deputies"]).queryset = _deputies(town)
        self.helper = _helper(_("Save the look-back"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        verdict = data.get("verdict")
        if verdict == LookBack.Verdict.DONE:
            data["new_due_on"] = None
        elif verdict and data.get("new_due_on") is None:
            # The service's own message (services.keyworks.record_look_back), on the field: an error there also
            # keeps the model's CHECK on the new due date from adding its generic form-wide one.
            self.add_error("new_due_on", _("Give the new due date for what is still to be put right."))
        return data


class EvaluationForm(forms.ModelForm):
    year = _year_field()

    class Meta:
        model = DepartmentEvaluation
        fields = ["year", "department"]

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.town = town
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = _departments(town)
        self.helper = _helper(_("Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, department = data.get("year"), data.get("department")
        # A missing year or department has its own field error already; no row could match it.
        if (
            year is not None
            and department is not None
            and DepartmentEvaluation.objects.filter(town=self.town, year=year, department=department).exists()
        ):
            self.add_error("department", _("The department is already evaluated this year."))
        return data


class EvaluationStepsForm(forms.ModelForm):
    class Meta:
        model = DepartmentEvaluation
        fields = ["survey_on", "survey_notes", "meeting_on", "meeting_notes"]
        widgets = {"survey_on": DateInput, "meeting_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        survey_on, meeting_on = data.get("survey_on"), data.get("meeting_on")
        if survey_on and meeting_on and meeting_on < survey_on:
            self.add_error("meeting_on", _("The meeting comes before the investigation."))
        return data


class VoteForm(forms.Form):
    satisfied = forms.IntegerField(label=_("satisfied"), min_value=0, max_value=10000)
    basically = forms.IntegerField(label=_("basically satisfied"), min_value=0, max_value=10000)
    unsatisfied = forms.IntegerField(label=_("unsatisfied"), min_value=0, max_value=10000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the vote"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(isinstance(data.get(k), int) for k in self.fields) and sum(data[k] for k in self.fields) == 0:
            self.add_error("satisfied", _("No votes were cast."))
        return data


class LawInspectionForm(forms.ModelForm):
    year = _year_field()

    class Meta:
        model = LawInspection
        fields = ["year", "law"]

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.town = town
        self.helper = _helper(_("Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, law = data.get("year"), data.get("law")
        # A missing year or law has its own field error already; no row could match it.
        if year is not None and law and LawInspection.objects.filter(town=self.town, year=year, law=law).exists():
            self.add_error("law", _("This law is already inspected this year."))
        return data


class LawActivityForm(forms.ModelForm):
    deputies = DeputyChoice(
        queryset=Deputy.objects.none(), label=_("deputies present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = LawInspectionActivity
        fields = ["held_on", "description", "deputies"]
        widgets = {"held_on": DateInput, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["deputies"]).queryset = _deputies(town)
        self.helper = _helper(_("Add the activity"))


class FindingsForm(forms.ModelForm):
    class Meta:
        model = LawInspection
        fields = ["findings", "reported_on"]
        widgets = {"reported_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].required = True
        self.fields["reported_on"].required = True
        self.helper = _helper(_("Save the report"))
