"""The chairman's dashboard in a real browser: every chart draws on its canvas, with no console error,
and a tile opens the list behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.models import Deputy, Town, User
from tests.congress.factories_suggestions import suggestion_in_state
from tests.supervision.factories import LivelihoodProjectFactory, ProjectReviewFactory, ReviewRoundFactory
from tests.visits.factories import HouseholdFactory, OpinionFactory, VisitFactory

pytestmark = pytest.mark.usefixtures("demo_district")

# A canvas's PNG data URL with nothing drawn on it is a few hundred bytes; a drawn chart is kilobytes.
BLANK_PNG_LENGTH = 3000
CHARTS = 6

CANVAS_SIZES = """() => Array.from(document.querySelectorAll('[data-chart]')).map(box => {
  const canvas = box.querySelector('canvas');
  if (!canvas) return [box.dataset.chart, 0, 0];
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) inked++; }
  return [box.dataset.chart, canvas.toDataURL('image/png').length, inked];
})"""


@pytest.fixture
def beifang_records():
    """A few records of each kind in 北房镇, so every chart has something to draw (the full demo records
    take a minute to write)."""
    town = Town.objects.get(slug="beifang")
    today = timezone.localdate()
    staff = User.objects.get(username="bf_staff")
    deputies = list(Deputy.objects.filter(town=town).serving_on(today).order_by("pk")[:3])
    for i, village in enumerate(town.villages.order_by("pk")[:4]):
        household = HouseholdFactory(town=town, village=village)
        visit = VisitFactory(
            town=town,
            household=household,
            visited_on=today.replace(day=1),
            deputies=deputies[: 1 + i % 3],
            recorded_by=staff,
        )
        OpinionFactory(visit=visit, category__name=["交通出行", "饮水安全"][i % 2])
        VisitFactory(
            town=town, household=household, visited_on=today.replace(year=today.year - 1, day=1), recorded_by=staff
        )
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
    suggestion_in_state("submitted", proposer=deputies[0], staff=staff, today=today)


def test_chairmans_charts_draw_and_a_tile_opens_its_list(new_page, beifang_records):
    page = new_page(signed_in_as="bf_chair")
    response = page.goto(reverse("dashboard:town"))
    assert response is not None and response.status == 200
    page.wait_for_function(f"document.querySelectorAll('[data-chart] canvas').length === {CHARTS}")
    sizes = page.evaluate(CANVAS_SIZES)
    blank = [key for key, length, inked in sizes if length < BLANK_PNG_LENGTH or inked < 500]
    assert len(sizes) == CHARTS and not blank, f"charts left blank: {blank} ({sizes})"

    page.locator('[data-tile="coverage"]').click()
    page.wait_for_url("**/visits/households/**")
    assert "visited=" in page.url


def test_the_wall_display_draws_its_charts_too(new_page, beifang_records):
    page = new_page(signed_in_as="bf_chair", viewport={"width": 1920, "height": 1080})
    page.goto(reverse("dashboard:display"))
    page.wait_for_function(f"document.querySelectorAll('[data-chart] canvas').length === {CHARTS}")
    assert all(length >= BLANK_PNG_LENGTH for _key, length, _inked in page.evaluate(CANVAS_SIZES))
