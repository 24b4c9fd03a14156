"""Forms of the review rounds (调度): opening a round, recording a review and attaching its files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.concurrency import add_version_field
from supervision.forms.common import submit_helper
from supervision.models import ProjectReview


class OpenRoundForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("month"), min_value=1, max_value=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Open the round"))


class ReviewForm(forms.ModelForm):
    class Meta:
        model = ProjectReview
        fields = ["actual_percent", "quality", "problems", "measures", "next_steps"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in ("quality", "problems", "measures", "next_steps")
        }

    actual_percent = forms.IntegerField(label=_("actual cumulative %"), min_value=0, max_value=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_version_field(self, self.instance.version)
        self.helper = submit_helper(_("Record the review"))


class AttachmentForm(forms.Form):
    """A photo or document kept with a review; the service checks its size and what it really is."""

    file = forms.FileField(
        label=_("photo or file"),
        help_text=_("JPEG, PNG, PDF, DOCX or XLSX, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"}),
    )
