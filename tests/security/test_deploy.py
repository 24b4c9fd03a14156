"""Production settings: `check --deploy` is clean and cookies and HSTS are as docs/security.md promises.

Settings are read once at start-up, so each check runs in a fresh process with production's environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key

pytestmark = pytest.mark.slow

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": get_random_secret_key(),
    "ALLOWED_HOSTS": "rendai.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://rendai.example.gov.cn",
}


def run(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **PRODUCTION, **(extra_env or {})}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests allow Django's ORM inside Playwright's event loop for this process only;
    # a production process never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR, timeout=120
    )


def test_check_deploy_finds_nothing_with_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_would_report_a_weakened_setting():
    """The check above can fail: turning HSTS off in production is reported."""
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", extra_env={"SECURE_HSTS_SECONDS": "0"})

    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


PRINT_SETTINGS = """
import json
from congress import settings as s
names = ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE",
         "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "X_FRAME_OPTIONS",
         "SECURE_CONTENT_TYPE_NOSNIFF", "SESSION_IDLE_TIMEOUT", "SESSION_ABSOLUTE_TIMEOUT"]
print(json.dumps({name: getattr(s, name) for name in names}))
"""


@pytest.fixture(scope="module")
def production_settings() -> dict[str, object]:
    result = run("-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_httponly_and_same_site(production_settings):
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_HTTPONLY"] is True
    assert production_settings["CSRF_COOKIE_SAMESITE"] == "Lax"


def test_production_is_https_only_with_hsts_for_a_year(production_settings):
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_keeps_the_session_timeouts(production_settings):
    assert production_settings["SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert production_settings["SESSION_ABSOLUTE_TIMEOUT"] == 12 * 60 * 60


def test_an_https_response_carries_hsts(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
