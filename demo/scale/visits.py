"""The register and the visits: households by COPY, then visits spread evenly over the period with their
deputies and the opinions heard on some, loaded without indexes and foreign keys, and the quota's
counters rebuilt from them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

from django.utils import timezone

from congress.models import VisitMethod
from demo.scale.base import Plan
from demo.scale.copying import copy_rows, loading, reset_sequences
from demo.town import PHONE_PREFIXES
from demo.visits import GIVEN, OPINIONS, STREETS, VOTERS
from demo.visits import SURNAMES as HOUSEHOLD_SURNAMES
from visits import tallies
from visits.models import DEFAULT_OPINION_CATEGORIES, Household, Opinion, Visit
from visits.pinyin import initials


def seed_households(plan: Plan) -> None:
    rng = plan.rng
    surnames = HOUSEHOLD_SURNAMES
    surname_initials = {s: initials(s) for s in surnames}
    given_initials = {g: initials(g) for g in GIVEN}
    created = timezone.now()
    next_id = 1

    def rows() -> Iterator[tuple[object, ...]]:
        nonlocal next_id
        for data in plan.towns:
            per_village = plan.scale.households_per_town // len(data.villages)
            extra = plan.scale.households_per_town - per_village * len(data.villages)
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
    copy_rows(Household, fields, rows(), total=plan.scale.households, label="households")
    reset_sequences([Household])


def seed_visits(plan: Plan) -> None:
    """Visits spread evenly over the days of the period, by deputies of the town; opinions on some."""
    rng, scale = plan.rng, plan.scale
    days = (plan.today - plan.start).days + 1
    per_town = [scale.visits // scale.towns] * scale.towns
    per_town[0] += scale.visits - sum(per_town)
    through = Visit.deputies.through
    deputy_links: list[tuple[int, int, int]] = []
    opinions: list[tuple[object, ...]] = []
    methods = [VisitMethod.HOUSEHOLD] * 15 + [VisitMethod.PHONE] * 2 + [VisitMethod.STATION] * 2 + [VisitMethod.FORUM]
    now = timezone.now()
    this_year = dt.date(plan.today.year, 1, 1)
    texts = {c: OPINIONS.get(c, ("希望改善村里的公共服务",)) for c in DEFAULT_OPINION_CATEGORIES}

    def rows() -> Iterator[tuple[object, ...]]:
        visit_id = 0
        link_id = 0
        opinion_id = 0
        for data, count in zip(plan.towns, per_town, strict=True):
            deputies = data.deputies
            village_ids = [v.pk for v in data.villages]
            constituency_village = {d.pk: data.constituency_villages[d.constituency_id][0].pk for d in deputies}
            for _ in range(count):
                visit_id += 1
                day = plan.start + dt.timedelta(days=rng.randrange(days))
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
                recorder = deputy.user_id if rng.random() < 0.7 else data.staff.pk
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
        _copy_visits(plan, rows(), deputy_links, opinions)
    tallies.rebuild()  # the quota's counters, as record_visit keeps them


def _copy_visits(
    plan: Plan,
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
        total=plan.scale.visits,
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
