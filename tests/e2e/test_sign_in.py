"""Signing in and out in a real browser, on a phone and on a desktop, and with the keyboard alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo.town import DEMO_PASSWORD
from tests.e2e.browser import login, path_of

pytestmark = pytest.mark.usefixtures("shared_demo_district")


@pytest.mark.parametrize("screen", ["phone_page", "desktop_page"])
def test_staff_member_signs_in_and_is_greeted_by_name(request, screen):
    page = request.getfixturevalue(screen)

    login(page, "bf_staff")

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "赵敏" in page.locator("main h1").inner_text()


def test_login_form_is_completed_with_the_keyboard_alone(desktop_page):
    page = desktop_page
    page.goto(reverse("login"))

    for _ in range(20):  # the skip link, the brand, the language buttons ... then the form
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    assert page.evaluate("document.activeElement.id") == "id_username", "Tab never reached the username field"
    page.keyboard.type("bf_deputy1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(lambda url: path_of(url) == reverse("home"))
    assert page.locator("main h1").is_visible()


def test_wrong_password_keeps_the_person_on_the_form_with_a_message(phone_page):
    page = phone_page
    page.goto(reverse("login"))
    page.locator("#id_username").fill("bf_staff")
    page.locator("#id_password").fill("not-the-password")
    page.locator("main form button[type=submit]").click()

    assert page.locator("main .alert-danger, main .invalid-feedback").first.is_visible()
    assert path_of(page.url) == reverse("login")
    assert page.locator("#id_username").input_value() == "bf_staff"


def test_phone_user_signs_out_through_the_collapsed_menu(phone_page):
    page = phone_page
    login(page, "bf_cadre")

    page.locator(".navbar-toggler").tap()
    page.locator("#account-menu").tap()
    page.get_by_role("button", name="退出登录").tap()

    page.wait_for_url(lambda url: path_of(url) == reverse("login"))
    page.goto(reverse("home"))
    assert path_of(page.url) == reverse("login"), "after signing out the home page asks to sign in again"
