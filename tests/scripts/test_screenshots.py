"""make screenshots works on a database of its own, never the developer's."""

from scripts.screenshots import screenshot_database_url


def test_screenshots_use_a_database_beside_the_configured_one():
    url = "postgres://postgres@127.0.0.1:5432/congress?connect_timeout=5"

    assert screenshot_database_url(url) == "postgres://postgres@127.0.0.1:5432/congress_screenshots?connect_timeout=5"


def test_screenshot_database_keeps_the_server_and_credentials():
    url = "postgres://office:secret@db.example:6543/renda"

    assert screenshot_database_url(url) == "postgres://office:secret@db.example:6543/renda_screenshots"


def test_screenshot_database_is_found_by_path_not_by_name_elsewhere_in_the_url():
    url = "postgres://congress@127.0.0.1:5432/congress"

    assert screenshot_database_url(url) == "postgres://congress@127.0.0.1:5432/congress_screenshots"
