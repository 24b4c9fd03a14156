"""The sizes of the benchmark data (the issue's figures for a town, a district and a large installation),
and the plan every step of the generator reads: the scale, the day, the random source and the towns'
reference rows that the later steps build on."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from congress.models import Department, Deputy, Town, User, Village
from visits.models import OpinionCategory

SEED = 20261127
PASSWORD = "Bench-scale-2026"  # noqa: S105 (the benchmark database's shared password, like the demo's)
VILLAGES_PER_TOWN = 18
CONSTITUENCIES_PER_TOWN = 20  # three seats each: 60 deputies a town
SEATS = 3
PROJECTS_PER_YEAR = 10
ROUND_MONTHS = (4, 6, 8, 10, 12)  # every two months from the first month after the February vote
COPY_CHUNK = 50_000


@dataclass(frozen=True)
class Scale:
    """How much data: the issue's figures for a town, a district and a large installation."""

    name: str
    towns: int
    households_per_town: int
    years: int
    visits: int
    projects_per_town: int
    suggestions_per_town: int

    @property
    def deputies(self) -> int:
        return self.towns * CONSTITUENCIES_PER_TOWN * SEATS

    @property
    def villages(self) -> int:
        return self.towns * VILLAGES_PER_TOWN

    @property
    def households(self) -> int:
        return self.towns * self.households_per_town

    @property
    def projects(self) -> int:
        return self.towns * self.projects_per_town

    @property
    def suggestions(self) -> int:
        return self.towns * self.suggestions_per_town


SCALES = {
    "town": Scale("town", towns=1, households_per_town=3_000, years=2, visits=12_000, projects_per_town=20,
                  suggestions_per_town=300),
    "district": Scale("district", towns=20, households_per_town=3_000, years=5, visits=600_000, projects_per_town=20,
                      suggestions_per_town=300),
    "large": Scale("large", towns=100, households_per_town=3_000, years=5, visits=3_000_000, projects_per_town=20,
                   suggestions_per_town=300),
}  # fmt: skip


@dataclass
class TownData:
    """One generated town's reference rows, as the steps after the reference step use them."""

    town: Town
    villages: list[Village]
    constituency_villages: dict[int, list[Village]]
    departments: list[Department]
    staff: User  # the town's office account: it opens the review rounds and answers for the departments
    deputies: list[Deputy] = field(default_factory=list)
    categories: list[OpinionCategory] = field(default_factory=list)
    households_by_village: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class Plan:
    """What every step reads: the scale, the day the data ends on, the random source (one for the whole
    run, so a seed gives the same rows), the accounts' password hashed once, and the towns made so far."""

    scale: Scale
    today: dt.date
    rng: random.Random
    password: str
    towns: list[TownData] = field(default_factory=list)

    @property
    def first_year(self) -> int:
        return self.today.year - self.scale.years + 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)
