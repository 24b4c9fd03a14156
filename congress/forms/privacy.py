"""The forms of a person's request about their personal data: recording it, and answering it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.forms.reference import submit_helper
from congress.models import PersonalDataRequest
from congress.widgets import DateInput

# A request is recorded when it comes in, not in advance; and not from before the portal kept such records.
OLDEST_REQUEST = dt.date(2000, 1, 1)


def _not_in_future_or_past(day: dt.date | None) -> dt.date | None:
    if day is None:
        return day
    if day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    if day < OLDEST_REQUEST:
        raise forms.ValidationError(_("Enter a date from 2000 on."))
    return day


class PersonalDataRequestForm(forms.ModelForm):
    """A request as the office receives it: who asked, for what, when, and what they asked."""

    class Meta:
        model = PersonalDataRequest
        fields = ["requester", "kind", "received_on", "request"]
        widgets = {
            "received_on": DateInput(),
            "request": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "requester": _("The person's name as they gave it; no ID number is needed here."),
            "request": _("Which records they mean and what they ask for."),
        }
        error_messages = {
            "requester": {"required": _("Say who asked.")},
            "kind": {"required": _("Choose what they ask for.")},
            "request": {"required": _("Say what they asked.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper()

    def clean_requester(self) -> str:
        requester: str = self.cleaned_data["requester"].strip()
        if not requester:
            raise forms.ValidationError(_("Say who asked."))
        return requester

    def clean_received_on(self) -> dt.date | None:
        return _not_in_future_or_past(self.cleaned_data["received_on"])


class PersonalDataAnswerForm(forms.ModelForm):
    """The office's answer: what it did or why it refused, and the day it answered."""

    class Meta:
        model = PersonalDataRequest
        fields = ["answer", "answered_on"]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 4}),
            "answered_on": DateInput(),
        }
        help_texts = {"answer": _("What was shown, corrected or deleted, or why the request was refused.")}
        error_messages = {"answer": {"required": _("Write the answer given.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.fields["answered_on"].required = True
        self.fields["answered_on"].error_messages["required"] = _("Give the day of the answer.")
        if not self.initial.get("answered_on"):
            self.initial["answered_on"] = timezone.localdate()
        self.helper = submit_helper(_("Record the answer"))

    def clean_answer(self) -> str:
        answer: str = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError(_("Write the answer given."))
        return answer

    def clean_answered_on(self) -> dt.date | None:
        day = _not_in_future_or_past(self.cleaned_data["answered_on"])
        if day is not None and day < self.instance.received_on:
            raise forms.ValidationError(_("The answer cannot come before the request."))
        return day
