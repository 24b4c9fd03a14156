"""Form widgets that render in Python what Django renders with one template per option."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class DateInput(forms.DateInput):
    """A browser date picker: it takes ISO dates only, whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A <select> whose options are joined in Python.

    Django's Select renders every option through a template include; a filter bar with a town's 60
    deputies and 18 villages spent more time there than the ledger spent in the database. Choices in
    groups fall back to Django's rendering.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        choices = [choice for choice in self.choices]  # noqa: C416 (list() would ask the queryset to count first)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if self.allow_multiple_selected:
            final["multiple"] = True
        options = format_html_join(
            "\n",
            '  <option value="{}"{}>{}</option>',
            (
                (key, " selected" if key in selected else "", label)
                for key, label in ((str("" if v is None else v), label) for v, label in choices)
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final), options)
