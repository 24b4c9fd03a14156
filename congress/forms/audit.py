"""The audit-trail search form (审计记录查询)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import AuditAction, AuditResult
from congress.params import FIRST_YEAR, LAST_YEAR


class AuditSearchForm(forms.Form):
    """Filters of the audit page: a date range, a user name, an action and a result; all optional."""

    date_from = forms.DateField(label=_("start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("end date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=_("user name"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("action"), required=False, choices=[("", _("any")), *AuditAction.choices])
    result = forms.ChoiceField(label=_("result"), required=False, choices=[("", _("any")), *AuditResult.choices])

    def _date_kept(self, name: str) -> dt.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )
        return day

    def clean_date_from(self) -> dt.date | None:
        return self._date_kept("date_from")

    def clean_date_to(self) -> dt.date | None:
        return self._date_kept("date_to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
