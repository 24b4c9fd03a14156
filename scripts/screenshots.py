#!/usr/bin/env python3
"""`make screenshots`: phone and desktop screenshots of the key pages into docs/screenshots/.

Works on a database of its own (`<name>_screenshots` next to DATABASE_URL's, recreated every run, so the
pictures never show someone's test data): migrates it, loads the demo district, starts the development
server on a free port, signs in as each demo role through the login form in Debian's Chromium and saves
`<page>-phone.png` (360×740 at 2×) and `<page>-desktop.png` (1366×900) for every page of
scripts/key_pages.py marked `screenshot=True`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import django
from playwright.sync_api import sync_playwright
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.chromium import find_chromium, launch  # noqa: E402
from scripts.run import DEFAULT_DATABASE_URL, connect_maintenance, database_settings, free_port  # noqa: E402

SCREENS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


def say(message: str) -> None:
    print(f"screenshots: {message}", flush=True)


def screenshot_database_url(url: str) -> str:
    """The same server as `url`, database `<name>_screenshots`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_screenshots"))


def recreate_database(url: str) -> None:
    name = database_settings(url)["NAME"]
    conn = connect_maintenance(url)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for_server(url: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("screenshots: the development server stopped while starting")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"screenshots: the development server did not answer at {url}")


def planned_pages() -> dict[str | None, list[tuple[str, str]]]:
    """(file stem, path) of each page to photograph, grouped by the login that opens it."""
    django.setup()
    # Imported once Django is set up: the list of key pages reads the apps' models at import.
    from scripts.key_pages import available

    by_login: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
    for page in available():
        url = page.url() if page.screenshot else None
        if url:
            by_login[page.username].append((page.slug, url))
    return by_login


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def photograph(base_url: str, out: Path, pages: dict[str | None, list[tuple[str, str]]]) -> list[Path]:
    # Imported here, like the key pages: planned_pages() has set Django up, which the demo's models need.
    from demo.town import DEMO_PASSWORD

    executable = find_chromium()
    if executable is None:
        raise SystemExit("screenshots: Chromium not found: sudo apt-get install chromium fonts-noto-cjk")
    saved = []
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        for screen, options in SCREENS.items():
            for username, targets in pages.items():
                context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
                page = context.new_page()
                if username:
                    sign_in(page, username, DEMO_PASSWORD)
                for slug, url in targets:
                    page.goto(url)
                    page.wait_for_load_state("networkidle")
                    path = out / f"{slug}-{screen}.png"
                    page.screenshot(path=str(path), animations="disabled", caret="hide")
                    saved.append(path)
                context.close()
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)

    database_url = screenshot_database_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "congress.settings",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    say(f"preparing {database_settings(database_url)['NAME']}")
    recreate_database(database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "seed_demo")

    port = free_port(8765)
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_server(f"{base_url}/accounts/login/", server)
        args.out.mkdir(parents=True, exist_ok=True)
        saved = photograph(base_url, args.out, planned_pages())
    finally:
        server.terminate()
        server.wait(timeout=10)
    say(f"{len(saved)} screenshots in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
