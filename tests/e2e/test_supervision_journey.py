"""Journey 3: the chairman (人大主席) on the office screen follows a red project and publishes a circular
(通报). The dashboard's charts are not part of this build yet; their part of the journey joins them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from supervision.models import Circular, LivelihoodProject
from tests.e2e.browser import DESKTOP, login, path_of

pytestmark = pytest.mark.usefixtures("demo_district_with_projects")


def test_chairman_follows_a_red_project_and_publishes_a_corrected_circular(new_page):
    page = new_page(**DESKTOP)
    login(page, "bf_chair")
    page.goto(reverse("supervision:project_list"))

    red = page.locator("main tbody tr", has=page.locator("td[data-light=red]")).first.locator("td a").first
    href = red.get_attribute("href")
    red.click()
    assert path_of(page.url) == href
    project = LivelihoodProject.objects.get(pk=re.search(r"/(\d+)/$", href).group(1))
    latest_review = project.reviews.recorded().order_by("-round__year", "-round__month").first()
    assert latest_review.light == "red"
    assert project.name in page.locator("main h1").inner_text()

    # The latest circular, as published.
    page.goto(reverse("supervision:circular_list"))
    latest = Circular.objects.filter(town__slug="beifang").order_by("-round__year", "-round__month").first()
    page.locator("main a", has_text=latest.title).first.click()
    assert path_of(page.url) == latest.get_absolute_url()
    assert not page.locator("main form[action$='/publish/']").count(), "a published circular is not published again"

    # The office corrects it with a new version (a draft); the chairman publishes the draft.
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

    page.locator("#circular-print").click()
    page.wait_for_url(re.compile(r"/print/$"))
    assert page.locator("h1").inner_text() == draft.title
    assert page.locator("#circular-lines tbody tr").count() == len(draft.content["lines"])
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible(), "the print button stays off the paper"
