"""Forms for a town's reference data, its annual plan and its accounts.

The town of a record never comes from the form: it is the instance's (set from the user's home town
by the view before the form sees it). Every choice of another record is narrowed to that town
through access.scope().
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, cast

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress import access
from congress.concurrency import add_version_field
from congress.forms.phones import SHOW, mask_phone_box
from congress.models import AnnualPlan, Constituency, Department, Deputy, User, Venue, Village, VisitMethod
from congress.models.core import PLAN_NUMBER_RANGES, points_table_errors
from congress.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def submit_helper(label: Any = None) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label or _("Save")))
    return helper


class TownRecordForm(forms.ModelForm):
    """A record of one town: choices narrowed to the town, names unique in it (a field-level error)."""

    unique_in_town: tuple[str, ...] = ("name",)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.town = self.instance.town
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                field.queryset = access.scope(user, field.queryset).filter(town=self.town)
        self.helper = submit_helper()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        model = type(self.instance)
        for name in self.unique_in_town:
            value = cleaned.get(name)
            if value in (None, ""):
                continue
            taken = model._default_manager.filter(town=self.town, **{name: value}).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(name, _("This is already used by another record of the town."))
        return cleaned


class VillageForm(TownRecordForm):
    class Meta:
        model = Village
        fields = ["name", "kind"]


class ConstituencyForm(TownRecordForm):
    unique_in_town = ("number", "name")

    class Meta:
        model = Constituency
        fields = ["number", "name", "villages", "seats"]
        widgets = {"villages": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            add_version_field(self, self.instance.version)

    def clean_seats(self) -> int:
        seats = self.cleaned_data["seats"]
        if not 1 <= seats <= 3:
            raise forms.ValidationError(_("A constituency elects 1 to 3 deputies."))
        return seats


class DepartmentForm(TownRecordForm):
    class Meta:
        model = Department
        fields = ["name", "is_active"]


class VenueForm(TownRecordForm):
    class Meta:
        model = Venue
        fields = ["kind", "name", "village", "address", "reception_days"]


class DeputyForm(TownRecordForm):
    unique_in_town = ()

    class Meta:
        model = Deputy
        fields = [
            "name",
            "gender",
            "birth_year",
            "phone",
            "constituency",
            "term",
            "is_first_term",
            "expertise",
            "served_from",
        ]
        widgets = {"served_from": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, user: User | AnonymousUser, show_phone: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        may_see = self.instance.pk is not None and access.may_reveal_deputy_phone(user, self.instance)
        show_url = f"{reverse('congress:deputy_edit', args=[self.instance.pk])}?show={SHOW}" if may_see else None
        mask_phone_box(self, shown=show_phone and may_see, show_url=show_url)

    def clean_birth_year(self) -> int:
        year = self.cleaned_data["birth_year"]
        if not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Enter a real year of birth."))
        return year

    def clean_served_from(self) -> Any:
        served_from = self.cleaned_data["served_from"]
        if self.instance.served_until and served_from > self.instance.served_until:
            raise forms.ValidationError(_("The deputy left office before this day."))
        return served_from


class LeaveOfficeForm(forms.Form):
    served_until = forms.DateField(
        label=_("last day in office"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    def __init__(self, *args: Any, deputy: Deputy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deputy = deputy
        self.helper = submit_helper(_("Record leaving office"))

    def clean_served_until(self) -> Any:
        day = self.cleaned_data["served_until"]
        if self.deputy.served_until is not None:
            raise forms.ValidationError(_("This deputy has already left office."))
        if day < self.deputy.served_from:
            raise forms.ValidationError(_("The deputy took office after this day."))
        return day


class DeputyFilter(django_filters.FilterSet):
    """Search the deputies by name; narrow by constituency and by serving or left."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("name"))
    constituency = django_filters.ModelChoiceFilter(
        queryset=lambda request: access.scope(request.user, Constituency), label=_("constituency")
    )
    status = django_filters.ChoiceFilter(
        choices=[("serving", _("serving")), ("left", _("left office"))],
        method="filter_status",
        label=_("status"),
    )

    class Meta:
        model = Deputy
        fields = ["q", "constituency", "status"]

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        serving = Q(served_from__lte=today) & (Q(served_until__isnull=True) | Q(served_until__gte=today))
        return queryset.filter(serving) if value == "serving" else queryset.exclude(serving)


class MonthListField(forms.Field):
    """Months as a comma-separated list ("2, 4, 6"), each 1 to 12."""

    default_error_messages = {
        "invalid": _("Enter months as numbers from 1 to 12 separated by commas, e.g. 2, 7."),
    }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(m) for m in value)
        return value

    def to_python(self, value: Any) -> list[int]:
        text = str(value or "").replace("，", ",").replace("、", ",")
        months = []
        for part in text.split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= 12:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            months.append(int(part))
        return sorted(set(months))


class AsciiIntegerField(forms.IntegerField):
    """A whole number written in the digits 0-9 only: Python's int() would also take full-width (１２),
    or the digits of other scripts (٧), which nobody means in a plan's number."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip() and not re.fullmatch(r"-?[0-9]+", value.strip()):
            raise forms.ValidationError(_("Enter a whole number in the digits 0 to 9."), code="invalid")
        return super().to_python(value)


class AnnualPlanForm(forms.ModelForm):
    review_months = MonthListField(label=_("review months"))
    session_months = MonthListField(label=_("session months"))
    counted_visit_methods = forms.MultipleChoiceField(
        label=_("visit methods that count"), choices=VisitMethod.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = AnnualPlan
        fields = [
            "visits_per_month",
            "households_per_year",
            "counted_visit_methods",
            "served_month_min_days",
            "pairing_visit_every_days",
            "key_projects_min",
            "key_projects_max",
            "review_months",
            "evaluations_per_year",
            "law_inspections_min",
            "law_inspections_max",
            "light_amber_gap",
            "light_red_gap",
            "suggestion_reply_months",
            "suggestion_reply_max_months",
            "suggestion_redo_months",
            "session_months",
            "deputy_mayor_reports",
            "quorum_numerator",
            "quorum_denominator",
            "vote_pass_numerator",
            "vote_pass_denominator",
            "projects_to_adopt",
            "points_table",
            "grade_good_from",
            "grade_fair_from",
            "household_retention_months",
        ]

    # Pairs that must be ordered, each reported on the field that would fix it.
    ORDERED = [
        ("key_projects_min", "key_projects_max", _("At most cannot be less than at least.")),
        ("law_inspections_min", "law_inspections_max", _("At most cannot be less than at least.")),
        ("suggestion_reply_months", "suggestion_reply_max_months", _("Cannot be less than the usual time.")),
        ("light_amber_gap", "light_red_gap", _("Red must start at or after amber.")),
        ("grade_fair_from", "grade_good_from", _("Good must start at or above fair.")),
        ("quorum_numerator", "quorum_denominator", _("The fraction cannot be more than one.")),
        ("vote_pass_numerator", "vote_pass_denominator", _("The fraction cannot be more than one.")),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper()
        # Each number of the plan in ASCII digits and within its range (AnnualPlan.clean says which).
        for name, (low, high) in PLAN_NUMBER_RANGES.items():
            field = self.fields[name]
            self.fields[name] = AsciiIntegerField(
                label=field.label, help_text=field.help_text, required=field.required, min_value=low, max_value=high
            )

    def clean_points_table(self) -> Any:
        # json.loads accepts NaN and Infinity, which PostgreSQL's json type refuses (a server error).
        table = self.cleaned_data["points_table"]
        try:
            json.dumps(table, allow_nan=False)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter numbers, not NaN or Infinity.")) from exc
        errors = points_table_errors(table)
        if errors:
            raise forms.ValidationError(errors)
        return table

    def clean_served_month_min_days(self) -> int:
        days = self.cleaned_data["served_month_min_days"]
        if not 1 <= days <= 31:
            raise forms.ValidationError(_("Enter a number of days from 1 to 31."))
        return days

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for low, high, message in self.ORDERED:
            if cleaned.get(low) is not None and cleaned.get(high) is not None and cleaned[low] > cleaned[high]:
                self.add_error(high, message)
        for name in ("quorum_denominator", "vote_pass_denominator"):
            if cleaned.get(name) == 0:
                self.add_error(name, _("Cannot be zero."))
        return cleaned


class AccountForm(forms.ModelForm):
    """A new login account of the town, with the scope its role needs."""

    role = forms.ChoiceField(
        label=_("role"), choices=[(value, label) for value, label in Role.choices if value != Role.DISTRICT]
    )
    deputy = forms.ModelChoiceField(label=_("deputy"), queryset=Deputy.objects.none(), required=False)

    class Meta:
        model = User
        fields = ["username", "full_name", "phone", "role", "village", "department"]

    def __init__(self, *args: Any, user: User | AnonymousUser, town: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "village": access.scope(user, Village).filter(town=town),
            "department": access.scope(user, Department).filter(town=town),
            "deputy": access.scope(user, Deputy).filter(town=town, user__isnull=True),
        }
        for name, queryset in choices.items():
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        self.fields["full_name"].required = True
        self.helper = submit_helper(_("Create account"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        needs = {Role.VILLAGE_CADRE: "village", Role.DEPARTMENT: "department", Role.DEPUTY: "deputy"}
        scope_field = needs.get(cleaned.get("role", ""))
        if scope_field and not cleaned.get(scope_field):
            self.add_error(scope_field, _("This role needs it."))
        for name in needs.values():
            if name != scope_field:
                cleaned[name] = None
        return cleaned


class ConfirmForm(forms.Form):
    """A button that confirms an action (a POST), with nothing to fill in."""

    def __init__(self, *args: Any, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(label)
