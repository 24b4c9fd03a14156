"""Accessibility of the key pages (scripts/key_pages.py) for the people who use them.

Each page is checked as one behaviour, "this page is usable", at the three widths that matter: no
critical or serious axe-core violation on a 1366-pixel desktop and on a 360-pixel phone; on forms every
field has a label and its text is 16 px or more; at 200 % zoom on that phone (180 CSS pixels) nothing
scrolls sideways, wide tables scroll inside their own box. One page is resized rather than reopened,
which keeps the audit of every key page within the suite's time budget; the phone journeys use a fully
emulated phone (touch, device pixels). All problems of a page are reported together.
"""

from __future__ import annotations

import pytest

from scripts.key_pages import available
from tests.e2e.browser import DESKTOP, PHONE, form_fields, usability_problems

pytestmark = pytest.mark.usefixtures("demo_district")


def form_problems(page) -> list[str]:
    fields = form_fields(page)
    if not fields:
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
    problems = usability_problems(page)
    if "form" in key_page.tags:
        page.set_viewport_size(PHONE["viewport"])  # the 16 px rule is about phones
        problems += form_problems(page)

    assert not problems, f"{key_page.slug} ({url}):\n" + "\n".join(problems)
