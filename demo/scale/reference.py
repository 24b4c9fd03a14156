"""The reference step: towns, villages, constituencies, departments, plans, accounts, deputies and the
opinion categories, each table in one bulk insert."""

from __future__ import annotations

from typing import Any

from congress.models import AnnualPlan, Constituency, Department, Deputy, District, Town, User, Village
from congress.roles import Role
from demo.scale.base import CONSTITUENCIES_PER_TOWN, SEATS, VILLAGES_PER_TOWN, Plan, TownData
from demo.scale.copying import bulk
from demo.town import DEPARTMENTS, EXPERTISE, GIVEN_NAMES, PHONE_PREFIXES, SURNAMES
from demo.visits import GIVEN
from visits.models import DEFAULT_OPINION_CATEGORIES, OpinionCategory


def seed_reference(plan: Plan) -> None:
    """Towns, villages, constituencies, departments, plans, accounts, deputies, categories; each town's
    rows go into `plan.towns` for the steps after."""
    rng, scale = plan.rng, plan.scale
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
        [AnnualPlan(town=t, year=y) for t in towns for y in range(plan.first_year, plan.today.year + 1)],
    )
    bulk(
        OpinionCategory,
        [OpinionCategory(town=t, name=n, position=i) for t in towns for i, n in enumerate(DEFAULT_OPINION_CATEGORIES)],
    )

    accounts: list[User] = [
        User(
            username="bench_district",
            full_name="区人大",
            role=Role.DISTRICT,
            district=district,
            password=plan.password,
        )
    ]
    for i, t in enumerate(towns, start=1):
        accounts.append(
            User(username=f"bench_staff{i}", full_name="人大办", role=Role.STAFF, town=t, password=plan.password)
        )
        accounts.append(
            User(username=f"bench_chair{i}", full_name="人大主席", role=Role.CHAIRMAN, town=t, password=plan.password)
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
                        served_from=plan.start,
                    )
                )
    deputy_users = [
        User(username=f"bench_deputy{i}", full_name=d.name, role=Role.DEPUTY, town=d.town, phone=d.phone,
             password=plan.password)
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
        plan.towns.append(data)
