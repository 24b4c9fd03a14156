"""The phone box of an edit form: the stored number shown masked, in full only on an audited request.

An edit form draws the stored number masked (congress.privacy.mask_phone), like every page. Posting
the mask back unchanged keeps the stored number; anything else typed there is a new number, checked
like any other. Someone who may see the number in full follows the box's "show" link, which opens the
form again with the number in full and records the reveal in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _

from congress.privacy import mask_phone

SHOW = "phone"  # the value of ?show= that asks for the number in full


class KeptPhoneField(forms.CharField):
    """A phone box drawn masked: the mask posted back stands for the stored number."""

    def __init__(self, *, stored: str, **kwargs: Any) -> None:
        self.stored = stored
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        if self.stored and isinstance(value, str) and value.strip() == mask_phone(self.stored):
            return self.stored
        return super().clean(value)


def mask_phone_box(form: forms.ModelForm, *, shown: bool, show_url: str | None, name: str = "phone") -> None:
    """Draw the record's stored phone masked unless `shown`; `show_url` (None: the user may not see it
    in full) is offered beside the box."""
    stored = getattr(form.instance, name) if form.instance.pk else ""
    if not stored:
        return
    field = form.fields[name]
    assert isinstance(field, forms.CharField)
    kept = KeptPhoneField(
        stored=stored,
        label=field.label,
        required=field.required,
        max_length=field.max_length,
        widget=field.widget,
        help_text=field.help_text,
    )
    form.fields[name] = kept
    if shown:
        form.initial[name] = stored
        return
    form.initial[name] = mask_phone(stored)
    note = _("Shown masked; leave it as it is to keep the number.")
    if show_url:
        kept.help_text = format_html('{} <a href="{}">{}</a>', note, show_url, _("Show the full number"))
    else:
        kept.help_text = note
