"""The form of a new meeting-room display link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.forms_reference import submit_helper
from congress.models import DisplayLink


class DisplayLinkForm(forms.ModelForm):
    """Where the screen is; the town, the token and who made it come from the request."""

    class Meta:
        model = DisplayLink
        fields = ["label"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Create display link"))
