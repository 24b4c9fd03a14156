"""The browser harness itself: it finds Debian's Chromium and hears what goes wrong inside a page."""

from __future__ import annotations

from django.urls import reverse


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
