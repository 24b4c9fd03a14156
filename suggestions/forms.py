"""Forms of the suggestion pages: they check the shape of input; the rules live in suggestions.services."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.concurrency import add_version_field
from congress.models import Department, Deputy, Town
from congress.models.fields import SHORT_TEXT, TEXT
from suggestions.models import Suggestion, SuggestionCategory


def _helper(action: str = "", submit_label: Any = None, *, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_action = action
    helper.form_tag = form_tag
    if submit_label:
        helper.add_input(Submit("go", submit_label))
    return helper


class DateInput(forms.DateInput):
    """A browser date picker: it takes ISO dates only, whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked as a FileField would, and again by store_upload."""

    def __init__(self, *args: Any, max_files: int = 10, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Attach at most %(n)s files at a time.") % {"n": self.max_files}, code="too_many"
            )
        limit = settings.UPLOAD_MAX_BYTES
        for f in files:
            if f.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(mb)s MB.") % {"name": f.name, "mb": limit // (1024 * 1024)},
                    code="too_large",
                )
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SuggestionForm(forms.Form):
    """The deputy's web form; staff also choose the deputy (without a login) they write for."""

    proposer = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=SuggestionCategory.choices)
    content = forms.CharField(
        max_length=TEXT, label=_("Content"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    reasons = forms.CharField(
        max_length=TEXT, label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    proposed_solution = forms.CharField(
        max_length=TEXT, label=_("Proposed solution"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    joint_proposers = forms.ModelMultipleChoiceField(
        label=_("Joint proposers"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Deputies of the town who put their names to it (联名)"),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    # A new suggestion's key: a second submit of the same form finds the draft the first one stored.
    form_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, town: Town, for_staff: bool, similar_url: str, version: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "Photos (JPEG, PNG, WebP), PDF, Word (.docx) or Excel (.xlsx), each up to %(mb)s MB"
        ) % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        if version is not None:
            add_version_field(self, version)
        serving = Deputy.objects.filter(town=town).serving_now().select_related("constituency")
        cast(forms.ModelMultipleChoiceField, self.fields["joint_proposers"]).queryset = serving
        if for_staff:
            cast(forms.ModelChoiceField, self.fields["proposer"]).queryset = serving.filter(user__isnull=True)
            self.fields["proposer"].required = True
            self.fields["proposer"].help_text = _("Staff write only for deputies without a login.")
        else:
            del self.fields["proposer"]
        self.fields["title"].widget.attrs.update(
            {
                "hx-get": similar_url,
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#similar-suggestions",
                "hx-swap": "innerHTML",
                "autocomplete": "off",
            }
        )
        self.helper = _helper(form_tag=False)


class StepForm(forms.Form):
    """The form of one step of a suggestion's handling on its page: posted to the step's own URL through
    the crispy helper that `with_helper` gives it."""

    helper: FormHelper


class ReasonForm(StepForm):
    reason = forms.CharField(max_length=SHORT_TEXT, label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EmptyForm(StepForm):
    """A step that asks nothing but the click (accept, submit)."""


class AssignForm(StepForm):
    lead_department = forms.ModelChoiceField(label=_("Lead department"), queryset=Department.objects.none())
    co_departments = forms.ModelMultipleChoiceField(
        label=_("Co-departments"), queryset=Department.objects.none(), required=False
    )
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args: Any, suggestion: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(town_id=suggestion.town_id, is_active=True)
        cast(forms.ModelChoiceField, self.fields["lead_department"]).queryset = departments
        cast(forms.ModelMultipleChoiceField, self.fields["co_departments"]).queryset = departments


class ExtendForm(StepForm):
    due_on = forms.DateField(label=_("New due date"), widget=DateInput)
    reason = forms.CharField(
        max_length=SHORT_TEXT, label=_("Reason the deputy is told"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(StepForm):
    text = forms.CharField(max_length=TEXT, label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))
    result_class = forms.ChoiceField(label=_("Result class"), choices=Suggestion.ResultClass.choices)
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput, initial=timezone.localdate)


class RateForm(StepForm):
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=[c for c in Suggestion.Rating.choices if c[0] != Suggestion.Rating.UNRATED],
        widget=forms.RadioSelect,
    )


class SolveForm(StepForm):
    solved_on = forms.DateField(label=_("Solved on"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(max_length=SHORT_TEXT, label=_("Note"), required=False)


class SuperviseForm(StepForm):
    notes = forms.CharField(
        max_length=SHORT_TEXT, label=_("Supervision notes"), widget=forms.Textarea(attrs={"rows": 3})
    )


def with_helper(form: StepForm, action: str, label: Any) -> StepForm:
    form.helper = _helper(action, label)
    return form
