"""What the supervision forms share: the date picker and the crispy helper with its submit button."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker."""

    input_type = "date"


def submit_helper(label: Any, *, form_tag: bool = True) -> FormHelper:
    """A helper with one submit button; `form_tag=False` where the template writes the <form> tag itself."""
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.add_input(Submit("submit", label))
    return helper
