"""Journey 3: the chairman (人大主席) on the office screen opens the dashboard, sees every chart drawn,
follows a red project from its tile, reads the latest circular (通报), publishes a draft one the office
prepared and opens its print view. Any console error on the way fails the journey (tests/e2e/conftest.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import Circular, LivelihoodProject
from tests.e2e.browser import DESKTOP, login, path_of
from tests.e2e.dashboard_data import add_visits_and_a_suggestion, blank_charts

pytestmark = pytest.mark.usefixtures("demo_district_with_projects")


@pytest.fixture
def beifang_visits():
    add_visits_and_a_suggestion(timezone.localdate())


def test_the_chairman_reads_the_dashboard_follows_a_red_project_and_publishes_a_circular(new_page, beifang_visits):
    page = new_page(**DESKTOP)
    login(page, "bf_chair")

    # The dashboard, from the home page: every chart draws on its canvas.
    page.get_by_role("link", name="查看图表").click()
    assert path_of(page.url) == reverse("dashboard:town")
    assert not blank_charts(page), "every chart draws"

    # The red projects' figure opens the list of red projects; the first opens the project.
    red_tile = page.locator('[data-tile="lights"] a.text-bg-danger')
    red_count = int(red_tile.get_attribute("data-value"))
    assert red_count > 0, "the demo town has red projects"
    red_tile.click()
    page.wait_for_url(re.compile(r"/supervision/projects/\?.*light=red"))
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(red_count)
    first = rows.first.locator("td a").first
    href = first.get_attribute("href")
    first.click()
    assert path_of(page.url) == href
    project = LivelihoodProject.objects.get(pk=re.search(r"/(\d+)/$", href).group(1))
    latest_review = project.reviews.recorded().order_by("-round__year", "-round__month").first()
    assert latest_review.light == "red"
    assert project.name in page.locator("main h1").inner_text()

    # The latest circular, as published.
    page.goto(reverse("supervision:circular_list"))
    latest = Circular.objects.filter(town__slug="beifang").order_by("-round__year", "-round__month", "-pk").first()
    page.locator("main a", has_text=latest.title).first.click()
    assert path_of(page.url) == latest.get_absolute_url()
    assert not page.locator("main form[action$='/publish/']").count(), "a published circular is not published again"

    # The office corrects it with a new version, a draft; the chairman publishes the draft.
    office = new_page(signed_in_as="bf_staff", **DESKTOP)
    office.goto(latest.get_absolute_url())
    office.locator("main form[action$='/correct/'] button").click()
    office.wait_for_url(lambda url: path_of(url) != latest.get_absolute_url())
    draft = Circular.objects.get(corrects=latest)
    assert draft.status == Circular.Status.DRAFT

    page.goto(reverse("supervision:circular_list"))
    page.locator(f"main a[href='{draft.get_absolute_url()}']").click()
    page.locator("main form[action$='/publish/'] button").click()
    expect(page.locator("main form[action$='/publish/']")).to_have_count(0)
    draft.refresh_from_db()
    assert (draft.status, draft.published_by.username) == (Circular.Status.PUBLISHED, "bf_chair")

    # Its print view: the circular's lines on paper, without the toolbar.
    page.locator("#circular-print").click()
    page.wait_for_url(re.compile(r"/print/$"))
    assert page.locator("h1").inner_text() == draft.title
    assert page.locator("#circular-lines tbody tr").count() == len(draft.content["lines"])
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible(), "the print button stays off the paper"
