"""make screenshots works on a database of its own, never the developer's, and the pictures it made
are there for every page it photographs and every one the README shows."""

import re
from pathlib import Path

from scripts.key_pages import available
from scripts.screenshots import SCREENS, screenshot_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_screenshots_use_a_database_beside_the_configured_one():
    url = "postgres://postgres@127.0.0.1:5432/congress?connect_timeout=5"

    assert screenshot_database_url(url) == "postgres://postgres@127.0.0.1:5432/congress_screenshots?connect_timeout=5"


def test_screenshot_database_keeps_the_server_and_credentials():
    url = "postgres://office:secret@db.example:6543/renda"

    assert screenshot_database_url(url) == "postgres://office:secret@db.example:6543/renda_screenshots"


def test_screenshot_database_is_found_by_path_not_by_name_elsewhere_in_the_url():
    url = "postgres://congress@127.0.0.1:5432/congress"

    assert screenshot_database_url(url) == "postgres://congress@127.0.0.1:5432/congress_screenshots"


def test_every_photographed_key_page_has_its_phone_and_desktop_screenshot():
    folder = ROOT / "docs" / "screenshots"
    expected = {f"{page.slug}-{screen}.png" for page in available() if page.screenshot for screen in SCREENS}

    assert sorted(expected - {path.name for path in folder.glob("*.png")}) == [], "run `make screenshots`"


def test_the_readme_shows_screenshots_that_exist():
    shown = re.findall(r'<img src="(docs/screenshots/[^"]+)"', (ROOT / "README.md").read_text(encoding="utf-8"))

    assert len(shown) >= 10
    assert [name for name in shown if not (ROOT / name).is_file()] == []
