"""The chairman's dashboard in a real browser: every chart draws on its canvas, with no console error,
and a tile opens the list behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.display_links import create_display_link
from congress.models import Town, User
from tests.e2e.dashboard_data import add_visits_and_a_suggestion, blank_charts
from tests.supervision.factories import LivelihoodProjectFactory, ProjectReviewFactory, ReviewRoundFactory

pytestmark = pytest.mark.usefixtures("demo_district")


@pytest.fixture
def beifang_records():
    """Visits, opinions and a suggestion in 北房镇, and two reviewed projects (one red), so every chart has
    something to draw."""
    town = Town.objects.get(slug="beifang")
    today = timezone.localdate()
    staff = User.objects.get(username="bf_staff")
    add_visits_and_a_suggestion(today)
    round_ = ReviewRoundFactory(town=town, year=today.year, month=1, opened_by=staff)
    for actual, light, reason in ((20, "red", "far_behind"), (50, "green", "on_track")):
        project = LivelihoodProjectFactory(
            town=town,
            year=today.year,
            lead_department__town=town,
            start=dt.date(today.year, 1, 1),
            deadline=dt.date(today.year, 12, 31),
        )
        ProjectReviewFactory(
            round=round_,
            project=project,
            planned_percent=50,
            actual_percent=actual,
            light=light,
            light_reason=reason,
            reviewed_at=timezone.now(),
        )


def test_chairmans_charts_draw_and_a_tile_opens_its_list(new_page, beifang_records):
    page = new_page(signed_in_as="bf_chair")
    response = page.goto(reverse("dashboard:town"))
    assert response is not None and response.status == 200
    assert not blank_charts(page)

    page.locator('[data-tile="coverage"]').click()
    page.wait_for_url("**/visits/households/**")
    assert "visited=" in page.url


def test_the_wall_display_draws_its_charts_too(new_page, beifang_records):
    _link, token = create_display_link(
        by=User.objects.get(username="bf_staff"), town=Town.objects.get(slug="beifang"), label="三楼会议室"
    )
    page = new_page(viewport={"width": 1920, "height": 1080})
    page.goto(reverse("display_wall", args=[token]))
    assert not blank_charts(page)
