"""Security headers: the Content Security Policy, framing, sniffing, referrer and caching of personal data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_scripts_come_only_from_the_site(client):
    policy = directives(client.get(reverse("login")))

    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_no_directive_allows_inline_code_or_eval(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]

    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_styles_come_only_from_the_sites_files_and_images_may_be_data_uris(client):
    policy = directives(client.get(reverse("login")))

    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]


def test_pages_cannot_be_framed(client):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


def test_content_types_are_not_sniffed_and_the_referrer_stays_on_the_site(client):
    response = client.get(reverse("login"))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_signed_in_page_is_never_stored(client, cast):
    client.force_login(cast.staff)

    for name in ("home", "congress:deputy_list", "congress:account_list"):
        cache_control = client.get(reverse(name))["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, name


def test_a_signed_in_redirect_is_never_stored_either(client, cast):
    client.force_login(cast.staff)

    assert "no-store" in client.get(reverse("favicon"))["Cache-Control"]


def test_anonymous_responses_are_left_to_their_views(client, db):
    assert not client.get(reverse("favicon")).has_header("Cache-Control")


def test_static_files_are_answered_before_the_no_store_rule():
    middleware = settings.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < middleware.index(
        "congress.middleware.NoStoreForSignedInUsersMiddleware"
    )


# The style policy, in the templates: no inline style attribute and no <style> element anywhere.

TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


def test_templates_are_found():
    assert len(TEMPLATE_FILES) > 10


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_an_inline_style(template):
    text = template.read_text(encoding="utf-8")

    assert not re.search(r"\sstyle\s*=", text, re.IGNORECASE), "move the style into static/css/portal.css"
    assert not re.search(r"<style[\s>]", text, re.IGNORECASE), "move the style into static/css/portal.css"
