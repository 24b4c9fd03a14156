"""What the browser tests share: screen sizes, signing in, the error watch and layout measurements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from demo.town import DEMO_PASSWORD
from tests.e2e.axe import axe_violations, describe

# A common Android phone: 360×740 CSS pixels at two device pixels each, held in the hand.
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 900}}
# The same phone's width zoomed to 200 % (WCAG reflow): half the CSS pixels, twice the device pixels.
ZOOMED_PHONE: dict[str, Any] = {"viewport": {"width": 180, "height": 370}, "device_scale_factor": 4}


@dataclass
class BrowserErrors:
    """Console errors and uncaught exceptions of every page opened in the watched contexts."""

    messages: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)

    def watch(self, context: Any) -> None:
        self.contexts.append(context)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.messages.append(f"uncaught exception: {error.error}"))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url") or (message.page.url if message.page else "")
            self.messages.append(f"console error at {where}: {message.text}")

    def allow(self, pattern: str) -> None:
        """Expect errors matching this regular expression (say, the 404 a test asks for on purpose)."""
        self.allowed.append(re.compile(pattern))

    def settle(self) -> None:
        """Let events the browser has already sent reach the handlers before the messages are read."""
        for context in self.contexts:
            for page in context.pages:
                try:
                    page.evaluate("0")
                except Exception:  # noqa: S112 (a closed or navigating page has nothing more to say)
                    continue

    def unexpected(self) -> list[str]:
        return [text for text in self.messages if not any(pattern.search(text) for pattern in self.allowed)]


def login(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person does, and wait for the home page."""
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: path_of(url) != reverse("login"))
    assert path_of(page.url) == reverse("home"), f"{username} did not reach the home page: {page.url}"


def session_cookie(username: str, base_url: str) -> dict[str, Any]:
    """A browser cookie carrying a fresh session of this user, as Django's test client signs one in."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base_url}


def path_of(url: str) -> str:
    """The path of a URL the browser reports (no host, no query)."""
    return urlsplit(url).path


def sideways_overflow(page: Any) -> dict[str, Any] | None:
    """None when the page fits its width; else the widths and the elements that stick out on the right."""
    return page.evaluate(
        """() => {
            const root = document.scrollingElement;
            if (root.scrollWidth <= root.clientWidth) return null;
            const wide = [];
            for (const el of document.body.querySelectorAll('*')) {
                const box = el.getBoundingClientRect();
                if (box.right > root.clientWidth + 0.5 && !el.parentElement.closest('.table-responsive')) {
                    const classes = [...el.classList].map(name => '.' + name).join('');
                    wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes +
                              ' right=' + Math.round(box.right));
                }
            }
            return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, elements: wide.slice(0, 10)};
        }"""
    )


def form_fields(page: Any) -> list[dict[str, Any]]:
    """The visible fields a person fills in: their id, font size (px) and whether they have a label."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
            .filter(el => el.getClientRects().length > 0)
            .map(el => ({
                field: el.name || el.id || el.outerHTML.slice(0, 80),
                type: el.type,
                fontSize: parseFloat(getComputedStyle(el).fontSize),
                labelled: el.labels.length > 0 || !!el.getAttribute('aria-label') ||
                          !!el.getAttribute('aria-labelledby') || !!el.getAttribute('title'),
            }))"""
    )


def field_problems(page: Any, *, is_form: bool, min_font_px: float | None = 16) -> list[str]:
    """Every visible field, on forms and on lists' search and filter bars alike: labelled, and with text
    of at least `min_font_px` (None: labels only). A form page must have a field to fill in."""
    fields = form_fields(page)
    if is_form and not fields:
        return ["a form page with no field to fill in"]
    problems = [f"field {field['field']} has no label" for field in fields if not field["labelled"]]
    if min_font_px is not None:
        problems += [
            f"field {field['field']} text is {field['fontSize']}px"
            for field in fields
            if field["fontSize"] < min_font_px
        ]
    return problems


def usability_problems(page: Any, *, form: bool | None = None, min_font_px: float | None = 16) -> list[str]:
    """What keeps the open page from being usable: serious axe-core violations on a desktop and a phone;
    with `form` given, the fields' labels and text size on that phone (field_problems); and sideways
    scrolling at 200 % zoom on that phone. The page ends at the zoomed phone's size."""
    problems = []
    for width, screen in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(screen["viewport"])
        violations = axe_violations(page)
        if violations:
            problems.append(f"axe on the {width}:\n{describe(violations)}")
    if form is not None:
        problems += field_problems(page, is_form=form, min_font_px=min_font_px)
    page.set_viewport_size(ZOOMED_PHONE["viewport"])
    overflow = sideways_overflow(page)
    if overflow:
        problems.append(f"scrolls sideways at 200 % zoom (180 CSS px): {overflow}")
    return problems
