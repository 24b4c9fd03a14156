"""Demo records of the deputies' year, called by the demo loader.

`seed_demo_records` gives every demo town with an office account two years (last year and this year
up to today) of activities (履职活动: inspections, research, training for the first-term deputies,
group activities, lectures, reporting back and a year-end commendation), a roster of reception days
(接待日) at each liaison station on the 15th of every month, and a voter received on each past
reception day, whose opinion enters triage. Everything goes through the services; a town that
already has activities is left alone, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterable, Sequence
from typing import Protocol

from congress.models import Deputy, Town, User, Venue
from congress.roles import Role
from duty import services as svc
from duty.models import Activity
from visits.models import OpinionCategory
from visits.services import OpinionData

# (month, day, kind, title); titles follow the article's year of work.
PLAN: Sequence[tuple[int, int, str, str]] = (
    (3, 12, Activity.Kind.TRAINING, "新任代表履职培训"),
    (4, 8, Activity.Kind.INSPECTION, "视察乡村公路大修工程"),
    (4, 22, Activity.Kind.LECTURE, "民法典进村宣讲"),
    (5, 16, Activity.Kind.RESEARCH, "居家养老服务专题调研"),
    (6, 10, Activity.Kind.GROUP, "代表小组活动：听取村级事务汇报"),
    (6, 25, Activity.Kind.CHECK, "食品安全法执法检查"),
    (9, 9, Activity.Kind.TRAINING, "代表履职能力专题培训"),
    (9, 24, Activity.Kind.INSPECTION, "视察老旧小区综合整治"),
    (10, 20, Activity.Kind.REPORT_BACK, "代表向选民述职"),
    (11, 12, Activity.Kind.GROUP, "代表小组活动：走访联系选民"),
    (12, 20, Activity.Kind.COMMENDATION, "表彰优秀人大代表"),
)
VOTERS = ("王秀兰", "李建国", "张桂芳", "刘德华", "陈玉梅", "杨树林", "赵春花", "孙志强")


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


def seed_demo_records(*, towns: Iterable[Town], rng: random.Random, today: dt.date, stdout: Writer) -> None:
    """Add each town's activities, reception days and receptions of last year and this year."""
    for town in towns:
        staff = User.objects.filter(town=town, role=Role.STAFF, is_active=True).order_by("pk").first()
        if staff is None or Activity.objects.filter(town=town).exists():
            continue
        activities = receptions = 0
        for year in (today.year - 1, today.year):
            activities += _activities(town, staff, year, rng, today)
            receptions += _roster(town, staff, year, rng, today)
        stdout.write(f"{town}: {activities} activities, {receptions} receptions")


def _activities(town: Town, staff: User, year: int, rng: random.Random, today: dt.date) -> int:
    home = Venue.objects.filter(town=town, kind=Venue.Kind.HOME).first()
    made = 0
    for month, day, kind, title in PLAN:
        held_on = dt.date(year, month, day)
        if held_on > today:
            break
        deputies = list(Deputy.objects.filter(town=town).serving_on(held_on).order_by("pk"))
        if kind == Activity.Kind.TRAINING:
            chosen = [d for d in deputies if d.is_first_term and rng.random() < 0.85]
        elif kind == Activity.Kind.COMMENDATION:
            chosen = rng.sample(deputies, min(5, len(deputies)))
        elif kind == Activity.Kind.REPORT_BACK:
            chosen = [d for d in deputies if rng.random() < 0.6]
        else:
            chosen = rng.sample(deputies, min(len(deputies), rng.randint(6, 12)))
        svc.record_activity(
            by=staff,
            kind=kind,
            title=title,
            held_on=held_on,
            venue=home if kind in (Activity.Kind.TRAINING, Activity.Kind.COMMENDATION) else None,
            place="" if kind in (Activity.Kind.TRAINING, Activity.Kind.COMMENDATION) else town.name,
            participants=chosen,
            notes=f"{year}年{title}，参加代表{len(chosen)}名。",
        )
        made += 1
    return made


def _roster(town: Town, staff: User, year: int, rng: random.Random, today: dt.date) -> int:
    categories = list(OpinionCategory.objects.for_town(town).active())
    stations = list(Venue.objects.filter(town=town, kind=Venue.Kind.STATION, village__isnull=False))
    last_month = 12 if year < today.year else min(12, today.month + 1)  # this year: next month's roster too
    received = 0
    for station in stations:
        local = list(
            Deputy.objects.filter(town=town, constituency__villages=station.village).order_by("pk").distinct()
        ) or list(Deputy.objects.filter(town=town).order_by("pk"))
        for month in range(1, last_month + 1):
            day = dt.date(year, month, 15)
            serving = [d for d in local if d.is_serving_on(day)]
            if not serving:
                continue
            on_duty = rng.sample(serving, min(2, len(serving)))
            duty = svc.set_reception_duty(by=staff, venue=station, on_date=day, deputies=on_duty)
            if day > today or not categories:
                continue
            svc.record_reception(
                by=staff,
                duty=duty,
                idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                deputies=on_duty,
                voter_name=rng.choice(VOTERS),
                notes="接待日来访。",
                opinions=[_opinion(rng, categories)],
            )
            received += 1
    return received


def _opinion(rng: random.Random, categories: list[OpinionCategory]) -> OpinionData:
    texts = ("村里路灯坏了几盏，晚上出行不便。", "希望增加公交班次。", "老人看病报销手续繁琐。", "垃圾清运不及时。")
    return OpinionData(category=rng.choice(categories), text=rng.choice(texts))
