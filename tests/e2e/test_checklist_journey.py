"""The chairman opens the annual work checklist (年度工作清单) of the demo year and follows each line's
link to the records that justify it, in Chinese throughout."""

from __future__ import annotations

import io
import random
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.models import Town
from demo import keyworks as demo_keyworks
from demo import suggestions as demo_suggestions
from demo import supervision as supervision_demo

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def beifang_year(demo_district):
    """北房镇's sessions, suggestions, livelihood projects, review rounds and key works of the demo years."""
    town = Town.objects.get(slug="beifang")
    for seeder in (demo_suggestions, supervision_demo, demo_keyworks):
        seeder.seed_demo_records(towns=[town], rng=random.Random(1), today=timezone.localdate(), stdout=io.StringIO())
    return town


def test_the_chairman_follows_every_checklist_line_to_its_records(new_page, beifang_year):
    page = new_page(signed_in_as="bf_chair")
    year = timezone.localdate().year
    page.goto(f"{reverse('activities:checklist')}?year={year}")
    assert CJK.search(page.locator("main h1").inner_text())
    rows = page.locator("main table tbody tr")
    links = [
        (rows.nth(i).locator("td").first.inner_text(), rows.nth(i).locator("a").get_attribute("href"))
        for i in range(rows.count())
    ]
    assert links and all(href for _label, href in links), "every line links to its records"
    for label in ("科室评议", "执法检查", "重点监督事项"):
        assert any(label in text for text, _href in links), label
    for text, href in links:
        response = page.goto(href)
        assert response.ok, f"{text}: {href}"
        assert CJK.search(page.locator("main h1").first.inner_text()), f"{text}: {href}"
        assert urlsplit(page.url).path == urlsplit(href).path, f"{text} was sent elsewhere"
