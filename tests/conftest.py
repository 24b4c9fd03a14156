"""Fixtures shared by every test. Add project-wide fixtures here; app-specific ones go in that app's
tests/<app>/conftest.py."""

import contextlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """Compile the .po catalogues (the .mo files are not committed), so the Chinese UI works in a fresh
    clone. compilemessages skips catalogues whose .mo is already newer than the .po."""
    with contextlib.chdir(Path(settings.BASE_DIR)):
        call_command(
            "compilemessages",
            ignore_patterns=[".venv", ".data", ".git", "static", "node_modules"],
            verbosity=0,
        )
    # Django caches each language's catalogue on first use; the signal Django's own test tools send when
    # LOCALE_PATHS changes makes it forget any catalogue loaded before the .mo files existed.
    setting_changed.send(sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)
