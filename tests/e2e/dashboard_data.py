"""A few records of 北房镇 for the dashboard's charts to draw in the browser tests (the demo's own visit
records take a minute to write): visits this year and last in four villages with opinions of two
categories, and a submitted suggestion."""

from __future__ import annotations

import datetime as dt

from congress.models import Deputy, Town, User
from tests.suggestions.factories import suggestion_in_state
from tests.visits.factories import HouseholdFactory, OpinionFactory, VisitFactory

# A canvas's PNG data URL with nothing drawn on it is a few hundred bytes; a drawn chart is kilobytes.
BLANK_PNG_LENGTH = 3000
# Pixels with any ink: a chart's axes, labels and marks cover far more than this.
MIN_INKED_PIXELS = 500
CHARTS = 6

CANVAS_SIZES = """() => Array.from(document.querySelectorAll('[data-chart]')).map(box => {
  const canvas = box.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) return [box.dataset.chart, 0, 0];
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) inked++; }
  return [box.dataset.chart, canvas.toDataURL('image/png').length, inked];
})"""


def blank_charts(page) -> list[str]:
    """Wait until every chart has its canvas; the keys of those left blank (sampled pixel by pixel)."""
    # ECharts adds each canvas, then sizes it: sample only once all are there with a size.
    page.wait_for_function(
        "n => { const c = [...document.querySelectorAll('[data-chart] canvas')];"
        " return c.length === n && c.every(e => e.width > 0 && e.height > 0); }",
        arg=CHARTS,
    )
    sizes = page.evaluate(CANVAS_SIZES)
    assert len(sizes) == CHARTS, sizes
    return [key for key, length, inked in sizes if length < BLANK_PNG_LENGTH or inked < MIN_INKED_PIXELS]


def add_visits_and_a_suggestion(today: dt.date) -> None:
    town = Town.objects.get(slug="beifang")
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
    suggestion_in_state("submitted", proposer=deputies[0], staff=staff, today=today)
