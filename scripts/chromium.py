"""Start Debian's Chromium under Playwright, for the browser tests and `make screenshots`.

Playwright's own browser download (`playwright install`) is never used: the machine's `chromium` package
is found on PATH (or named by CHROMIUM), so the portal is checked in the browser Debian ships and CI
installs with apt.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

# Quiet, headless and self-contained: no sandbox (CI runs as root), no GPU, nothing fetched from the
# internet by the browser itself.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--mute-audio",
    "--font-render-hinting=none",
)


def find_chromium() -> str | None:
    """The Chromium executable: $CHROMIUM if set, else `chromium` (Debian) or `chromium-browser` on PATH."""
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named) or (named if os.access(named, os.X_OK) else None)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright: Playwright, executable: str) -> Browser:
    """A headless Chromium from the given executable."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=list(LAUNCH_ARGS))
