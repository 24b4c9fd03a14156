"""Demo data: 怀柔区 with 北房镇 (modelled on the source article) and two smaller neighbouring towns.

Used only by `manage.py seed_demo`, which refuses to run with DEBUG off. Everything is drawn from a
fixed seed, so every run plans exactly the same rows; rows are keyed by their natural keys and only
missing ones are created, so running it again (``make run`` does at every start) duplicates nothing
and never undoes what someone changed while trying the demo.

The records of the other apps (households, visits, projects ...) come from the modules beside this
one, each with ``seed_demo_records(*, towns, rng, today, stdout)``; see `APP_SEEDERS`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from congress.models import (
    AnnualPlan,
    Constituency,
    Department,
    Deputy,
    District,
    Town,
    User,
    Venue,
    Village,
)
from congress.roles import Role

SEED = 20260215
DEMO_PASSWORD = "Huairou-demo-2026"  # noqa: S105 (shared demo password, printed by seed_demo)
TERM = 18  # 第十八届
TERM_STARTED = dt.date(2022, 1, 1)
DISTRICT_NAME = "怀柔区"

# The builders run after the core data, in this order (supervision reads visits): (the name of the
# builder's random stream, the app it fills, its module). The stream names are the ones the demo has
# always drawn from, so the demo town stays the same row for row.
APP_SEEDERS = (
    ("visits", "visits", "demo.visits"),
    ("congress.demo_suggestions", "congress", "demo.suggestions"),
    ("supervision", "supervision", "demo.supervision"),
    ("supervision.demo_keyworks", "supervision", "demo.keyworks"),
    ("congress.demo_activities", "congress", "demo.activities"),
)


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


# --- What the demo district looks like -----------------------------------------------------------


@dataclass(frozen=True)
class Vacancy:
    """A deputy who left office during the term, and when the successor (补选) took the seat."""

    constituency: int
    left_on: dt.date
    successor_from: dt.date


@dataclass(frozen=True)
class Station:
    village: str
    reception_days: str


@dataclass(frozen=True)
class TownSpec:
    name: str
    slug: str
    communities: tuple[str, ...]
    villages: tuple[str, ...]
    # One entry per constituency, numbered from 1: the villages it covers and the deputies it elects.
    constituencies: tuple[tuple[tuple[str, ...], int], ...]
    departments: tuple[str, ...]
    home_reception_days: str
    stations: tuple[Station, ...]
    vacancies: tuple[Vacancy, ...] = ()


DEPARTMENTS = (
    "党政办公室",
    "财政所",
    "农业农村办公室",
    "城乡建设办公室",
    "社会事业办公室",
    "民政科",
    "安全生产办公室",
    "综合行政执法队",
    "社区建设办公室",
    "经济发展办公室",
    "规划和自然资源所",
    "平安建设办公室",
)

BEIFANG = TownSpec(
    name="北房镇",
    slug="beifang",
    communities=("幸福东园社区", "裕华园社区"),
    # The first nine are the town's real villages; the other seven are plausible inventions.
    villages=(
        "北房村",
        "宰相庄村",
        "安各庄村",
        "胜利村",
        "梨园庄村",
        "新房子村",
        "黄吉营村",
        "小周各庄村",
        "郑家庄村",
        "韦里村",
        "驸马庄村",
        "大罗山村",
        "小罗山村",
        "南房村",
        "西房子村",
        "东庄村",
    ),
    constituencies=(
        (("幸福东园社区",), 3),
        (("幸福东园社区",), 3),
        (("幸福东园社区",), 2),
        (("裕华园社区",), 3),
        (("裕华园社区",), 2),
        (("北房村",), 3),
        (("北房村",), 3),
        (("宰相庄村",), 2),
        (("宰相庄村",), 2),
        (("安各庄村",), 3),
        (("胜利村",), 3),
        (("梨园庄村",), 2),
        (("梨园庄村",), 2),
        (("新房子村", "西房子村"), 3),
        (("黄吉营村",), 2),
        (("小周各庄村",), 3),
        (("郑家庄村",), 3),
        (("郑家庄村",), 1),
        (("韦里村",), 3),
        (("驸马庄村",), 2),
        (("大罗山村", "小罗山村"), 3),
        (("南房村",), 3),
        (("东庄村",), 2),
        (("胜利村",), 1),
        (("驸马庄村",), 1),
    ),
    departments=DEPARTMENTS,
    home_reception_days="每周四全天",
    stations=(
        Station("幸福东园社区", "每月5日"),
        Station("北房村", "每月10日"),
        Station("宰相庄村", "每月15日"),
        Station("安各庄村", "每月20日"),
        Station("梨园庄村", "每月25日"),
        Station("韦里村", "每周三上午"),
    ),
    vacancies=(
        Vacancy(constituency=7, left_on=dt.date(2023, 6, 30), successor_from=dt.date(2023, 11, 20)),
        Vacancy(constituency=19, left_on=dt.date(2024, 12, 31), successor_from=dt.date(2025, 4, 18)),
    ),
)

QIAOZI = TownSpec(
    name="桥梓镇",
    slug="qiaozi",
    communities=(),
    villages=("前桥梓村", "后桥梓村", "北宅村", "口头村", "平义分村", "东凤山村", "西凤山村", "一渡河村"),
    constituencies=(
        (("前桥梓村",), 3),
        (("前桥梓村",), 2),
        (("后桥梓村",), 3),
        (("后桥梓村",), 2),
        (("北宅村",), 3),
        (("北宅村",), 2),
        (("口头村",), 2),
        (("平义分村",), 3),
        (("东凤山村", "西凤山村"), 3),
        (("一渡河村",), 2),
    ),
    departments=DEPARTMENTS[:8],
    home_reception_days="每周二全天",
    stations=(Station("前桥梓村", "每月8日"), Station("北宅村", "每月18日")),
)

YANGSONG = TownSpec(
    name="杨宋镇",
    slug="yangsong",
    communities=("凤翔社区",),
    villages=("杨宋庄村", "仙台村", "耿辛庄村", "太平庄村", "四季屯村", "花园村", "安乐庄村"),
    constituencies=(
        (("凤翔社区",), 3),
        (("杨宋庄村",), 3),
        (("杨宋庄村",), 2),
        (("仙台村",), 3),
        (("耿辛庄村",), 3),
        (("太平庄村",), 2),
        (("四季屯村",), 2),
        (("花园村",), 2),
        (("安乐庄村",), 3),
        (("仙台村",), 2),
    ),
    departments=DEPARTMENTS[:8],
    home_reception_days="每周一全天",
    stations=(Station("杨宋庄村", "每月12日"), Station("仙台村", "每月22日")),
)

TOWNS = (BEIFANG, QIAOZI, YANGSONG)

# Names: common northern surnames; given names of the generation born before 1975, and after.
SURNAMES = "王李张刘赵杨陈孙马高郭于周吴徐田韩冯崔董史范贾邢宋任闫焦"
GIVEN_NAMES = {
    ("M", "older"): (
        "建国", "志刚", "海军", "永利", "国庆", "建华", "春生", "立新", "文明", "宝山", "振华", "德胜",
        "卫东", "树林", "广明", "玉林", "长青", "学军", "金山", "凤岐", "福来", "国强", "志军", "宏亮",
    ),
    ("M", "younger"): (
        "晓东", "立军", "洪波", "明远", "宏伟", "俊杰", "浩然", "鹏飞", "春雷", "海涛", "磊", "伟",
        "亮", "超", "建新", "志远", "晨阳", "子健", "宇航", "博文",
    ),
    ("F", "older"): (
        "秀英", "桂兰", "淑华", "玉梅", "凤霞", "秀兰", "玉珍", "淑芬", "桂琴", "丽华", "春兰", "素云",
    ),
    ("F", "younger"): (
        "丽娟", "春燕", "红梅", "海燕", "晓丽", "雪梅", "静", "敏", "婷婷", "慧敏", "艳红", "欣然",
    ),
}  # fmt: skip
EXPERTISE = ("建筑工程", "财务会计", "农业技术", "教育", "医疗卫生", "法律", "企业管理", "社区工作")
PHONE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "185", "186", "187", "188", "189",
)  # fmt: skip


# --- Drafts: what the rng decides, before anything touches the database ------------------------


@dataclass(frozen=True)
class DeputyDraft:
    name: str
    gender: str
    birth_year: int
    phone: str
    constituency: int
    is_first_term: bool
    expertise: str
    served_from: dt.date
    served_until: dt.date | None = None


@dataclass
class NameBook:
    """Hands out Chinese names that are unique within one town."""

    rng: random.Random
    used: set[str] = field(default_factory=set)

    def draw(self, gender: str, birth_year: int) -> str:
        generation = "older" if birth_year < 1975 else "younger"
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES[gender, generation])
            if name not in self.used:
                self.used.add(name)
                return name


def draft_deputy(
    rng: random.Random,
    names: NameBook,
    *,
    constituency: int,
    served_from: dt.date = TERM_STARTED,
    served_until: dt.date | None = None,
    first_term: bool | None = None,
    born: tuple[int, int] = (1955, 1995),
) -> DeputyDraft:
    gender = "F" if rng.random() < 0.3 else "M"
    birth_year = rng.randint(*born)
    areas = rng.sample(EXPERTISE, 2 if rng.random() < 0.2 else 1)
    return DeputyDraft(
        name=names.draw(gender, birth_year),
        gender=gender,
        birth_year=birth_year,
        phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
        constituency=constituency,
        is_first_term=rng.random() < 0.4 if first_term is None else first_term,
        expertise="、".join(areas),
        served_from=served_from,
        served_until=served_until,
    )


def draft_deputies(spec: TownSpec, rng: random.Random) -> list[DeputyDraft]:
    """Every deputy of the term: each constituency's serving deputies (as many as its seats), plus
    those who left office and the successors elected in their place."""
    names = NameBook(rng)
    vacancies = {v.constituency: v for v in spec.vacancies}
    drafts = []
    for number, (_villages, seats) in enumerate(spec.constituencies, start=1):
        vacancy = vacancies.get(number)
        serving = seats
        if vacancy is not None:
            drafts.append(draft_deputy(rng, names, constituency=number, served_until=vacancy.left_on))
            drafts.append(
                draft_deputy(
                    rng,
                    names,
                    constituency=number,
                    served_from=vacancy.successor_from,
                    first_term=True,
                    born=(1968, 1992),
                )
            )
            serving -= 1
        drafts.extend(draft_deputy(rng, names, constituency=number) for _ in range(serving))
    return drafts


# --- Writing the drafts: create what is missing, leave what exists -----------------------------


def ensure_town(spec: TownSpec, district: District, rng: random.Random) -> Town:
    """Create the town's reference data that is missing; return the town."""
    town, _ = Town.objects.get_or_create(slug=spec.slug, defaults={"district": district, "name": spec.name})

    Village.objects.bulk_create(
        [Village(town=town, name=name, kind=Village.Kind.COMMUNITY) for name in spec.communities]
        + [Village(town=town, name=name, kind=Village.Kind.VILLAGE) for name in spec.villages],
        ignore_conflicts=True,
    )
    villages = {v.name: v for v in town.villages.all()}

    constituencies = [
        Constituency(town=town, number=number, name=constituency_name(number, covered), seats=seats)
        for number, (covered, seats) in enumerate(spec.constituencies, start=1)
    ]
    existing = set(town.constituencies.values_list("number", flat=True))
    Constituency.objects.bulk_create([c for c in constituencies if c.number not in existing])
    by_number = {c.number: c for c in town.constituencies.all()}
    Through = Constituency.villages.through
    Through.objects.bulk_create(
        [
            Through(constituency_id=by_number[number].pk, village_id=villages[name].pk)
            for number, (covered, _seats) in enumerate(spec.constituencies, start=1)
            if number not in existing
            for name in covered
        ]
    )

    # Drafted whether or not the deputies exist, so the rng is in the same state on every run.
    drafts = draft_deputies(spec, rng)
    known = set(town.deputies.values_list("name", flat=True))
    Deputy.objects.bulk_create(
        [
            Deputy(
                town=town,
                constituency=by_number[d.constituency],
                term=TERM,
                name=d.name,
                gender=d.gender,
                birth_year=d.birth_year,
                phone=d.phone,
                is_first_term=d.is_first_term,
                expertise=d.expertise,
                served_from=d.served_from,
                served_until=d.served_until,
            )
            for d in drafts
            if d.name not in known
        ]
    )

    Department.objects.bulk_create(
        [Department(town=town, name=name) for name in spec.departments], ignore_conflicts=True
    )

    Venue.objects.bulk_create(
        [
            Venue(
                town=town,
                kind=Venue.Kind.HOME,
                name=f"{spec.name}人大代表之家",
                address=f"{spec.name}人民政府院内",
                reception_days=spec.home_reception_days,
            )
        ]
        + [
            Venue(
                town=town,
                kind=Venue.Kind.STATION,
                name=f"{station.village}代表联络站",
                village=villages[station.village],
                address=f"{station.village}{'居委会' if station.village.endswith('社区') else '村委会'}一层",
                reception_days=station.reception_days,
            )
            for station in spec.stations
        ],
        ignore_conflicts=True,
    )
    return town


def constituency_name(number: int, villages: Iterable[str]) -> str:
    return f"第{number}选区（{'、'.join(villages)}）"


def ensure_plans(towns: Iterable[Town], today: dt.date) -> None:
    """Last year's and this year's plan for every town, with the defaults of DOMAIN.md."""
    AnnualPlan.objects.bulk_create(
        [AnnualPlan(town=town, year=year) for town in towns for year in (today.year - 1, today.year)],
        ignore_conflicts=True,
    )


# --- Accounts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    town: str | None = None  # slug
    village: str | None = None
    department: str | None = None
    district: bool = False
    superuser: bool = False
    note: str = ""


ACCOUNTS = (
    DemoAccount("admin", "系统管理员", "", superuser=True, note="Django admin"),
    DemoAccount("bf_staff", "赵敏", Role.STAFF, town="beifang", note="人大办"),
    DemoAccount("bf_cadre", "李红梅", Role.VILLAGE_CADRE, town="beifang", village="北房村"),
    DemoAccount("bf_chair", "王建军", Role.CHAIRMAN, town="beifang", note="人大主席"),
    DemoAccount("bf_vice", "孙丽华", Role.CHAIRMAN, town="beifang", note="人大副主席"),
    DemoAccount("bf_agri", "马志强", Role.DEPARTMENT, town="beifang", department="农业农村办公室"),
    DemoAccount("hr_district", "陈立新", Role.DISTRICT, district=True, note="区人大"),
    DemoAccount("qz_staff", "杨晓东", Role.STAFF, town="qiaozi", note="人大办"),
)
# Beifang constituencies where one deputy has a login (a community, 北房村, 胜利村, and 韦里村 with its
# successor); only deputies born in 1965 or later get one: elderly deputies have none.
DEPUTY_ACCOUNT_CONSTITUENCIES = (1, 6, 11, 19)


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    scope: str
    full_name: str


def ensure_accounts(district: District, towns: dict[str, Town], today: dt.date) -> list[Login]:
    """Create the demo logins that are missing and link the deputy logins to their deputies."""
    password = None  # hashed once, only if an account has to be created

    def get_or_create(username: str, **fields: object) -> User:
        nonlocal password
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            user = User.objects.create(username=username, password=password, **fields)
        return user

    logins = []
    for account in ACCOUNTS:
        town = towns[account.town] if account.town else None
        fields: dict[str, object] = {
            "full_name": account.full_name,
            "role": account.role,
            "town": town,
            "village": town.villages.get(name=account.village) if town and account.village else None,
            "department": town.departments.get(name=account.department) if town and account.department else None,
            "district": district if account.district else None,
            "is_staff": account.superuser,
            "is_superuser": account.superuser,
        }
        get_or_create(account.username, **fields)
        where = town or (district if account.district else None)
        scope = " ".join(str(part) for part in (where, account.village, account.department, account.note) if part)
        logins.append(Login(account.username, account.role or "superuser", scope, account.full_name))

    beifang = towns[BEIFANG.slug]
    serving = beifang.deputies.serving_on(today).filter(birth_year__gte=1965).select_related("constituency")
    for index, number in enumerate(DEPUTY_ACCOUNT_CONSTITUENCIES, start=1):
        deputy = serving.filter(constituency__number=number).order_by("pk").first()
        if deputy is None:
            continue
        username = f"bf_deputy{index}"
        user = get_or_create(username, full_name=deputy.name, role=Role.DEPUTY, town=beifang, phone=deputy.phone)
        if deputy.user_id is None and not Deputy.objects.filter(user=user).exists():
            deputy.user = user
            deputy.save(update_fields=["user"])
        logins.append(Login(username, Role.DEPUTY, f"{beifang} {deputy.constituency.name}", user.full_name))
    return logins


# --- Putting it together -------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    towns: list[Town]
    logins: list[Login]


AppSeeder = Callable[..., None]


def app_seeders() -> list[tuple[str, AppSeeder]]:
    """The `seed_demo_records` functions of the builders whose app is installed, with their stream names."""
    return [
        (stream, importlib.import_module(module).seed_demo_records)
        for stream, app, module in APP_SEEDERS
        if apps.is_installed(app)
    ]


@transaction.atomic
def seed_demo(*, today: dt.date, stdout: Writer) -> SeedResult:
    """Create the demo district, its towns, plans and logins, then let the apps add their records."""
    rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
    district, _ = District.objects.get_or_create(name=DISTRICT_NAME)
    towns = [ensure_town(spec, district, rng) for spec in TOWNS]
    ensure_plans(towns, today)
    logins = ensure_accounts(district, {town.slug: town for town in towns}, today)
    for town in towns:
        stdout.write(
            f"{town}: {town.villages.count()} villages and communities, "
            f"{town.constituencies.count()} constituencies, "
            f"{town.deputies.serving_on(today).count()} deputies serving"
        )

    for label, seed_records in app_seeders():
        # Each app draws from its own stream, so one app's changes never reshuffle another's data.
        app_rng = random.Random(f"{SEED}-{label}")  # noqa: S311
        seed_records(towns=towns, rng=app_rng, today=today, stdout=stdout)
    return SeedResult(towns=towns, logins=logins)
