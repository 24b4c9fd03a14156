"""Layout a person sees at once: the navigation on each screen and tables on a phone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.browser import DESKTOP, PHONE, sideways_overflow

pytestmark = pytest.mark.usefixtures("shared_demo_district")


def test_desktop_shows_the_navigation_without_a_menu_button(new_page):
    page = new_page(signed_in_as="bf_staff", **DESKTOP)
    page.goto(reverse("home"))

    assert not page.locator(".navbar-toggler").is_visible()
    assert page.locator("#portal-nav .nav-link.active").is_visible()


def test_desktop_navigation_keeps_every_entry_on_one_line(new_page):
    page = new_page(signed_in_as="bf_chair", **DESKTOP)
    page.goto(reverse("home"))

    wrapped = page.evaluate(
        """() => [...document.querySelectorAll(
                '.portal-navbar .nav-link, .portal-navbar .navbar-brand, .portal-language-switch .btn')]
            .filter(el => el.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(el).lineHeight) + 16)
            .map(el => el.innerText.trim())"""
    )

    assert wrapped == [], "navigation entries broke over lines"
    assert sideways_overflow(page) is None


def test_phone_folds_the_navigation_behind_the_menu_button(new_page):
    page = new_page(signed_in_as="bf_staff", **PHONE)
    page.goto(reverse("home"))

    assert page.locator(".navbar-toggler").is_visible()
    assert not page.locator("#portal-nav .nav-link.active").is_visible()
    page.locator(".navbar-toggler").tap()
    page.locator("#portal-nav .nav-link.active").wait_for(state="visible")


def test_phone_table_keeps_names_on_one_line_and_scrolls_inside_its_box(new_page):
    page = new_page(signed_in_as="bf_staff", **PHONE)
    page.goto(reverse("congress:deputy_list"))

    name = page.locator("tbody tr td a").first
    line_height = name.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    box = page.locator(".table-responsive").first

    assert name.bounding_box()["height"] < 1.5 * line_height, "a three-character name broke over lines"
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the table should scroll inside its box"
    assert sideways_overflow(page) is None
