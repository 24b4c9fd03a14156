"""Benchmark data at the scale of a town, a district or a large installation (`manage.py seed_scale`).

Rows are ones the portal itself could have made: every database constraint holds, and the rules the
services check (a household visit names a household of the visit's village, deputies serve on the day
they visit, a submitted suggestion has a number, an answered one a department) are kept by construction.
The big tables go in with PostgreSQL's COPY from an in-memory buffer; the small ones with bulk_create.
Only this package, the benchmark command and the benchmark script import it.

The generator runs in steps, one module each: `reference` (towns, accounts, deputies, categories),
`visits` (the register, visits and opinions), `projects` (livelihood projects and their reviews) and
`suggestions`; `copying` loads the rows and `base` holds the sizes and the plan the steps share.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from congress.models import Deputy, Town, Village
from demo.scale.base import (
    CONSTITUENCIES_PER_TOWN,
    PASSWORD,
    PROJECTS_PER_YEAR,
    ROUND_MONTHS,
    SCALES,
    SEATS,
    SEED,
    VILLAGES_PER_TOWN,
    Plan,
    Scale,
    TownData,
)
from demo.scale.copying import COPY_CHUNK, Progress, bulk, copy_rows, loading, reset_sequences
from demo.scale.projects import seed_projects
from demo.scale.reference import seed_reference
from demo.scale.suggestions import seed_suggestions
from demo.scale.visits import seed_households, seed_visits
from suggestions.models import Suggestion
from supervision.models import LivelihoodProject, ProjectReview, ReviewRound
from visits.models import Household, Opinion, Visit

__all__ = [
    "CONSTITUENCIES_PER_TOWN",
    "COPY_CHUNK",
    "PASSWORD",
    "PROJECTS_PER_YEAR",
    "ROUND_MONTHS",
    "SCALES",
    "SEATS",
    "SEED",
    "VILLAGES_PER_TOWN",
    "Generator",
    "Plan",
    "Progress",
    "Scale",
    "SeedReport",
    "TownData",
    "bulk",
    "copy_rows",
    "counts",
    "loading",
    "reset_sequences",
    "seed",
]


@dataclass
class SeedReport:
    scale: Scale
    counts: dict[str, int]
    seconds: dict[str, float]

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def counts() -> dict[str, int]:
    """The row counts the issue states, read back from the database."""
    return {
        "towns": Town.objects.count(),
        "villages": Village.objects.count(),
        "deputies": Deputy.objects.count(),
        "households": Household.objects.count(),
        "visits": Visit.objects.count(),
        "opinions": Opinion.objects.count(),
        "projects": LivelihoodProject.objects.count(),
        "review_rounds": ReviewRound.objects.count(),
        "project_reviews": ProjectReview.objects.count(),
        "suggestions": Suggestion.objects.count(),
    }


class Generator:
    """The steps in order, each timed, then VACUUM ANALYZE; the report of what was made and how long."""

    def __init__(self, scale: Scale, *, today: dt.date, rng: random.Random) -> None:
        self.plan = Plan(scale=scale, today=today, rng=rng, password=make_password(PASSWORD))
        self.seconds: dict[str, float] = {}

    def timed(self, name: str, step: Callable[[Plan], None]) -> None:
        began = time.monotonic()
        step(self.plan)
        self.seconds[name] = time.monotonic() - began

    def run(self) -> SeedReport:
        self.timed("reference", seed_reference)
        self.timed("households", seed_households)
        self.timed("visits", seed_visits)
        self.timed("projects", seed_projects)
        self.timed("suggestions", seed_suggestions)
        with connection.cursor() as cursor:
            began = time.monotonic()
            # VACUUM as autovacuum would by then: index-only scans need the visibility map.
            cursor.execute("VACUUM ANALYZE")
            self.seconds["vacuum"] = time.monotonic() - began
        return SeedReport(self.plan.scale, counts(), self.seconds)


def seed(scale: Scale, *, today: dt.date | None = None, seed: int = SEED) -> SeedReport:
    """Fill an empty, migrated database with `scale`'s data."""
    generator = Generator(scale, today=today or timezone.localdate(), rng=random.Random(seed))  # noqa: S311 (reproducible data, not secrets)
    return generator.run()
