"""An account opened or reset by staff changes its temporary password at its first sign-in (等保)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from congress.models import User
from congress.roles import Role
from congress.services.reference import create_account, reset_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Beifang-2026-zijide"


@pytest.fixture
def handed_over(cast):
    """A village cadre's account as staff open it: the password is the temporary one shown once."""
    account, password = create_account(
        by=cast.staff, town=cast.town, username="cadre2", full_name="赵村官", phone="", role=Role.VILLAGE_CADRE,
        village=cast.village,
    )  # fmt: skip
    return account, password


def _sign_in(username: str, password: str) -> Client:
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return browser


def test_an_account_staff_open_must_change_its_password(handed_over):
    account, _password = handed_over
    assert account.must_change_password


def test_every_page_sends_it_to_the_password_change_first(handed_over):
    account, password = handed_over
    browser = _sign_in(account.username, password)

    for url in (reverse("home"), reverse("visits:household_list"), reverse("congress:inbox")):
        response = browser.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("password_change") + "?next=")

    page = browser.get(reverse("home"), follow=True)
    assert "临时" in page.content.decode()  # the message says why


def test_after_the_change_the_account_goes_where_it_was_going(handed_over):
    account, password = handed_over
    browser = _sign_in(account.username, password)
    target = reverse("visits:household_list")
    change = browser.get(target)["Location"]

    response = browser.post(
        change, {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "next": target}
    )

    assert response.status_code == 302 and response["Location"] == target
    assert not User.objects.get(pk=account.pk).must_change_password
    assert browser.get(target).status_code == 200


def test_a_foreign_next_address_is_not_followed(handed_over):
    account, password = handed_over
    browser = _sign_in(account.username, password)

    response = browser.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "https://attacker.example/",
        },
    )

    assert response["Location"] == reverse("password_change_done")


def test_signing_out_stays_open(handed_over):
    account, password = handed_over
    browser = _sign_in(account.username, password)

    assert browser.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in browser.session


def test_a_reset_by_staff_sets_the_duty_again(cast):
    assert not cast.cadre.must_change_password

    password = reset_password(by=cast.staff, account=cast.cadre)

    cast.cadre.refresh_from_db()
    assert cast.cadre.must_change_password
    browser = _sign_in(cast.cadre.username, password)
    assert browser.get(reverse("home"))["Location"].startswith(reverse("password_change"))


def test_an_account_that_chose_its_password_is_not_held_up(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("home")).status_code == 200
