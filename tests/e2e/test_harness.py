"""The browser harness itself: it finds Debian's Chromium and hears what goes wrong inside a page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.axe import axe_violations
from tests.e2e.browser import form_fields, sideways_overflow

# These pages read nothing from the database; on the shared demo it is not emptied after each of them.
pytestmark = pytest.mark.usefixtures("shared_demo_district")


def test_pages_run_in_debians_chromium_not_a_downloaded_one(browser, chromium_executable):
    assert "ms-playwright" not in chromium_executable
    assert browser.version.split(".")[0].isdigit()


def test_console_errors_and_uncaught_exceptions_are_recorded(desktop_page, browser_errors):
    page = desktop_page
    page.goto(reverse("login"))

    page.evaluate("console.error('deliberate console error')")
    page.evaluate("setTimeout(() => { throw new Error('deliberate exception') }, 0)")
    page.wait_for_timeout(50)
    browser_errors.settle()

    assert any("deliberate console error" in text for text in browser_errors.messages)
    assert any("deliberate exception" in text for text in browser_errors.messages)
    browser_errors.allow("deliberate")
    assert browser_errors.unexpected() == []


def test_a_missing_page_is_heard_as_a_console_error(desktop_page, browser_errors):
    page = desktop_page

    page.goto("/no-such-page/")
    browser_errors.settle()

    assert any("404" in text for text in browser_errors.messages)
    browser_errors.allow("404")


BROKEN_PAGE = """<!doctype html><html lang="zh-hans"><head><title>坏页面</title></head><body><main>
<h1>坏页面</h1>
<form><input type="text" name="nameless" style="font-size: 12px"></form>
<div style="width: 400px">一行不肯折行的很宽的内容</div>
<div class="table-responsive" style="overflow-x: auto">
<table style="width: 600px"><tr><td>宽表格</td></tr></table></div>
</main></body></html>"""


def test_the_audit_notices_a_missing_label_small_text_and_sideways_scrolling(new_page):
    page = new_page(viewport={"width": 180, "height": 370})
    page.set_content(BROKEN_PAGE)

    violations = axe_violations(page)
    fields = form_fields(page)
    overflow = sideways_overflow(page)

    assert "label" in {violation["id"] for violation in violations}
    assert fields == [{"field": "nameless", "type": "text", "fontSize": 12, "labelled": False}]
    assert overflow is not None and overflow["scrollWidth"] >= 400
    assert not any("table" in element for element in overflow["elements"]), "a table in its own box is fine"


def test_the_shared_demo_guard_counts_the_rows_a_test_adds(django_db_blocker):
    from django.db import transaction

    from congress.models import Village
    from tests.e2e.conftest import row_counts

    with django_db_blocker.unblock(), transaction.atomic():
        before = row_counts()
        Village.objects.create(town=Village.objects.order_by("pk").first().town, name="临时村")
        after = row_counts()
        transaction.set_rollback(True)

    assert after["congress_village"] == before["congress_village"] + 1
    assert "django_session" not in after, "signing in writes a session, which the guard allows"
