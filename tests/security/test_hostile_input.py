"""Hostile input on every form: hypothesis-generated data (FORM_EXAMPLES per form on `form.is_valid()`,
VIEW_EXAMPLES through the view, each rolled back) and a fixed list of known attacks, hostile uploads
included. No server error, every rejection a field-level message in Chinese, and no payload rendered
unescaped on the form or on the pages that show the data.

The forms come from tests/security/form_cases.py and forms_<app>.py (add a FormCase to cover a new form).
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.figures import TALLY, TRIPLES
from tests.security.form_cases import FormCase, collect_forms

CASES = collect_forms()
FORM_EXAMPLES = 200
VIEW_EXAMPLES = 10  # per form through the view; 51 forms keep the security suite near 90 s in CI

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
    "x" * 100_000,
    "😀👨‍👩‍👧‍👦🇨🇳",
    "𠀀𪚥𰻞𠮷",  # rare CJK characters outside the Basic Multilingual Plane
    "１２３４",  # full-width digits
    "²",  # superscript digits: str.isdigit() says yes, int() says no
    "¹²³",
    "٣",  # an Arabic-Indic digit
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e",
    "2027-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "-1",
    "-2147483649",
    "99999999999999999999999",
    "1e308",
    "1e309",
    "-1e309",
    "NaN",
    "",
    "   ",
    "../../../etc/passwd",
    '=HYPERLINK("http://evil.example")',
    "=1+1",
    "@SUM(A1)",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
]
# The payloads a free-text field gets alone, the others valid, so that the record is saved and shown
# again: markup and template syntax (echoes), storage (NUL, 100,000 characters, characters outside the
# Basic Multilingual Plane, direction marks) and formulas. The rest are parsing, which every field meets
# in the post of all fields at once.
STORED = {*MARKUP, "{{ request.user.password }}", "{% load log %}{% get_admin_log 10 as log %}", "javascript:alert(1)",
          "a\x00b", "x" * 100_000, "𠀀𪚥𰻞𠮷", "\u202eevil\u202c", '=HYPERLINK("http://evil.example")',
          "' OR '1'='1' --"}  # fmt: skip
# Short odd values besides: each is posted to every field of a form at once (one post per form), which
# reaches the fields' parsing without the cost of a post per field.
ODD = [
    "-0", "0x1F", "1_000", "٠١٢", "①②", "一二三", "null", "undefined", "true", "[]", "{}", "%00", "%s%s%s",
    "\r\n", "\t", "\\", "'", '"', ";", "2026-02-29", "2026/13/01", "24:61", "Infinity", "-Infinity", "1e-400",
]  # fmt: skip
CJK = re.compile(r"[\u4e00-\u9fff]")


def formula_workbook() -> bytes:
    """An .xlsx in the register's layout whose cells are formulas."""
    book = Workbook()
    book.active.append(["村/社区", "地址", "户主姓名", "联系电话"])
    book.active.append(['=HYPERLINK("http://evil.example")', "=1+1", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Uploads: wrong types, malformed archives, formula-bearing workbooks, hostile names; oversized ones
# are made in the known-attacks test, where the size limit is lowered to keep them cheap.
FILE_NAMES = ["households.xlsx", "现场.png", "photo.jpg", "report.pdf", "evil.exe", "../../etc/passwd",
              "<script>.png", "x" * 300 + ".xlsx", "no-extension"]  # fmt: skip
FILE_BODIES = [
    b"",
    b"PK\x03\x04" + b"\x00" * 64,
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    b"GIF89a<script>alert(1)</script>",
    b"<html><script>alert(1)</script></html>",
    "村,地址\n=1+1,@SUM(A1)\n".encode(),
    formula_workbook(),
]


def hostile_upload(name: str, body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body)


def field_strategy(field: forms.Field) -> st.SearchStrategy[Any]:
    """Data shaped like the field, near its limits, or anything at all."""
    anything = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
    if isinstance(field, forms.FileField):
        bodies = st.one_of(st.sampled_from(FILE_BODIES), st.binary(max_size=2000))
        return st.one_of(st.builds(hostile_upload, st.sampled_from(FILE_NAMES), bodies), anything)
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
    keys = case.posted_names(o)
    overrides = st.fixed_dictionaries({}, optional={keys[name]: field_strategy(f) for name, f in fields.items()})
    return overrides.map(lambda changed: {**case.valid(o), **changed})


def check_form(case: FormCase, form: forms.BaseForm) -> None:
    """Rejections are field-level and in Chinese (the login form's one message is deliberately general)."""
    if form.is_valid():
        return
    if case.name != "login":
        # An edit conflict is form-wide on purpose (a hostile version number is another edit's version).
        wide = [e for e in form.errors.as_data().get(NON_FIELD_ERRORS, []) if e.code != "edit_conflict"]
        assert not wide, f"{case.name}: a form-wide error {wide}"
    for name, messages in form.errors.items():
        for message in messages:
            assert CJK.search(str(message)), f"{case.name}.{name}: not in Chinese: {message}"


def check_page(case: FormCase, html: str, data: dict[str, Any]) -> None:
    for value in data.values():
        for payload in value if isinstance(value, list) else [value]:
            assert not (payload in MARKUP and payload in html), f"{case.name}: rendered unescaped: {payload}"


def digest(value: Any) -> str:
    """A short name of a posted value (a file by its name and body), for counting distinct triples."""
    if isinstance(value, SimpleUploadedFile):
        value.seek(0)
        value = (value.name, value.read())
        return hashlib.blake2b(repr(value).encode(), digest_size=8).hexdigest()
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def send(client: Any, case: FormCase, o: Any, data: dict[str, Any]) -> set[str]:
    """POST the data and look at every page it reaches; rolled back, so each input meets the same records.
    Returns the posted names the view read: every one when it redirected (it took the post and said so on
    the next page), else those of the bound form it showed again."""
    TRIPLES.update((case.url, name, digest(value)) for name, value in data.items())
    with transaction.atomic():
        reached = _send(client, case, o, data)
        transaction.set_rollback(True)
    return reached


def _send(client: Any, case: FormCase, o: Any, data: dict[str, Any]) -> set[str]:
    TALLY["inputs_view"] += 1
    try:
        response = client.post(case.path(o), data)
    except Exception:
        TALLY["server_errors"] += 1
        raise
    if response.status_code >= 500:
        TALLY["server_errors"] += 1
    assert response.status_code < 500
    form = case.form_in(response.context) if response.context else None
    reached: set[str] = set()
    if form is not None and form.is_bound:
        check_form(case, form)
        reached = {form.add_prefix(name) for name in form.fields}
    check_page(case, response.content.decode(), data)
    if response.status_code == 302:
        for name in case.shown_on:
            if callable(name):
                url = name(o)
            else:
                url = reverse(name, kwargs=case.kwargs(o) if name == "congress:deputy_detail" else None)
            shown = client.get(url)
            assert shown.status_code < 500
            check_page(case, shown.content.decode(), data)
    if response.status_code == 302 or (response.status_code == 200 and form is None):
        reached = set(data)  # taken, or answered on a page with no form to show again (a switch refused)
    return reached


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
    o = case.objects(cast)

    @settings(max_examples=FORM_EXAMPLES)
    @given(data=data_strategy(case, o))
    def run(data: dict[str, Any]) -> None:
        TALLY["inputs_form"] += 1
        check_form(case, case.form(o, data))

    run()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_generated_input_never_breaks_the_view(case, cast, client):
    o = case.objects(cast)
    signed_in(client, case, o)

    @settings(max_examples=VIEW_EXAMPLES)
    @given(data=data_strategy(case, o))
    def run(data: dict[str, Any]) -> None:
        send(client, case, o, data)

    run()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_known_attacks_never_break_the_view(case, cast, client, settings):
    o = case.objects(cast)
    signed_in(client, case, o)
    fields = case.form(o, None).fields
    keys = case.posted_names(o)
    # Free text is where a payload can be saved and shown again: those fields get each payload alone.
    texts = [keys[n] for n, f in fields.items() if type(f) in (forms.CharField, forms.EmailField, forms.URLField)]
    reached: set[str] = set()
    for payload in ODD:
        reached |= send(client, case, o, dict.fromkeys(keys.values(), payload))
    for payload in HOSTILE:
        reached |= send(client, case, o, dict.fromkeys(keys.values(), payload))  # every field at once
        if payload in STORED:
            for name in texts:  # one text field at a time, the others valid: saved, then shown again
                reached |= send(client, case, o, {**case.valid(o), name: payload})
    uploads = [keys[n] for n, f in fields.items() if isinstance(f, forms.FileField)]
    settings.UPLOAD_MAX_BYTES = 4096
    oversized = [("big.xlsx", b"PK\x03\x04" + b"\x00" * 5000), ("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000)]
    for name in uploads:  # every hostile file, each into every upload field
        for filename, body in [*((n, FILE_BODIES[i % len(FILE_BODIES)]) for i, n in enumerate(FILE_NAMES)),
                               *((FILE_NAMES[0], b) for b in FILE_BODIES), *oversized]:  # fmt: skip
            reached |= send(client, case, o, {**case.valid(o), name: hostile_upload(filename, body)})
    # A field the posts above never brought to its bound form (a page whose switch field took a payload
    # binds nothing) gets each payload alone, the others valid.
    for name in sorted(set(keys.values()) - reached):
        for payload in HOSTILE:
            reached |= send(client, case, o, {**case.valid(o), name: payload})
    # Every field of the form met the payloads in its view: none stopped short of it (a refused role, a
    # missing record, a form the page never bound).
    unreached = sorted(set(keys.values()) - reached)
    TALLY["unreached_fields"] += len(unreached)
    assert not unreached, f"{case.name}: hostile posts never reached {unreached}"


def test_the_page_check_would_see_an_unescaped_payload():
    case = CASES[0]
    with pytest.raises(AssertionError):
        check_page(case, f"<p>{MARKUP[0]}</p>", {"name": MARKUP[0]})


def test_the_payloads_posted_alone_are_hostile_ones():
    assert set(HOSTILE) >= STORED
