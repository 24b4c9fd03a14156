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
from tests.e2e.browser import DESKTOP, usability_problems

pytestmark = pytest.mark.usefixtures("shared_demo_district")


@pytest.mark.parametrize("key_page", available(), ids=lambda key_page: key_page.slug)
def test_key_page_is_usable_by_everyone(new_page, key_page):
    # axe-core goes in as an inline script, which a Content-Security-Policy would refuse.
    page = new_page(signed_in_as=key_page.username, bypass_csp=True, **DESKTOP)
    url = key_page.url()
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    problems = usability_problems(page, form="form" in key_page.tags)

    assert not problems, f"{key_page.slug} ({url}):\n" + "\n".join(problems)
