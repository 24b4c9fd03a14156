"""Demo records of the visits app: a household register, two years of visits with opinions, summary
items, pairs and mediation cases, so every visits page has something to show.

Called by `manage.py seed_demo` through demo.town. Deterministic: each town draws from its own
random stream seeded from the one passed in. Idempotent: households are keyed by village, address and
head; a town whose first demo visit exists already gets no further visits, pairs or cases.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from django.db import transaction

from congress.dates import add_months
from congress.models import Constituency, Department, Deputy, Town, User, VisitMethod
from congress.roles import Role
from visits import tallies
from visits.models import (
    Household,
    MediationCase,
    Opinion,
    OpinionCategory,
    Pairing,
    SummaryItem,
    TriageStep,
    Visit,
)
from visits.pinyin import initials

DEMO_NAMESPACE = uuid.UUID("6f1c3f4e-2b8a-4c55-9d51-7a0de6b1c2a9")
HOUSEHOLDS = {"beifang": 3000}
OTHER_TOWN_HOUSEHOLDS = 600

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛叶余潘杜"
    "戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂兰玉珍凤华建国志红金海春云燕荣淑林德福宝山树成永"
STREETS = ("东街", "西街", "南街", "北街", "中街", "前街", "后街", "新村路")
VOTERS = ("王先生", "李大姐", "张师傅", "刘阿姨", "陈大爷", "赵女士")

OPINIONS: dict[str, tuple[str, ...]] = {
    "交通出行": ("村口公交站没有候车亭，雨天等车不便", "进村道路坑洼，希望大修", "希望增开早班公交车"),
    "养老服务": ("希望村里办老年餐桌", "独居老人希望有人定期上门看看", "养老驿站活动太少"),
    "医疗卫生": ("村卫生室药品不全", "希望卫生室纳入医保报销", "希望定期组织义诊"),
    "生态环保": ("垃圾分类桶不够用", "河道有垃圾，夏天有异味", "希望设置可回收物交投点"),
    "便民服务": ("背街小巷没有路灯，晚上出行不安全", "希望村里有快递代收点", "自来水压力不足"),
    "住房": ("老旧小区水电气热管线老化", "房屋漏雨，希望帮助修缮"),
    "教育": ("幼儿园学位紧张", "希望放学后有托管服务"),
    "就业": ("希望组织技能培训", "农闲时希望有务工信息"),
    "农业农村": ("灌溉机井需要维修", "希望推广果树新品种"),
    "社会治安": ("路口缺少监控", "电动车被盗，希望加强巡逻"),
    "社会保障": ("咨询城乡居民养老保险缴费", "低保申请流程不清楚"),
    "食品安全": ("村口小卖部有过期食品",),
    "其他": ("希望村务公开更及时",),
}
DISPUTES = (
    "邻里之间因宅基地界线发生争执",
    "相邻两户因排水沟走向发生矛盾",
    "承包地边界纠纷",
    "家庭赡养老人费用分担分歧",
    "楼上漏水引发邻里矛盾",
    "停车位占用引发纠纷",
    "装修噪音扰民引发争执",
)


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


def seed_demo_records(*, towns: list[Town], rng: random.Random, today: dt.date, stdout: Writer) -> None:
    """Add the visits app's demo records to each town (see the module docstring)."""
    base = rng.getrandbits(32)
    for town in towns:
        town_rng = random.Random(f"{base}-{town.slug}")  # noqa: S311 (demo data)
        with transaction.atomic():
            _seed_town(town, town_rng, today, stdout)


def _key(town: Town, n: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{town.slug}:visit:{n}")


def _seed_town(town: Town, rng: random.Random, today: dt.date, stdout: Writer) -> None:
    households = _ensure_households(town, rng, today)
    if Visit.objects.filter(idempotency_key=_key(town, 0)).exists():
        stdout.write(f"{town}: {len(households)} households; visits already seeded")
        return
    recorder = (
        User.objects.filter(town=town, role=Role.STAFF).order_by("pk").first()
        or User.objects.filter(town=town).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if recorder is None:
        stdout.write(f"{town}: no account to record visits with; skipped")
        return
    categories = {c.name: c for c in OpinionCategory.objects.for_town(town)}
    in_town = Deputy.objects.filter(town=town)
    deputies = list(
        (in_town.serving_in_year(today.year - 1) | in_town.serving_in_year(today.year))
        .select_related("constituency")
        .prefetch_related("constituency__villages")
        .order_by("pk")
    )
    pools = _household_pools(town, deputies, households)
    pairs = _pairs(town, rng, today, deputies, pools)
    visits, credits = _visits(town, rng, today, deputies, pools, pairs, recorder)
    opinions = _opinions(rng, visits, categories)
    steps = _triage(town, rng, today, opinions, recorder)
    Opinion.objects.bulk_create(opinions, batch_size=2000)
    for step in steps:
        step.opinion_id = step.opinion.pk if step.opinion else None
    TriageStep.objects.bulk_create(steps, batch_size=2000)
    cases = _mediations(town, rng, today, deputies, recorder)
    stdout.write(
        f"{town}: {len(households)} households, {len(visits)} visits ({credits} deputy credits), "
        f"{len(opinions)} opinions, {len(pairs)} pairs, {cases} mediation cases"
    )


def _ensure_households(town: Town, rng: random.Random, today: dt.date) -> list[Household]:
    villages = list(town.villages.order_by("pk"))
    total = HOUSEHOLDS.get(town.slug, OTHER_TOWN_HOUSEHOLDS)
    rows = []
    for index in range(total):
        village = villages[index % len(villages)]
        number = index // len(villages) + 1
        if village.kind == village.Kind.COMMUNITY:
            address = f"{number // 24 + 1}号楼{number % 24 // 8 + 1}单元{number % 8 + 101}"
        else:
            address = f"{rng.choice(STREETS)}{number}号"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        roll = rng.random()
        status = (
            Household.Status.RESIDENT
            if roll < 0.95
            else Household.Status.MOVED_OUT
            if roll < 0.98
            else Household.Status.DEREGISTERED
        )
        rows.append(
            Household(
                town=town,
                village=village,
                address=address,
                head_name=name,
                head_initials=initials(name),
                phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.85 else "",
                size=rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)),
                status=status,
                # Left 1 to 30 months ago (without drawing from rng: the rest of the demo stays as it was),
                # within the plan's default retention of 36 months.
                left_on=None if status == Household.Status.RESIDENT else add_months(today, -(index % 30) - 1),
                lives_alone_elderly=rng.random() < 0.06,
                limited_mobility=rng.random() < 0.04,
            )
        )
    Household.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return list(Household.objects.filter(town=town).order_by("pk"))


def _household_pools(
    town: Town, deputies: Sequence[Deputy], households: Sequence[Household]
) -> dict[int, list[Household]]:
    """Each deputy visits the resident households of their constituency's villages."""
    by_village: dict[int, list[Household]] = defaultdict(list)
    for h in households:
        if h.status == Household.Status.RESIDENT:
            by_village[h.village_id].append(h)
    covered: dict[int, list[int]] = defaultdict(list)
    for constituency_id, village_id in (
        Constituency.villages.through.objects.filter(constituency__town=town)
        .order_by("pk")
        .values_list("constituency_id", "village_id")
    ):
        covered[constituency_id].append(village_id)
    everyone = [h for rows in by_village.values() for h in rows]
    return {d.pk: [h for v in covered[d.constituency_id] for h in by_village[v]] or everyone for d in deputies}


def _pairs(
    town: Town, rng: random.Random, today: dt.date, deputies: Sequence[Deputy], pools: dict[int, list[Household]]
) -> list[Pairing]:
    started = dt.date(today.year - 1, 3, 1)
    rows, taken = [], set()
    for deputy in deputies:
        if not deputy.is_serving_on(today) or not deputy.is_serving_on(started):
            continue
        vulnerable = [h for h in pools[deputy.pk] if h.is_vulnerable and h.pk not in taken]
        for household in rng.sample(vulnerable, min(len(vulnerable), rng.choice((1, 1, 2)))):
            taken.add(household.pk)
            rows.append(
                Pairing(
                    town=town,
                    deputy=deputy,
                    household=household,
                    started_on=started + dt.timedelta(days=rng.randrange(60)),
                    expected_every_days=30,
                )
            )
    return Pairing.objects.bulk_create(rows)


def _visits(
    town: Town,
    rng: random.Random,
    today: dt.date,
    deputies: Sequence[Deputy],
    pools: dict[int, list[Household]],
    pairs: Sequence[Pairing],
    recorder: User,
) -> tuple[list[Visit], int]:
    visits: list[Visit] = []
    credited: list[list[Deputy]] = []
    by_constituency: dict[int, list[Deputy]] = defaultdict(list)
    for d in deputies:
        by_constituency[d.constituency_id].append(d)
    diligence = {d.pk: rng.uniform(0.55, 1.35) for d in deputies}
    fallback = town.villages.order_by("pk").first()
    assert fallback is not None  # _ensure_households has just spread the town's households over its villages
    home_village = {d.pk: next(iter(d.constituency.villages.all()), fallback) for d in deputies}
    paired_by_deputy: dict[int, list[Pairing]] = defaultdict(list)
    for pair in pairs:
        paired_by_deputy[pair.deputy_id].append(pair)

    def add(day: dt.date, deputy: Deputy, method: str, household: Household | None, voter: str = "") -> None:
        team = [deputy]
        partners = [p for p in by_constituency[deputy.constituency_id] if p.pk != deputy.pk and p.is_serving_on(day)]
        if partners and rng.random() < 0.2:
            team.append(rng.choice(partners))
        village_id = household.village_id if household else home_village[deputy.pk].pk
        visits.append(
            Visit(
                town=town,
                village_id=village_id,
                household=household,
                voter_name=voter,
                visited_on=day,
                method=method,
                notes="",
                recorded_by=recorder,
                idempotency_key=_key(town, len(visits)),
            )
        )
        credited.append(team)

    for year in (today.year - 1, today.year):
        for month in range(1, 13):
            first = dt.date(year, month, 1)
            if first > today:
                break
            last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), today)
            for deputy in deputies:
                pool = pools[deputy.pk]
                if not pool:
                    continue
                count = max(0, round(rng.gauss(5.6, 1.5) * diligence[deputy.pk]))
                for _ in range(count):
                    day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
                    if not deputy.is_serving_on(day):
                        continue
                    roll = rng.random()
                    if roll < 0.7:
                        add(day, deputy, VisitMethod.HOUSEHOLD, rng.choice(pool))
                    elif roll < 0.8:
                        add(day, deputy, VisitMethod.PHONE, rng.choice(pool))
                    elif roll < 0.92:
                        if rng.random() < 0.4:
                            add(day, deputy, VisitMethod.STATION, None, rng.choice(VOTERS))
                        else:
                            add(day, deputy, VisitMethod.STATION, rng.choice(pool))
                    else:
                        add(day, deputy, VisitMethod.FORUM, None)
                for pair in paired_by_deputy[deputy.pk]:
                    # Most pairs are kept up; some fall behind so the overdue list has rows.
                    if pair.started_on <= last and rng.random() < (0.9 if pair.pk % 4 else 0.3):
                        day = max(pair.started_on, first + dt.timedelta(days=rng.randrange((last - first).days + 1)))
                        if deputy.is_serving_on(day):
                            add(day, deputy, VisitMethod.HOUSEHOLD, pair.household)
    # Village cadres' own visits, credited to no deputy.
    villages = list(town.villages.order_by("pk"))
    households_by_village: dict[int, list[Household]] = defaultdict(list)
    for pool in pools.values():
        for h in pool:
            households_by_village[h.village_id].append(h)
    for village in villages:
        for _ in range(6):
            if not households_by_village[village.pk]:
                break
            day = today - dt.timedelta(days=rng.randrange(700))
            visits.append(
                Visit(
                    town=town,
                    village=village,
                    household=rng.choice(households_by_village[village.pk]),
                    visited_on=day,
                    method=VisitMethod.HOUSEHOLD,
                    recorded_by=recorder,
                    idempotency_key=_key(town, len(visits)),
                )
            )
            credited.append([])
    Visit.objects.bulk_create(visits, batch_size=2000)
    through = Visit.deputies.through
    links = [through(visit_id=v.pk, deputy_id=d.pk) for v, team in zip(visits, credited, strict=True) for d in team]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    tallies.rebuild({link.deputy_id for link in links})  # bulk_create bypasses record_visit's counting
    return visits, len(links)


def _opinions(rng: random.Random, visits: Sequence[Visit], categories: dict[str, OpinionCategory]) -> list[Opinion]:
    names = list(OPINIONS)
    weights = [len(OPINIONS[n]) for n in names]
    rows = []
    for visit in visits:
        if visit.method == VisitMethod.PHONE or rng.random() > 0.35:
            continue
        for _ in range(rng.choice((1, 1, 1, 2))):
            name = rng.choices(names, weights)[0]
            rows.append(
                Opinion(
                    visit=visit,
                    category=categories[name],
                    text=rng.choice(OPINIONS[name]),
                    urgency=rng.choices(
                        [Opinion.Urgency.NORMAL, Opinion.Urgency.PRESSING, Opinion.Urgency.URGENT], [80, 15, 5]
                    )[0],
                )
            )
    return rows


def _triage(
    town: Town,
    rng: random.Random,
    today: dt.date,
    opinions: Sequence[Opinion],
    recorder: User,
) -> list[TriageStep]:
    """Summarise last year's opinions (not yet saved) by need into items and settle them; this year's
    stay mostly new. Returns the triage steps to save once the opinions have their ids."""
    departments = list(Department.objects.filter(town=town, is_active=True).order_by("pk"))
    groups: dict[tuple[int, str], list[Opinion]] = defaultdict(list)
    for opinion in opinions:
        if opinion.visit.visited_on.year < today.year or rng.random() < 0.3:
            groups[(opinion.visit.visited_on.year, opinion.text)].append(opinion)
    outcomes = [
        SummaryItem.Status.CANDIDATE,
        SummaryItem.Status.REFERRED,
        SummaryItem.Status.ANSWERED,
        SummaryItem.Status.CLOSED,
        SummaryItem.Status.OPEN,
    ]
    settled_reasons = {
        SummaryItem.Status.CANDIDATE: "群众反映集中，列入民生实事候选项目",
        SummaryItem.Status.REFERRED: "属职能部门职责，交相关科室办理",
        SummaryItem.Status.ANSWERED: "已向群众解释相关政策",
        SummaryItem.Status.CLOSED: "已纳入村级自主解决，予以办结",
    }
    steps = []
    for (year, text), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if len(members) < 2:
            continue
        status = rng.choice(outcomes) if year < today.year else SummaryItem.Status.OPEN
        if status == SummaryItem.Status.REFERRED and not departments:
            status = SummaryItem.Status.ANSWERED
        reason = settled_reasons.get(status, "")
        item = SummaryItem.objects.create(
            town=town,
            title=f"{year}年：{text}",
            category=members[0].category,
            status=status,
            reason=reason,
            department=rng.choice(departments) if status == SummaryItem.Status.REFERRED else None,
            created_by=recorder,
        )
        opinion_status = Opinion.Status.MERGED if status == SummaryItem.Status.OPEN else status
        for opinion in members:
            opinion.summary_item, opinion.status = item, opinion_status
            opinion.reason = reason or "同类诉求合并汇总"
            steps.append(
                TriageStep(opinion=opinion, summary_item=item, status="merged", reason="同类诉求合并汇总", by=recorder)
            )
        if reason:
            steps.append(
                TriageStep(summary_item=item, status=status, reason=reason, department=item.department, by=recorder)
            )
    return steps


def _mediations(town: Town, rng: random.Random, today: dt.date, deputies: Sequence[Deputy], recorder: User) -> int:
    villages = list(town.villages.order_by("pk"))
    cases, teams = [], []
    by_village: dict[int, list[Deputy]] = defaultdict(list)
    for deputy in deputies:
        for village in deputy.constituency.villages.all():
            by_village[village.pk].append(deputy)
    for _ in range(len(villages) * 3):
        village = rng.choice(villages)
        day = today - dt.timedelta(days=rng.randrange(700))
        age = (today - day).days
        outcome = (
            MediationCase.Outcome.IN_PROGRESS
            if age < 30 and rng.random() < 0.6
            else rng.choices([MediationCase.Outcome.RESOLVED, MediationCase.Outcome.TRANSFERRED], [85, 15])[0]
        )
        cases.append(
            MediationCase(
                town=town,
                village=village,
                occurred_on=day,
                dispute=rng.choice(DISPUTES),
                outcome=outcome,
                recorded_by=recorder,
            )
        )
        serving = [d for d in by_village[village.pk] if d.is_serving_on(day)]
        teams.append(rng.sample(serving, min(len(serving), rng.choice((1, 1, 2)))))
    MediationCase.objects.bulk_create(cases)
    through = MediationCase.deputies.through
    through.objects.bulk_create(
        [through(mediationcase_id=c.pk, deputy_id=d.pk) for c, team in zip(cases, teams, strict=True) for d in team]
    )
    return len(cases)
