"""Forms of the problem-solving records (现场办公 / 集体会诊 / 专题研究): the shape of the input only."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext_lazy as _

from congress.concurrency import add_version_field
from congress.models import Department
from supervision.forms.common import DateInput, submit_helper
from supervision.models import LivelihoodProject, MeetingDecision, ProblemMeeting, ProjectProblem


class ProblemForm(forms.ModelForm):
    class Meta:
        model = ProjectProblem
        fields = ["description", "review"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, project: LivelihoodProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this project's recorded reviews: a problem is found in one of them, or outside any.
        reviews = project.reviews.recorded().select_related("round", "project")
        cast(forms.ModelChoiceField, self.fields["review"]).queryset = reviews
        self.fields["review"].required = False
        self.helper = submit_helper(_("Save"))


class MeetingForm(forms.ModelForm):
    """The meeting itself; its decisions come in a formset beside it (prefix "decisions")."""

    class Meta:
        model = ProblemMeeting
        fields = ["kind", "held_on", "place", "participants", "notes"]
        widgets = {
            "held_on": DateInput,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The meeting's version, which its decisions share: they are corrected as one edit.
            add_version_field(self, self.instance.version)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DecisionForm(forms.ModelForm):
    class Meta:
        model = MeetingDecision
        fields = ["text", "owner_name", "owner_department", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput}

    def __init__(self, *args: Any, town_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(town_id=town_id, is_active=True)
        cast(forms.ModelChoiceField, self.fields["owner_department"]).queryset = departments


def _deleted(form: forms.BaseForm) -> bool:
    """The decision's "delete" box is ticked (what the formset itself reads to leave a form out)."""
    return bool(form.cleaned_data.get(DELETION_FIELD_NAME, False))


class BaseDecisionFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        kept = 0
        for form in self.forms:
            if _deleted(form):
                if form.instance.pk and form.instance.done_on is not None:
                    form.add_error(None, _("A decision that is done stays on the record."))
            elif form.instance.pk or form.has_changed():
                kept += 1
        if kept == 0:
            raise forms.ValidationError(_("A meeting records at least one decision."))

    def decisions(self) -> list[dict[str, Any]]:
        """The decisions to keep, as the services take them: existing ones carry their `pk`."""
        kept = []
        for form in self.forms:
            if _deleted(form) or not (form.instance.pk or form.has_changed()):
                continue
            data = {name: form.cleaned_data.get(name) for name in DecisionForm.Meta.fields}
            if form.instance.pk:
                data["pk"] = form.instance.pk
            kept.append(data)
        return kept


# The factory builds a subclass of `formset`; django-stubs types the result as the plain BaseModelFormSet.
DecisionFormSet = cast(
    type[BaseDecisionFormSet],
    forms.modelformset_factory(
        MeetingDecision,
        form=DecisionForm,
        formset=BaseDecisionFormSet,
        extra=2,
        can_delete=True,
    ),
)


class DecisionDoneForm(forms.Form):
    done_on = forms.DateField(label=_("done on"), widget=DateInput)
