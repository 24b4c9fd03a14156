"""Hostile input on every form: hypothesis-generated data (200 examples per form on `form.is_valid()`,
25 through the view) and a fixed list of known attacks. No server error, every rejection a field-level
message in Chinese, and no payload rendered unescaped on the form or on the pages that show the data.

The forms come from tests/security/form_cases.py (add a FormCase there to cover a new form).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.security.form_cases import FormCase, collect_forms, objects
from tests.security.tally import TALLY

CASES = collect_forms()
FORM_EXAMPLES = 200
VIEW_EXAMPLES = 25

# Payloads whose raw text must never appear in a page: each is markup only if it is not escaped.
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "<svg/onload=alert(1)>",
]
HOSTILE = [
    *MARKUP,
    "' OR '1'='1' --",
    "1; DROP TABLE congress_user; --",
    "1' UNION SELECT password FROM congress_user --",
    "javascript:alert(1)",
    "{{ request.user.password }}",
    "{% load log %}{% get_admin_log 10 as log %}",
    "${7*7}",
    "a\x00b",
    "\x00",
    "x" * 10_000,
    "😀👨‍👩‍👧‍👦🇨🇳",
    "𠀀𪚥𰻞𠮷",  # rare CJK characters outside the Basic Multilingual Plane
    "１２３４",  # full-width digits
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e",
    "2027-02-30",
    "0000-00-00",
    "-1",
    "-2147483649",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "",
    "   ",
    "../../../etc/passwd",
    '=HYPERLINK("http://evil.example")',
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def field_strategy(field: forms.Field) -> st.SearchStrategy[Any]:
    """Data shaped like the field, near its limits, or anything at all."""
    anything = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false", "true", "0", "\x00"])
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return st.lists(st.one_of(st.integers(-(2**63), 2**63).map(str), anything), max_size=4)
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        choices = [str(value) for value, _ in getattr(field, "choices", []) if value != ""][:50]
        near = st.sampled_from(choices) if choices else st.integers(-(2**63), 2**63).map(str)
        return st.one_of(near, st.integers(-(2**63), 2**63).map(str), anything)
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.one_of(st.integers(-(2**70), 2**70).map(str), st.floats().map(str), anything)
    if isinstance(field, forms.DateField):
        return st.one_of(st.dates().map(str), st.integers(0, 10**4).map(lambda y: f"{y}-02-30"), anything)
    return anything


def data_strategy(case: FormCase, o: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Valid data with any subset of its fields replaced: deep enough to reach clean() and the service."""
    fields = case.form(o, None).fields
    overrides = st.fixed_dictionaries({}, optional={name: field_strategy(f) for name, f in fields.items()})
    return overrides.map(lambda changed: {**case.valid(o), **changed})


def check_form(case: FormCase, form: forms.BaseForm) -> None:
    """Rejections are field-level and in Chinese (the login form's one message is deliberately general)."""
    if form.is_valid():
        return
    if case.name != "login":
        assert not form.non_field_errors(), f"{case.name}: a form-wide error {form.non_field_errors()}"
    for name, messages in form.errors.items():
        for message in messages:
            assert CJK.search(str(message)), f"{case.name}.{name}: not in Chinese: {message}"


def check_page(case: FormCase, html: str, data: dict[str, Any]) -> None:
    for value in data.values():
        for payload in value if isinstance(value, list) else [value]:
            assert not (payload in MARKUP and payload in html), f"{case.name}: rendered unescaped: {payload}"


def send(client: Any, case: FormCase, o: Any, data: dict[str, Any]) -> None:
    TALLY["inputs_view"] += 1
    try:
        response = client.post(case.path(o), data)
    except Exception:
        TALLY["server_errors"] += 1
        raise
    if response.status_code >= 500:
        TALLY["server_errors"] += 1
    assert response.status_code < 500
    form = response.context.get("form") if response.context else None
    if form is not None and form.is_bound:
        check_form(case, form)
    check_page(case, response.content.decode(), data)
    if response.status_code == 302:
        for name in case.shown_on:
            kwargs = case.kwargs(o) if name == "congress:deputy_detail" else None
            shown = client.get(reverse(name, kwargs=kwargs))
            assert shown.status_code < 500
            check_page(case, shown.content.decode(), data)


def signed_in(client: Any, case: FormCase, o: Any) -> Any:
    if case.persona:
        client.force_login(getattr(o, case.persona))
    return client


@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_generated_input_never_breaks_the_form(case, cast, chinese):
    o = objects(cast)

    @settings(max_examples=FORM_EXAMPLES)
    @given(data=data_strategy(case, o))
    def run(data: dict[str, Any]) -> None:
        TALLY["inputs_form"] += 1
        check_form(case, case.form(o, data))

    run()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_generated_input_never_breaks_the_view(case, cast, client):
    o = objects(cast)
    signed_in(client, case, o)

    @settings(max_examples=VIEW_EXAMPLES)
    @given(data=data_strategy(case, o))
    def run(data: dict[str, Any]) -> None:
        send(client, case, o, data)

    run()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_known_attacks_never_break_the_view(case, cast, client):
    o = objects(cast)
    signed_in(client, case, o)
    fields = case.form(o, None).fields
    # Free text is where a payload can be saved and shown again: those fields get each payload alone.
    texts = [n for n, f in fields.items() if type(f) in (forms.CharField, forms.EmailField, forms.URLField)]
    for payload in HOSTILE:
        send(client, case, o, dict.fromkeys(fields, payload))  # every field at once
        for name in texts:  # one text field at a time, the others valid
            send(client, case, o, {**case.valid(o), name: payload})


def test_the_page_check_would_see_an_unescaped_payload():
    case = CASES[0]
    with pytest.raises(AssertionError):
        check_page(case, f"<p>{MARKUP[0]}</p>", {"name": MARKUP[0]})
