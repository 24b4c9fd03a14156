"""Benchmark data at the scale of a town, a district or a large installation (`manage.py seed_scale`).

Rows are ones the portal itself could have made: every database constraint holds, and the rules the
services check (a household visit names a household of the visit's village, deputies serve on the day
they visit, a submitted suggestion has a number, an answered one a department) are kept by construction.
The big tables go in with PostgreSQL's COPY from an in-memory buffer; the small ones with bulk_create.
Only this module, the benchmark command and the benchmark script import it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from congress.models import AnnualPlan, Constituency, Department, Deputy, District, Town, User, Village, VisitMethod
from congress.roles import Role
from demo.town import DEPARTMENTS, EXPERTISE, GIVEN_NAMES, PHONE_PREFIXES, SURNAMES
from demo.visits import GIVEN, OPINIONS, STREETS, VOTERS
from demo.visits import SURNAMES as HOUSEHOLD_SURNAMES
from suggestions.models import (
    Suggestion,
    SuggestionAnswer,
    SuggestionCategory,
    SuggestionDepartment,
    SuggestionEvent,
    SuggestionProposer,
)
from suggestions.services import title_bigrams
from supervision.models import (
    Circular,
    Light,
    LightReason,
    LivelihoodProject,
    MonthlyTarget,
    ProjectReview,
    ReviewRound,
)
from visits import tallies
from visits.models import DEFAULT_OPINION_CATEGORIES, Household, Opinion, OpinionCategory, Visit
from visits.pinyin import initials

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


# --- Progress and COPY ---------------------------------------------------------------------------


class Progress:
    """One line per table on stderr: `visits  [########            ]  240000/600000  3.1 s`."""

    def __init__(self, label: str, total: int, out: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.out = out if out is not None else sys.stderr
        self.started = time.monotonic()
        self._drawn = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        step = self.done * 20 // self.total
        if step != self._drawn:
            self._drawn = step
            self._draw("\r")

    def finish(self) -> float:
        self.done = self.total
        seconds = time.monotonic() - self.started
        self._draw("\r", end="\n")
        return seconds

    def _draw(self, start: str, end: str = "") -> None:
        filled = min(20, self.done * 20 // self.total)
        seconds = time.monotonic() - self.started
        line = f"{self.label:<22} [{'#' * filled}{' ' * (20 - filled)}] {self.done:>9}/{self.total:<9} {seconds:6.1f} s"
        self.out.write(start + line + end)
        self.out.flush()


def _copy_text(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return _copy_text(json.dumps(value, ensure_ascii=False))
    return str(value)


def copy_rows(
    model: type[models.Model] | Any,
    fields: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    total: int,
    label: str | None = None,
) -> int:
    """COPY `rows` (tuples in the order of `fields`) into the model's table; fields left out get their
    model default. Returns the number of rows."""
    meta = model._meta
    given: list[Any] = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f.name not in fields and not (f.primary_key and "id" not in fields)]
    now = timezone.now()
    tail = tuple(_copy_text(now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
                            else f.get_default()) for f in rest)  # fmt: skip
    columns = ", ".join(f'"{f.column}"' for f in [*given, *rest])
    sql = f'COPY "{meta.db_table}" ({columns}) FROM STDIN'
    progress = Progress(label or meta.db_table, total)
    count = 0
    buffer = io.StringIO()
    in_buffer = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor for copy_expert

        def flush() -> None:
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
            buffer.seek(0)
            buffer.truncate()

        for row in rows:
            buffer.write("\t".join([*(_copy_text(v) for v in row), *tail]))
            buffer.write("\n")
            in_buffer += 1
            if in_buffer == COPY_CHUNK:
                flush()
                count += in_buffer
                progress.advance(in_buffer)
                in_buffer = 0
        if in_buffer:
            flush()
            count += in_buffer
    progress.finish()
    return count


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """After COPY with explicit ids, move each identity sequence past the largest id."""
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 (a model's table name)
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)',
                [table],
            )


@contextmanager
def loading(models_: Sequence[type[models.Model] | Any]) -> Iterator[None]:
    """Load the tables without their secondary indexes and foreign keys, then put them back.

    Rebuilding an index and validating a foreign key once over the whole table is many times faster
    than maintaining them row by row; the constraints are checked all the same when they come back,
    and the whole load is one transaction, so a failure leaves the tables as they were.
    """
    tables = [m._meta.db_table for m in models_]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype",
            [tables],
        )
        constraints = cursor.fetchall()  # foreign keys first, then unique constraints
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for _definition, name in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        progress = Progress("indexes, constraints", len(indexes) + len(constraints))
        for definition, _name in indexes:
            cursor.execute(definition)
            progress.advance()
        for table, name, definition, _kind in reversed(constraints):
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            progress.advance()
        progress.finish()


def bulk(model: type[models.Model], objs: list[Any], label: str | None = None) -> list[Any]:
    progress = Progress(label or model._meta.db_table, len(objs))
    created: list[Any] = []
    for start in range(0, len(objs), 2_000):
        created.extend(model.objects.bulk_create(objs[start : start + 2_000]))  # type: ignore[attr-defined]
        progress.advance(len(objs[start : start + 2_000]))
    progress.finish()
    return created


# --- The generator -------------------------------------------------------------------------------


@dataclass
class TownData:
    town: Town
    villages: list[Village]
    constituency_villages: dict[int, list[Village]]
    departments: list[Department]
    deputies: list[Deputy] = field(default_factory=list)
    staff: User | None = None
    categories: list[OpinionCategory] = field(default_factory=list)
    households_by_village: dict[int, list[int]] = field(default_factory=dict)


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
    def __init__(self, scale: Scale, *, today: dt.date, rng: random.Random) -> None:
        self.scale, self.today, self.rng = scale, today, rng
        self.first_year = today.year - scale.years + 1
        self.start = dt.date(self.first_year, 1, 1)
        self.password = make_password(PASSWORD)
        self.towns: list[TownData] = []
        self.seconds: dict[str, float] = {}

    def timed(self, name: str, step: Callable[[], None]) -> None:
        began = time.monotonic()
        step()
        self.seconds[name] = time.monotonic() - began

    def run(self) -> SeedReport:
        self.timed("reference", self.reference)
        self.timed("households", self.households)
        self.timed("visits", self.visits)
        self.timed("projects", self.projects)
        self.timed("suggestions", self.suggestions)
        with connection.cursor() as cursor:
            began = time.monotonic()
            # VACUUM as autovacuum would by then: index-only scans need the visibility map.
            cursor.execute("VACUUM ANALYZE")
            self.seconds["vacuum"] = time.monotonic() - began
        return SeedReport(self.scale, counts(), self.seconds)

    # Towns, villages, constituencies, departments, plans, accounts, deputies, categories.
    def reference(self) -> None:
        rng, scale = self.rng, self.scale
        district = District.objects.create(name="怀柔区" if scale.towns <= 30 else "基准区")
        towns = bulk(
            Town,
            [Town(district=district, name=f"第{i + 1:03d}镇", slug=f"bench-{i + 1:03d}") for i in range(scale.towns)],
            "towns",
        )
        villages = bulk(
            Village,
            [
                Village(town=t, name=f"{t.name}{v + 1:02d}村", kind="community" if v % 6 == 5 else "village")
                for t in towns
                for v in range(VILLAGES_PER_TOWN)
            ],
            "villages",
        )
        constituencies = bulk(
            Constituency,
            [
                Constituency(town=t, number=n + 1, name=f"第{n + 1}选区", seats=SEATS)
                for t in towns
                for n in range(CONSTITUENCIES_PER_TOWN)
            ],
            "constituencies",
        )
        by_town_villages: dict[int, list[Village]] = {}
        for v in villages:
            by_town_villages.setdefault(v.town_id, []).append(v)
        through = Constituency.villages.through
        links: list[Any] = []
        constituency_villages: dict[int, list[Village]] = {}
        for c in constituencies:
            own = by_town_villages[c.town_id]
            covered = [own[(c.number - 1) * VILLAGES_PER_TOWN // CONSTITUENCIES_PER_TOWN]]
            constituency_villages[c.pk] = covered
            links.extend(through(constituency_id=c.pk, village_id=v.pk) for v in covered)
        bulk(through, links, "constituency villages")
        departments = bulk(Department, [Department(town=t, name=name) for t in towns for name in DEPARTMENTS])
        bulk(
            AnnualPlan,
            [AnnualPlan(town=t, year=y) for t in towns for y in range(self.first_year, self.today.year + 1)],
        )
        bulk(
            OpinionCategory,
            [
                OpinionCategory(town=t, name=n, position=i)
                for t in towns
                for i, n in enumerate(DEFAULT_OPINION_CATEGORIES)
            ],
        )

        accounts: list[User] = [
            User(
                username="bench_district",
                full_name="区人大",
                role=Role.DISTRICT,
                district=district,
                password=self.password,
            )
        ]
        for i, t in enumerate(towns, start=1):
            accounts.append(
                User(username=f"bench_staff{i}", full_name="人大办", role=Role.STAFF, town=t, password=self.password)
            )
            accounts.append(
                User(
                    username=f"bench_chair{i}", full_name="人大主席", role=Role.CHAIRMAN, town=t, password=self.password
                )
            )
        # Deputies and their accounts: every deputy serves the whole period and may log in.
        deputy_rows: list[Deputy] = []
        by_town_constituencies: dict[int, list[Constituency]] = {}
        for c in constituencies:
            by_town_constituencies.setdefault(c.town_id, []).append(c)
        for t in towns:
            used: set[str] = set()
            for c in by_town_constituencies[t.pk]:
                for _ in range(SEATS):
                    gender = "F" if rng.random() < 0.3 else "M"
                    birth = rng.randint(1955, 1995)
                    names = GIVEN_NAMES[gender, "older" if birth < 1975 else "younger"]
                    name = rng.choice(SURNAMES) + rng.choice(names)
                    while name in used:
                        name = rng.choice(SURNAMES) + rng.choice(names) + rng.choice(GIVEN)
                    used.add(name)
                    deputy_rows.append(
                        Deputy(
                            town=t,
                            name=name,
                            gender=gender,
                            birth_year=birth,
                            phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
                            constituency=c,
                            term=18,
                            is_first_term=rng.random() < 0.4,
                            expertise=rng.choice(EXPERTISE),
                            served_from=self.start,
                        )
                    )
        deputy_users = [
            User(username=f"bench_deputy{i}", full_name=d.name, role=Role.DEPUTY, town=d.town, phone=d.phone,
                 password=self.password)
            for i, d in enumerate(deputy_rows, start=1)
        ]  # fmt: skip
        users = bulk(User, accounts + deputy_users, "users")
        for d, u in zip(deputy_rows, users[len(accounts) :], strict=True):
            d.user = u
        deputies = bulk(Deputy, deputy_rows, "deputies")

        departments_by_town: dict[int, list[Department]] = {}
        for dep in departments:
            departments_by_town.setdefault(dep.town_id, []).append(dep)
        staff = {u.town_id: u for u in accounts if u.role == Role.STAFF}
        categories: dict[int, list[OpinionCategory]] = {}
        for cat in OpinionCategory.objects.order_by("town_id", "position"):
            categories.setdefault(cat.town_id, []).append(cat)
        for t in towns:
            data = TownData(
                town=t,
                villages=by_town_villages[t.pk],
                constituency_villages=constituency_villages,
                departments=departments_by_town[t.pk],
                staff=staff[t.pk],
                categories=categories[t.pk],
            )
            data.deputies = [d for d in deputies if d.town_id == t.pk]
            self.towns.append(data)

    def households(self) -> None:
        rng = self.rng
        surnames = HOUSEHOLD_SURNAMES
        surname_initials = {s: initials(s) for s in surnames}
        given_initials = {g: initials(g) for g in GIVEN}
        created = timezone.now()
        next_id = 1

        def rows() -> Iterator[tuple[object, ...]]:
            nonlocal next_id
            for data in self.towns:
                per_village = self.scale.households_per_town // len(data.villages)
                extra = self.scale.households_per_town - per_village * len(data.villages)
                for index, village in enumerate(data.villages):
                    ids = data.households_by_village.setdefault(village.pk, [])
                    for number in range(1, per_village + (1 if index < extra else 0) + 1):
                        surname = rng.choice(surnames)
                        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
                        head = surname + given
                        head_initials = surname_initials[surname] + "".join(given_initials[g] for g in given)
                        address = f"{village.name}{rng.choice(STREETS)}{number}号"
                        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}" if rng.random() < 0.8 else ""
                        status = "resident" if rng.random() < 0.95 else "moved_out"
                        elderly = rng.random() < 0.05
                        ids.append(next_id)
                        yield (next_id, data.town.pk, village.pk, address, head, head_initials, phone,
                               rng.randint(1, 6), status, elderly, rng.random() < 0.03, created)  # fmt: skip
                        next_id += 1

        fields = ("id", "town", "village", "address", "head_name", "head_initials", "phone", "size", "status",
                  "lives_alone_elderly", "limited_mobility", "created_at")  # fmt: skip
        copy_rows(Household, fields, rows(), total=self.scale.households, label="households")
        reset_sequences([Household])

    def visits(self) -> None:
        """Visits spread evenly over the days of the period, by deputies of the town; opinions on some."""
        rng, scale = self.rng, self.scale
        days = (self.today - self.start).days + 1
        per_town = [scale.visits // scale.towns] * scale.towns
        per_town[0] += scale.visits - sum(per_town)
        through = Visit.deputies.through
        deputy_links: list[tuple[int, int, int]] = []
        opinions: list[tuple[object, ...]] = []
        methods = (
            [VisitMethod.HOUSEHOLD] * 15 + [VisitMethod.PHONE] * 2 + [VisitMethod.STATION] * 2 + [VisitMethod.FORUM]
        )
        now = timezone.now()
        this_year = dt.date(self.today.year, 1, 1)
        texts = {c: OPINIONS.get(c, ("希望改善村里的公共服务",)) for c in DEFAULT_OPINION_CATEGORIES}

        def rows() -> Iterator[tuple[object, ...]]:
            visit_id = 0
            link_id = 0
            opinion_id = 0
            for data, count in zip(self.towns, per_town, strict=True):
                deputies = data.deputies
                village_ids = [v.pk for v in data.villages]
                constituency_village = {d.pk: data.constituency_villages[d.constituency_id][0].pk for d in deputies}
                for _ in range(count):
                    visit_id += 1
                    day = self.start + dt.timedelta(days=rng.randrange(days))
                    deputy = rng.choice(deputies)
                    method = rng.choice(methods)
                    household: int | None = None
                    voter = ""
                    # Most visits are in the deputy's own constituency; some elsewhere in the town.
                    village = constituency_village[deputy.pk] if rng.random() < 0.7 else rng.choice(village_ids)
                    if method in (VisitMethod.HOUSEHOLD, VisitMethod.PHONE):
                        household = rng.choice(data.households_by_village[village])
                    elif method == VisitMethod.STATION and rng.random() < 0.5:
                        voter = rng.choice(VOTERS)
                    recorder = deputy.user_id if rng.random() < 0.7 else data.staff.pk  # type: ignore[union-attr]
                    key = uuid.UUID(int=rng.getrandbits(128), version=4)
                    yield (visit_id, data.town.pk, village, household, voter, day, method, "", recorder, now, key)
                    link_id += 1
                    deputy_links.append((link_id, visit_id, deputy.pk))
                    if rng.random() < 0.15:
                        other = rng.choice(deputies)
                        if other.pk != deputy.pk:
                            link_id += 1
                            deputy_links.append((link_id, visit_id, other.pk))
                    roll = rng.random()
                    n_opinions = 2 if roll < 0.08 else 1 if roll < 0.40 else 0
                    for _ in range(n_opinions):
                        opinion_id += 1
                        category = rng.choice(data.categories)
                        text = rng.choice(texts[category.name])
                        if day >= this_year:
                            status, reason = "new", ""
                        else:
                            status, reason = "answered", "已由责任单位答复"
                        urgency = "urgent" if rng.random() < 0.03 else "pressing" if rng.random() < 0.1 else "normal"
                        opinions.append((opinion_id, visit_id, category.pk, text, urgency, status, reason, None))

        with loading([Visit, through, Opinion]):
            self._copy_visits(rows(), deputy_links, opinions)
        tallies.rebuild()  # the quota's counters, as record_visit keeps them

    def _copy_visits(
        self,
        visits: Iterator[tuple[object, ...]],
        deputy_links: list[tuple[int, int, int]],
        opinions: list[tuple[object, ...]],
    ) -> None:
        through = Visit.deputies.through
        copy_rows(
            Visit,
            ("id", "town", "village", "household", "voter_name", "visited_on", "method", "notes", "recorded_by",
             "recorded_at", "idempotency_key"),
            visits,
            total=self.scale.visits,
            label="visits",
        )  # fmt: skip
        copy_rows(through, ("id", "visit", "deputy"), deputy_links, total=len(deputy_links), label="visit deputies")
        copy_rows(
            Opinion,
            ("id", "visit", "category", "text", "urgency", "status", "reason", "summary_item"),
            opinions,
            total=len(opinions),
            label="opinions",
        )
        reset_sequences([Visit, through, Opinion])

    def projects(self) -> None:
        """Each town's livelihood projects of its last years, with monthly targets, bimonthly review
        rounds, a review per project and round, and a published circular per round."""
        rng, today = self.rng, self.today
        years = max(1, self.scale.projects_per_town // PROJECTS_PER_YEAR)
        project_rows: list[LivelihoodProject] = []
        for data in self.towns:
            for offset in range(years):
                year = today.year - years + 1 + offset
                for position in range(1, PROJECTS_PER_YEAR + 1):
                    finished = year < today.year
                    project_rows.append(
                        LivelihoodProject(
                            town=data.town,
                            year=year,
                            position=position,
                            name=f"{year}年第{position}号民生实事：{rng.choice(data.villages).name}道路与环境提升",
                            content="改善村内道路、照明和环境卫生，年底前完成",
                            category=rng.choice(data.categories),
                            investment=Decimal(rng.randint(20, 800)),
                            funding_source="镇级财政",
                            lead_leader_name="副镇长",
                            lead_department=rng.choice(data.departments),
                            presidium_member=rng.choice(data.deputies),
                            start=dt.date(year, 3, 1),
                            deadline=dt.date(year, 12, 31),
                            deadline_text="年底前",
                            status=LivelihoodProject.Status.COMPLETED
                            if finished
                            else LivelihoodProject.Status.IN_PROGRESS,
                        )
                    )
        projects = bulk(LivelihoodProject, project_rows, "livelihood projects")
        by_town = {d.town.pk: d for d in self.towns}
        supervisors = LivelihoodProject.supervisors.through
        links = []
        for p in projects:
            for d in rng.sample(by_town[p.town_id].deputies, 3):
                links.append(supervisors(livelihoodproject_id=p.pk, deputy_id=d.pk))
        bulk(supervisors, links, "project supervisors")

        pace = {p.pk: rng.choice((0.8, 0.9, 1.0, 1.0, 1.05)) for p in projects}

        def planned(month: int) -> int:
            return min(100, round((month - 2) * 100 / 10))  # March 10 % ... December 100 %

        targets = []
        for p in projects:
            for month in range(3, 13):
                first = dt.date(p.year, month, 1)
                done = first < dt.date(today.year, today.month, 1)
                percent = min(100, round(planned(month) * pace[p.pk]))
                targets.append(
                    MonthlyTarget(
                        project=p,
                        month=first,
                        target=f"完成计划的{planned(month)}%",
                        planned_percent=planned(month),
                        reported_percent=percent if done else None,
                        progress_notes="按计划推进" if done else "",
                        reported_at=timezone.now() if done else None,
                    )
                )
        bulk(MonthlyTarget, targets, "monthly targets")

        rounds = []
        for data in self.towns:
            for year in {p.year for p in projects if p.town_id == data.town.pk}:
                for month in ROUND_MONTHS:
                    if dt.date(year, month, 1) <= today:
                        rounds.append(ReviewRound(town=data.town, year=year, month=month, opened_by=data.staff))
        rounds = bulk(ReviewRound, rounds, "review rounds")
        reviews = []
        projects_of: dict[tuple[int, int], list[LivelihoodProject]] = {}
        for p in projects:
            projects_of.setdefault((p.town_id, p.year), []).append(p)
        reviewed_at = timezone.now()
        lines_of: dict[int, list[dict[str, Any]]] = {}
        for r in rounds:
            for p in projects_of[r.town_id, r.year]:
                plan = planned(r.month)
                actual = min(100, round(plan * pace[p.pk]))
                gap = plan - actual
                light, reason = (
                    (Light.GREEN, LightReason.ON_TRACK) if gap < 5
                    else (Light.YELLOW, LightReason.BEHIND) if gap < 15
                    else (Light.RED, LightReason.FAR_BEHIND)
                )  # fmt: skip
                reviews.append(
                    ProjectReview(
                        round=r, project=p, planned_percent=plan, actual_percent=actual, quality="质量合格",
                        light=light, light_reason=reason, reviewed_by=r.opened_by, reviewed_at=reviewed_at,
                    )
                )  # fmt: skip
                lines_of.setdefault(r.pk, []).append(
                    {"project": p.name, "planned": plan, "actual": actual, "light": light, "reason": reason,
                     "previous_actual": None, "previous_light": "", "change": None}
                )  # fmt: skip
        bulk(ProjectReview, reviews, "project reviews")
        circulars = []
        for r in rounds:
            lines = lines_of.get(r.pk, [])
            summary = {
                light: sum(1 for line in lines if line["light"] == light) for light in ("green", "yellow", "red")
            }
            circulars.append(
                Circular(
                    town_id=r.town_id, round=r, title=f"{r.year}年{r.month}月民生实事项目调度通报",
                    content={"summary": summary, "lines": lines, "problems": []},
                    status=Circular.Status.PUBLISHED, drafted_by=r.opened_by, published_by=r.opened_by,
                    published_at=reviewed_at,
                )
            )  # fmt: skip
        bulk(Circular, circulars, "circulars")

    def suggestions(self) -> None:
        """Suggestions over the years: earlier years closed with a rated answer, this year at every stage."""
        rng, today = self.rng, self.today
        per_year = self.scale.suggestions_per_town // self.scale.years
        extra = self.scale.suggestions_per_town - per_year * self.scale.years
        categories = [c.value for c in SuggestionCategory]
        topics = (
            "关于改善{v}道路状况的建议",
            "关于{v}增设路灯的建议",
            "关于加强{v}垃圾分类管理的建议",
            "关于{v}老年餐桌建设的建议",
            "关于{v}农田灌溉设施维修的建议",
            "关于{v}停车秩序治理的建议",
        )
        current_states = ("draft", "submitted", "accepted", "declined", "assigned", "answered", "closed", "closed")
        rows: list[Suggestion] = []
        extras: list[tuple[Department, Department | None, str]] = []
        for data in self.towns:
            for offset in range(self.scale.years):
                year = self.first_year + offset
                n = per_year + (extra if offset == self.scale.years - 1 else 0)
                number = 0
                for _ in range(n):
                    state = "closed" if year < today.year else rng.choice(current_states)
                    proposer = rng.choice(data.deputies)
                    month = rng.randint(1, 12 if year < today.year else max(1, today.month - 1))
                    submitted = dt.datetime(year, month, rng.randint(1, 28), 10, tzinfo=dt.UTC)
                    title = rng.choice(topics).format(v=rng.choice(data.villages).name)
                    lead, co = rng.sample(data.departments, 2)
                    s = Suggestion(
                        town=data.town, year=year, proposer=proposer, entered_by=proposer.user,
                        title=title, category=rng.choice(categories), content="群众反映强烈，建议尽快解决。",
                        title_bigrams=title_bigrams(title), state=state,
                    )  # fmt: skip
                    if state != "draft":
                        number += 1
                        s.number, s.submitted_at = number, submitted
                    if state == "declined":
                        s.decline_reason = "属于一般意见，转交有关部门参考"
                    if state in ("assigned", "answered", "closed"):
                        s.lead_department = lead
                        assigned = submitted.date() + dt.timedelta(days=7)
                        s.assigned_on, s.due_on = assigned, assigned + dt.timedelta(days=90)
                    if state == "closed":
                        s.rating = rng.choice(("satisfied", "satisfied", "basically_satisfied"))
                        s.closed_on = min(today, assigned + dt.timedelta(days=100))
                    rows.append(s)
                    extras.append((lead, co if rng.random() < 0.3 else None, state))
        suggestions = bulk(Suggestion, rows, "suggestions")
        proposers, departments, answers, events = [], [], [], []
        by_town = {d.town.pk: d for d in self.towns}
        for s, (lead, second, state) in zip(suggestions, extras, strict=True):
            proposers.append(SuggestionProposer(suggestion=s, deputy_id=s.proposer_id, is_lead=True))
            if rng.random() < 0.2:
                joint = rng.choice(by_town[s.town_id].deputies)
                if joint.pk != s.proposer_id:
                    proposers.append(SuggestionProposer(suggestion=s, deputy=joint, is_lead=False))
            if state != "draft":
                events.append(SuggestionEvent(suggestion=s, actor_id=s.entered_by_id, at=s.submitted_at,
                                              action="submit", from_state="draft", to_state="submitted"))  # fmt: skip
            if state in ("assigned", "answered", "closed"):
                departments.append(SuggestionDepartment(suggestion=s, department=lead, is_lead=True))
                if second is not None:
                    departments.append(SuggestionDepartment(suggestion=s, department=second, is_lead=False))
            if state in ("answered", "closed"):
                answered = min(today, s.assigned_on + dt.timedelta(days=60))  # type: ignore[operator]
                closed = state == "closed"
                answers.append(
                    SuggestionAnswer(
                        suggestion=s, round=1, department=lead, text="已列入年度计划并组织实施。",
                        result_class=rng.choice("AAB"), due_on=s.due_on, answered_on=answered,
                        answered_by=by_town[s.town_id].staff, rating=s.rating if closed else "",
                        rated_on=s.closed_on if closed else None, rated_by_id=s.entered_by_id if closed else None,
                    )
                )  # fmt: skip
        bulk(SuggestionProposer, proposers, "suggestion proposers")
        bulk(SuggestionDepartment, departments, "suggestion departments")
        bulk(SuggestionAnswer, answers, "suggestion answers")
        bulk(SuggestionEvent, events, "suggestion events")


def seed(scale: Scale, *, today: dt.date | None = None, seed: int = SEED) -> SeedReport:
    """Fill an empty, migrated database with `scale`'s data."""
    generator = Generator(scale, today=today or timezone.localdate(), rng=random.Random(seed))  # noqa: S311 (reproducible data, not secrets)
    return generator.run()
