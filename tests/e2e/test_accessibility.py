"""Accessibility of the key pages (scripts/key_pages.py) for the people who use them.

Each page is checked as one behaviour, "this page is usable", at the three widths that matter: no
critical or serious axe-core violation on a 1366-pixel desktop and on a 360-pixel phone; every field
(of a form, or a list's search and filters) has a label and its text is 16 px or more, and a form page
has fields; at 200 % zoom on that phone (180 CSS pixels) nothing
scrolls sideways, wide tables scroll inside their own box. One page is resized rather than reopened,
which keeps the audit of every key page within the suite's time budget; the phone journeys use a fully
emulated phone (touch, device pixels). All problems of a page are reported together.
"""

from __future__ import annotations

import pytest

from scripts.key_pages import available
from tests.e2e.axe import axe_violations, describe
from tests.e2e.browser import DESKTOP, PHONE, ZOOMED_PHONE, form_fields, sideways_overflow

pytestmark = pytest.mark.usefixtures("shared_demo_district")


def field_problems(page, *, is_form: bool) -> list[str]:
    """Every visible field, on forms and on lists' search and filter bars alike: labelled, 16 px text."""
    fields = form_fields(page)
    if is_form and not fields:
        return ["a form page with no field to fill in"]
    problems = [f"field {field['field']} has no label" for field in fields if not field["labelled"]]
    problems += [f"field {field['field']} text is {field['fontSize']}px" for field in fields if field["fontSize"] < 16]
    return problems


@pytest.mark.parametrize("key_page", available(), ids=lambda key_page: key_page.slug)
def test_key_page_is_usable_by_everyone(new_page, key_page):
    # axe-core goes in as an inline script, which a Content-Security-Policy would refuse.
    page = new_page(signed_in_as=key_page.username, bypass_csp=True, **DESKTOP)
    url = key_page.url()
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    problems = []

    for width, screen in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(screen["viewport"])
        violations = axe_violations(page)
        if violations:
            problems.append(f"axe on the {width}:\n{describe(violations)}")
    problems += field_problems(page, is_form="form" in key_page.tags)
    page.set_viewport_size(ZOOMED_PHONE["viewport"])
    overflow = sideways_overflow(page)
    if overflow:
        problems.append(f"scrolls sideways at 200 % zoom (180 CSS px): {overflow}")

    assert not problems, f"{key_page.slug} ({url}):\n" + "\n".join(problems)
