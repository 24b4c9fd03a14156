import pytest
from django.core.exceptions import ImproperlyConfigured

from congress.settings import INSECURE_SECRET_KEY, check_production_settings


def test_debug_off_refuses_the_development_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        check_production_settings(debug=False, secret_key=INSECURE_SECRET_KEY, allowed_hosts=["portal.example"])


def test_debug_off_refuses_empty_allowed_hosts():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        check_production_settings(debug=False, secret_key="x" * 50, allowed_hosts=[])


def test_debug_off_accepts_real_values():
    check_production_settings(debug=False, secret_key="k3y-" * 12, allowed_hosts=["portal.example"])


def test_sessions_and_cache_live_in_postgresql(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_a_secret_key_starting_with_a_dollar_is_taken_verbatim():
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    key = "$" + "k3y-" * 12
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": key, "ALLOWED_HOSTS": "portal.example"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", "from congress import settings; print(settings.SECRET_KEY)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=django_settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key
