"""Signing in: lockout after repeated failures, a fresh session id, safe `next`, session timeouts."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from congress.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from congress.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OTHER_IP = "10.0.0.99"


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    return [sign_in(client, username, "Wrong-password-1", **extra) for _ in range(times)]


# Lockout (django-axes)


def test_four_wrong_passwords_do_not_lock_the_account(client, cast):
    fail(client, "staff", 4)

    response = sign_in(client, "staff", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.staff.pk)


def test_the_fifth_wrong_password_locks_the_account_from_that_address(client, cast):
    *_, fifth = fail(client, "staff", 5)

    assert fifth.status_code == 429
    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_chinese_and_says_how_long_to_wait(client, cast):
    *_, fifth = fail(client, "staff", 5)

    html = fifth.content.decode()
    assert "登录已锁定" in html
    assert "15 分钟" in html
    assert "no-store" in fifth["Cache-Control"]


def test_the_lock_lifts_after_fifteen_minutes(client, cast):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail(client, "staff", 5)
        clock.shift(dt.timedelta(minutes=14))
        assert sign_in(client, "staff", PASSWORD).status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        assert sign_in(client, "staff", PASSWORD).status_code == 302


def test_the_lock_is_per_account_and_address(client, cast):
    fail(client, "staff", 5)

    assert sign_in(client, "staff", PASSWORD, REMOTE_ADDR=OTHER_IP).status_code == 302
    client.logout()
    assert sign_in(client, "chairman", PASSWORD).status_code == 302


# docs/deployment.md: behind nginx, AXES_CLIENT_IP_HEADERS=HTTP_X_REAL_IP,REMOTE_ADDR.
BEHIND_NGINX = {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_REAL_IP", "REMOTE_ADDR")}


def test_behind_the_proxy_one_clients_lockout_leaves_another_client_signing_in(client, cast, settings):
    for name, value in BEHIND_NGINX.items():
        setattr(settings, name, value)
    # nginx sets X-Real-IP to the address it saw (a client's own X-Real-IP is overwritten); the portal
    # itself is reached from 127.0.0.1. Two offices of the town's intranet:
    first, second = {"HTTP_X_REAL_IP": "10.8.1.21"}, {"HTTP_X_REAL_IP": "10.8.2.34"}

    *_, fifth = fail(client, "staff", 5, **first)

    assert fifth.status_code == 429
    assert sign_in(client, "staff", PASSWORD, **first).status_code == 429
    assert sign_in(client, "staff", PASSWORD, **second).status_code == 302
    assert AccessAttempt.objects.get(username="staff").ip_address == "10.8.1.21"
    assert AuditEvent.objects.filter(username="staff", action=AuditAction.LOGIN).latest("at").ip == "10.8.2.34"


def test_without_a_trusted_proxy_forged_address_headers_change_nothing(client, cast):
    fail(client, "staff", 5, HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_X_REAL_IP="203.0.113.5")

    # The lock is on the address the request came from, whatever the headers claim.
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "HTTP_X_REAL_IP": "198.51.100.7"}
    assert sign_in(client, "staff", PASSWORD, **forged).status_code == 429
    assert AccessAttempt.objects.get(username="staff").ip_address == "127.0.0.1"
    assert set(
        AuditEvent.objects.filter(username="staff", action=AuditAction.LOGIN_FAILED).values_list("ip", flat=True)
    ) == {"127.0.0.1"}


def test_every_attempt_is_recorded(client, cast):
    fail(client, "staff", 3)
    sign_in(client, "staff", PASSWORD)

    assert AccessFailureLog.objects.filter(username="staff").count() == 3
    assert AccessLog.objects.filter(username="staff", ip_address="127.0.0.1").count() == 1
    # A success resets the count of failures in a row.
    assert not AccessAttempt.objects.filter(username="staff").exists()


def test_an_unknown_account_is_locked_like_a_real_one(client, cast):
    """The lockout must not tell an attacker which user names exist."""
    responses = fail(client, "nobody", 5)

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]


# Session id


def test_signing_in_gives_a_new_session_id(client, cast):
    anonymous = client.session
    anonymous["visited"] = True
    anonymous.save()
    before = anonymous.session_key
    client.cookies["sessionid"] = before

    sign_in(client, "staff", PASSWORD)

    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()


# The `next` parameter never leads off the site

HOSTILE_NEXT = [
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https://evil.example/",
    "http://evil.example/congress/",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " //evil.example/",
    "/%2F/evil.example/",
    "https:evil.example",
    "data:text/html,<script>alert(1)</script>",
    "ftp://evil.example/",
    "///evil.example/",
]


def stays_on_the_site(location: str) -> bool:
    """A path on this host: no scheme, no host, and nothing a browser reads as one (// or /\\)."""
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and location.startswith("/") and location[1:2] not in ("/", "\\")


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_follows_next_off_the_site(client, cast, target):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD, "next": target})

    assert response.status_code == 302
    assert stays_on_the_site(response.url), response.url


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_signed_in_visit_to_the_login_page_never_follows_next_off_the_site(client, cast, target):
    client.force_login(cast.staff)

    response = client.get(reverse("login"), {"next": target})

    assert response.status_code == 302
    assert stays_on_the_site(response.url), response.url


@pytest.mark.parametrize("location", ["//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:x"])
def test_the_on_site_check_itself_refuses_off_site_locations(location):
    assert not stays_on_the_site(location)


def test_sign_in_follows_next_within_the_site(client, cast):
    target = reverse("congress:village_list")

    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD, "next": target})

    assert response.url == target


def test_the_login_page_escapes_a_hostile_next(client, db):
    html = client.get(reverse("login"), {"next": '"><script>alert(1)</script>'}).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


# Idle and absolute timeouts


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def signed_in_client(client, user):
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    return client


def test_signing_in_starts_both_clocks(client, cast, clock):
    signed_in_client(client, cast.staff)

    assert client.session[SIGNED_IN_AT] == client.session[LAST_SEEN_AT] == timezone.now().timestamp()


def test_thirty_idle_minutes_sign_the_user_out(client, cast, clock):
    signed_in_client(client, cast.staff)
    clock.shift(dt.timedelta(minutes=31))

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_login_page_says_why_the_user_was_signed_out(client, cast, clock):
    signed_in_client(client, cast.staff)
    clock.shift(dt.timedelta(minutes=31))

    response = client.get(reverse("home"), follow=True)

    assert "长时间未操作" in response.content.decode()


def test_activity_keeps_the_session_alive(client, cast, clock):
    signed_in_client(client, cast.staff)
    for _ in range(4):
        clock.shift(dt.timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == 200


def test_twelve_hours_after_signing_in_the_session_ends_despite_activity(client, cast, clock):
    signed_in_client(client, cast.staff)
    for _ in range(28):  # 28 × 25 minutes = 11 h 40 min
        clock.shift(dt.timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == 200

    clock.shift(dt.timedelta(minutes=25))

    assert client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in client.session
