"""Every form of the portal, described once for the mass-assignment and hostile-input suites.

To cover a new form, add a `FormCase` to FORMS (or to `FORMS` of a `tests/security/forms_<app>.py`
module, collected like the matrix rows). A case says how to reach the form (URL and persona), how to
build it outside a view (for fast `form.is_valid()` runs), what valid data looks like, and which
record a POST changes (`target`) or creates (`created`). Fields a user must not set are every field of
that record the form does not list: the suites post them with hostile values and check the database.

- `setup(o)` returns the extra records the case needs (a suggestion in the right state, a project...),
  added to `o`; it runs inside each test, never at import time.
- `valid(o)` and the data `form(o, data)` takes are what the browser posts: keys carry the form's
  prefix ("decline-reason"), formset management keys are included, and uploaded files are values
  (`bind_files` splits them off for the form).
- `form_in(context)` finds the bound form in the page a refused POST renders (default: "form").
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.files import File
from django.db.models import Model, QuerySet
from django.test import RequestFactory
from django.urls import reverse

from congress.forms.reference import (
    AccountForm,
    AnnualPlanForm,
    ConfirmForm,
    ConstituencyForm,
    DepartmentForm,
    DeputyForm,
    LeaveOfficeForm,
    VenueForm,
    VillageForm,
)
from congress.login import LoginForm
from congress.models import AnnualPlan, Department, Deputy, User, Village
from tests import factories
from tests.conftest import PASSWORD, Cast


def _nothing(_: Any) -> dict[str, Any]:
    return {}


def _context_form(context: Any) -> forms.BaseForm | None:
    return context.get("form")


def bind_files(data: dict[str, Any] | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Posted data as a form takes it: (fields, files)."""
    if data is None:
        return None, None
    files = {k: v for k, v in data.items() if isinstance(v, File)}
    return {k: v for k, v in data.items() if k not in files}, files


@dataclass(frozen=True)
class FormCase:
    name: str
    url: str
    form: Callable[[SimpleNamespace, dict[str, Any] | None], forms.BaseForm]
    valid: Callable[[SimpleNamespace], dict[str, Any]]
    kwargs: Callable[[SimpleNamespace], dict[str, Any]] = _nothing
    persona: str | None = "staff"  # who posts; None is anonymous (the login form)
    target: Callable[[SimpleNamespace], Model] | None = None  # the record a POST changes
    created: Callable[[SimpleNamespace], QuerySet[Any]] | None = None  # where a created record appears
    shown_on: tuple[str | Callable[[SimpleNamespace], str], ...] = ()  # pages (URL names or o -> URL) showing it
    writable: tuple[str, ...] = field(default=())  # record fields the form may set besides its own
    setup: Callable[[SimpleNamespace], dict[str, Any]] = _nothing  # extra records, added to o
    form_in: Callable[[Any], forms.BaseForm | None] = _context_form  # the bound form in a response
    page_fields: tuple[str, ...] = ()  # fields of other forms posted with this one, kept valid

    def path(self, o: SimpleNamespace) -> str:
        return reverse(self.url, kwargs=self.kwargs(o) or None)

    def field_names(self, o: SimpleNamespace) -> list[str]:
        return list(self.form(o, None).fields)

    def posted_names(self, o: SimpleNamespace) -> dict[str, str]:
        """Each field's name as the browser posts it (with the form's prefix)."""
        form = self.form(o, None)
        return {name: form.add_prefix(name) for name in form.fields}

    def objects(self, cast: Cast) -> SimpleNamespace:
        o = objects(cast)
        vars(o).update(self.setup(o))
        return o


def objects(cast: Cast) -> SimpleNamespace:
    """The cast plus the records the forms edit; built inside each test (never at import time)."""
    o = SimpleNamespace(**vars(cast))
    o.venue = factories.VenueFactory(town=cast.town, village=cast.village)
    o.plan = AnnualPlan.objects.for_town_year(cast.town, 2026)
    if o.plan.pk is None:
        o.plan.save()
    o.constituency = cast.deputy.constituency
    o.other_town_village = factories.VillageFactory(town=cast.other_town)
    return o


def initial_data(form: forms.BaseForm) -> dict[str, Any]:
    """What the browser would post back for an unchanged form."""
    data: dict[str, Any] = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(bound, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    return data


def _user(o: SimpleNamespace) -> Any:
    return o.staff


FORMS: list[FormCase] = [
    FormCase(
        name="village_create",
        url="congress:village_create",
        form=lambda o, data: VillageForm(data, instance=Village(town=o.town), user=o.staff),
        valid=lambda o: {"name": "新建村", "kind": "village"},
        created=lambda o: Village.objects.filter(town=o.town, name="新建村"),
        shown_on=("congress:village_list",),
    ),
    FormCase(
        name="village_edit",
        url="congress:village_edit",
        kwargs=lambda o: {"pk": o.village.pk},
        form=lambda o, data: VillageForm(data, instance=o.village, user=o.staff),
        valid=lambda o: {"name": "北房新村", "kind": "community"},
        target=lambda o: o.village,
        shown_on=("congress:village_list",),
    ),
    FormCase(
        name="constituency_edit",
        url="congress:constituency_edit",
        kwargs=lambda o: {"pk": o.constituency.pk},
        form=lambda o, data: ConstituencyForm(data, instance=o.constituency, user=o.staff),
        valid=lambda o: {
            "number": 7,
            "name": "第七选区",
            "villages": [o.village.pk],
            "seats": 2,
            "version": o.constituency.version,
        },
        target=lambda o: o.constituency,
        shown_on=("congress:constituency_list",),
        writable=("version",),
    ),
    FormCase(
        name="department_create",
        url="congress:department_create",
        form=lambda o, data: DepartmentForm(data, instance=Department(town=o.town), user=o.staff),
        valid=lambda o: {"name": "城建科", "is_active": "on"},
        created=lambda o: Department.objects.filter(town=o.town, name="城建科"),
        shown_on=("congress:department_list",),
    ),
    FormCase(
        name="venue_edit",
        url="congress:venue_edit",
        kwargs=lambda o: {"pk": o.venue.pk},
        form=lambda o, data: VenueForm(data, instance=o.venue, user=o.staff),
        valid=lambda o: {
            "kind": "home",
            "name": "代表之家",
            "village": o.village.pk,
            "address": "镇政府一层",
            "reception_days": "每月15日",
        },
        target=lambda o: o.venue,
        shown_on=("congress:venue_list",),
    ),
    FormCase(
        name="deputy_create",
        url="congress:deputy_create",
        form=lambda o, data: DeputyForm(data, instance=Deputy(town=o.town), user=o.staff),
        valid=lambda o: {
            "name": "王新代表",
            "gender": "M",
            "birth_year": 1975,
            "phone": "13800001111",
            "constituency": o.constituency.pk,
            "term": 18,
            "expertise": "农业",
            "served_from": "2022-01-01",
        },
        created=lambda o: Deputy.objects.filter(town=o.town, name="王新代表"),
        shown_on=("congress:deputy_list",),
    ),
    FormCase(
        name="deputy_edit",
        url="congress:deputy_edit",
        kwargs=lambda o: {"pk": o.deputy.pk},
        form=lambda o, data: DeputyForm(data, instance=o.deputy, user=o.staff),
        valid=lambda o: {**initial_data(DeputyForm(instance=o.deputy, user=o.staff)), "expertise": "水利"},
        target=lambda o: o.deputy,
        shown_on=("congress:deputy_list", "congress:deputy_detail"),
    ),
    FormCase(
        name="deputy_leave",
        url="congress:deputy_leave",
        kwargs=lambda o: {"pk": o.deputy.pk},
        form=lambda o, data: LeaveOfficeForm(data, deputy=o.deputy),
        valid=lambda o: {"served_until": "2026-03-01"},
        target=lambda o: o.deputy,
        writable=("served_until",),
    ),
    FormCase(
        name="plan_edit",
        url="congress:plan_edit",
        form=lambda o, data: AnnualPlanForm(data, instance=o.plan),
        valid=lambda o: {**initial_data(AnnualPlanForm(instance=o.plan)), "visits_per_month": 3},
        target=lambda o: o.plan,
        shown_on=("congress:plan",),
    ),
    FormCase(
        name="account_create",
        url="congress:account_create",
        form=lambda o, data: AccountForm(data, user=o.staff, town=o.town),
        valid=lambda o: {
            "username": "newcadre",
            "full_name": "赵村官",
            "phone": "13800002222",
            "role": "village_cadre",
            "village": o.village.pk,
        },
        created=lambda o: User.objects.filter(username="newcadre"),
        shown_on=("congress:account_list",),
        # The service sets these from the role and the staff member's town; the password is generated and
        # must be changed at the first sign-in.
        writable=("password", "town", "date_joined", "must_change_password"),
    ),
    FormCase(
        name="account_password_reset",
        url="congress:account_password_reset",
        kwargs=lambda o: {"pk": o.cadre.pk},
        form=lambda o, data: ConfirmForm(data, label="reset"),
        valid=_nothing,
        target=lambda o: o.cadre,
        writable=("password", "must_change_password"),
    ),
    FormCase(
        name="account_deactivate",
        url="congress:account_deactivate",
        kwargs=lambda o: {"pk": o.cadre.pk},
        form=lambda o, data: ConfirmForm(data, label="deactivate"),
        valid=_nothing,
        target=lambda o: o.cadre,
        writable=("is_active",),
    ),
    FormCase(
        name="password_change",
        url="password_change",
        form=lambda o, data: PasswordChangeForm(o.staff, data),
        valid=lambda o: {
            "old_password": PASSWORD,
            "new_password1": "Beifang-new-2026",
            "new_password2": "Beifang-new-2026",
        },
        target=_user,
        writable=("password",),
    ),
    FormCase(
        name="login",
        url="login",
        persona=None,
        form=lambda o, data: LoginForm(RequestFactory().post("/"), data),
        valid=lambda o: {"username": "staff", "password": PASSWORD},
        target=_user,
        writable=("last_login",),
    ),
]


def collect_forms() -> list[FormCase]:
    """FORMS here plus FORMS of every tests/security/forms_<app>.py module."""
    import tests.security as package

    cases = list(FORMS)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("forms_"):
            cases += importlib.import_module(f"{package.__name__}.{info.name}").FORMS
    return cases
