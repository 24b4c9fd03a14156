"""Demo records of sessions and deputies' suggestions, called by the demo loader.

`seed_demo_records` gives every demo town the February and July sessions of last year and this
year (with attendance for those already held) and spreads about 80 suggestions over the towns
with an office account, in every state of their handling. Everything goes through the services,
so the records obey the same rules as real ones; only timestamps are moved back to the simulated
dates afterwards. It draws from the `rng` it is given, and a town that already has its sessions
or suggestions is left alone, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from congress.dates import add_months, add_working_days
from congress.models import Department, Deputy, Town, User
from congress.roles import Role
from sittings import services as session_svc
from sittings.models import AgendaItem, Attendance, BudgetLine, Session
from suggestions import services as svc
from suggestions.models import Suggestion, SuggestionEvent

TOTAL_SUGGESTIONS = 80
State = Suggestion.State


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


# Topics deputies raise in Huairou towns: (title after the village name, category, content, solution).
TOPICS: Sequence[tuple[str, str, str, str]] = (
    ("主街路灯不亮，建议安装路灯", "urban", "村主街夜间无照明，老人出行不便。", "安装太阳能路灯。"),
    ("村道破损严重，建议大修", "urban", "村道多处坑洼，雨天积水。", "列入乡村公路大修计划。"),
    ("建议增设垃圾分类投放点", "urban", "垃圾桶数量不足，分类投放不便。", "增设分类投放点并配备指导员。"),
    ("建议设立再生资源回收点", "urban", "废品随意堆放，影响环境。", "设立固定回收点，定期清运。"),
    ("老旧小区管线老化，建议改造", "urban", "水电气热管线老化，冬季供暖不稳。", "纳入老旧小区综合整治。"),
    ("背街小巷环境脏乱，建议整治", "urban", "小巷堆物占道，卫生死角多。", "开展背街小巷环境整治。"),
    ("建议为独居老人设置家庭养老床位", "civil", "独居老人多，照护力量不足。", "试点家庭养老照护床位。"),
    ("建议村卫生室纳入医保定点", "education", "村民看小病需到镇上报销。", "推动村卫生室接入医保结算。"),
    ("幼儿园学位紧张，建议扩容", "education", "适龄儿童增多，入园难。", "扩建镇中心幼儿园。"),
    ("建议增开公交班次", "commerce", "早晚高峰公交间隔过长。", "协调增开高峰班次。"),
    ("农田灌溉渠道淤堵，建议清淤", "agriculture", "灌溉渠淤积，影响春灌。", "春耕前组织清淤。"),
    ("建议加强农产品销售渠道建设", "agriculture", "农产品销路窄，价格低。", "搭建线上线下销售平台。"),
    ("建议增加文体活动场所", "education", "村民缺少健身活动场地。", "利用闲置地建设健身广场。"),
    ("学校周边交通秩序混乱，建议整治", "commerce", "上下学时段车辆乱停。", "设置临时停车区和护学岗。"),
    ("建议扶持乡村民宿发展", "economy", "民宿经营缺乏规范指导。", "出台扶持政策并组织培训。"),
    ("建议规范村级财务公开", "civil", "村务公开不及时。", "按季度公开财务收支。"),
)
# By the agenda item's kind as stored (a plain string), so an item's `kind` looks its reporter up.
REPORTERS: dict[str, str] = {
    AgendaItem.Kind.GOVERNMENT_REPORT: "镇长",
    AgendaItem.Kind.CONGRESS_REPORT: "镇人大主席",
    AgendaItem.Kind.BUDGET_REPORT: "财政所所长",
    AgendaItem.Kind.LIVELIHOOD_PLAN: "分管副镇长",
    AgendaItem.Kind.HALF_YEAR_REPORT: "镇长",
    AgendaItem.Kind.DEPUTY_MAYOR_REPORT: "副镇长",
}
EXPENDITURE_CATEGORIES = ("一般公共服务支出", "农林水支出", "城乡社区支出", "社会保障和就业支出")

# The states the suggestions end in, in proportion (out of 16), so each appears at least once.
STATE_MIX: Sequence[str] = (
    State.DRAFT,
    State.SUBMITTED,
    State.ACCEPTED,
    State.DECLINED,
    State.ASSIGNED,
    State.ASSIGNED,
    State.ASSIGNED,  # overdue
    State.ANSWERED,
    State.TRACKING,
    State.TRACKING,
    State.REDO,
    State.CLOSED,
    State.CLOSED,
    State.CLOSED,
    State.CLOSED,
    "unrated",
)


def seed_demo_records(*, towns: Sequence[Town], rng: random.Random, today: dt.date, stdout: Writer) -> None:
    """Sessions of two years with attendance, and about 80 suggestions in every state."""
    with_office: list[tuple[Town, User]] = []
    for town in towns:
        office = _office(town)
        if office is None:
            stdout.write(f"{town}: no office account, no sessions or suggestions added")
            continue
        with_office.append((town, office))
        added = _seed_sessions(town, office, rng, today)
        stdout.write(f"{town}: {added} congress sessions added")
    sizes = [Deputy.objects.filter(town=t).serving_on(today).count() for t, _staff in with_office]
    total_deputies = sum(sizes) or 1
    for (town, office), size in zip(with_office, sizes, strict=True):
        if Suggestion.objects.filter(town=town).exists() or not size:
            continue
        count = max(len(STATE_MIX), round(TOTAL_SUGGESTIONS * size / total_deputies))
        _seed_suggestions(town, office, count, rng, today)
        stdout.write(f"{town}: {count} deputies' suggestions added")


def _office(town: Town) -> User | None:
    return User.objects.filter(town=town, role=Role.STAFF, is_active=True).order_by("pk").first()


# --- sessions ---------------------------------------------------------------------------------------


@transaction.atomic
def _seed_sessions(town: Town, office: User, rng: random.Random, today: dt.date) -> int:
    added = 0
    for year in (today.year - 1, today.year):
        for kind, month in ((Session.Kind.FEBRUARY, 2), (Session.Kind.JULY, 7)):
            if Session.objects.filter(town=town, year=year, kind=kind).exists():
                continue
            starts_on = dt.date(year, month, rng.randint(10, 20))
            session = session_svc.schedule_session(
                by=office,
                town=town,
                year=year,
                kind=kind,
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=1),
                place=f"{town.name}政府会议室",
            )
            added += 1
            _fill_agenda(session, rng, held=starts_on <= today)
            if starts_on <= today:
                statuses = {}
                for deputy_id in session_svc.deputies_in_office(session).values_list("pk", flat=True):
                    roll = rng.random()
                    statuses[deputy_id] = (
                        Attendance.Status.PRESENT
                        if roll < 0.9
                        else Attendance.Status.LEAVE
                        if roll < 0.97
                        else Attendance.Status.ABSENT
                    )
                session_svc.record_attendance(by=office, session=session, statuses=statuses)
    return added


def _fill_agenda(session: Session, rng: random.Random, *, held: bool) -> None:
    for item in session.items.all():
        item.reporter = REPORTERS.get(item.kind, "")
        item.document = f"{item.title}（{session.year}年）全文见会议材料。"
        if held:
            item.deliberation_opinions = "代表们认为报告实事求是，建议进一步细化民生投入、加强督促落实。"
            item.resolution = f"会议批准{item.title}。"
        item.save(update_fields=["reporter", "document", "deliberation_opinions", "resolution"])
        if item.kind == AgendaItem.Kind.BUDGET_REPORT:
            _budget_figures(item, rng, july=session.kind == Session.Kind.JULY)


def _budget_figures(item: AgendaItem, rng: random.Random, *, july: bool) -> None:
    def amount(low: int, high: int) -> Decimal:
        return Decimal(rng.randint(low, high))

    lines = []
    parts = [amount(300, 1500) for _ in EXPENDITURE_CATEGORIES]
    last_parts = [p * Decimal(rng.uniform(0.85, 1.1)).quantize(Decimal("0.01")) for p in parts]
    for side, this_year, last_year in (
        (BudgetLine.Side.REVENUE, sum(parts) + amount(50, 300), sum(last_parts) + amount(50, 300)),
        (BudgetLine.Side.EXPENDITURE, sum(parts), sum(last_parts)),
    ):
        lines.append(
            BudgetLine(item=item, side=side, category="合计", is_total=True, last_year=last_year, this_year=this_year)
        )
    for category, this_year, last_year in zip(EXPENDITURE_CATEGORIES, parts, last_parts, strict=True):
        lines.append(
            BudgetLine(
                item=item,
                side=BudgetLine.Side.EXPENDITURE,
                category=category,
                last_year=last_year.quantize(Decimal("0.01")),
                this_year=this_year,
            )
        )
    for line in lines:
        line.last_year = Decimal(line.last_year).quantize(Decimal("0.01"))
        if july:
            line.executed_to_date = (line.this_year * Decimal(rng.uniform(0.4, 0.6))).quantize(Decimal("0.01"))
    BudgetLine.objects.bulk_create(lines)


# --- suggestions -----------------------------------------------------------------------------------


def _seed_suggestions(town: Town, office: User, count: int, rng: random.Random, today: dt.date) -> None:
    deputies = list(Deputy.objects.filter(town=town).serving_on(today).select_related("user").order_by("pk"))
    departments = list(Department.objects.filter(town=town, is_active=True).order_by("pk"))
    villages = list(town.villages.order_by("pk").values_list("name", flat=True)) or [town.name]
    if not departments:
        return
    for index in range(count):
        target = STATE_MIX[index % len(STATE_MIX)]
        overdue = target == State.ASSIGNED and index % len(STATE_MIX) == 6
        topic = TOPICS[index % len(TOPICS)]
        title = f"{villages[index % len(villages)]}{topic[0]}"
        with transaction.atomic():
            _one_suggestion(
                town,
                office,
                deputies,
                departments,
                rng,
                today,
                target=target,
                overdue=overdue,
                topic=topic,
                title=title,
            )


def _one_suggestion(
    town: Town,
    office: User,
    deputies: list[Deputy],
    departments: list[Department],
    rng: random.Random,
    today: dt.date,
    *,
    target: str,
    overdue: bool,
    topic: tuple[str, str, str, str],
    title: str,
) -> None:
    proposer = rng.choice(deputies)
    joint = rng.sample([d for d in deputies if d.pk != proposer.pk], k=min(rng.choice((0, 0, 1, 2)), len(deputies) - 1))
    writer = proposer.user or office
    stamps: dict[str, dt.date] = {}

    # Work backwards from the state it should end in, so each date lands where that state is plausible.
    if target in (State.ANSWERED,):
        answered_on = today - dt.timedelta(days=rng.randint(1, 10))
        assigned_on = answered_on - dt.timedelta(days=rng.randint(20, 60))
    elif target == "unrated":
        # Old enough that the 20 working days to rate it ended well before today.
        assigned_on = today - dt.timedelta(days=rng.randint(200, 330))
        answered_on = assigned_on + dt.timedelta(days=rng.randint(20, 85))
    elif target == State.ASSIGNED:
        assigned_on = today - dt.timedelta(days=rng.randint(130, 160) if overdue else rng.randint(5, 60))
        answered_on = today
    else:
        assigned_on = today - dt.timedelta(days=rng.randint(120, 330))
        answered_on = assigned_on + dt.timedelta(days=rng.randint(20, 85))
    submitted_on = assigned_on - dt.timedelta(days=rng.randint(7, 20))

    s = svc.save_draft(
        by=writer,
        town=town,
        proposer=proposer,
        joint_proposers=joint,
        data=svc.SuggestionData(
            title=title, category=topic[1], content=topic[2], reasons="群众反映强烈。", proposed_solution=topic[3]
        ),
        today=submitted_on,
    )
    stamps["draft"] = submitted_on - dt.timedelta(days=1)
    if target == State.DRAFT:
        return _backdate(s, stamps)
    s = svc.submit_suggestion(by=writer, suggestion=s, today=submitted_on)
    stamps["submit"] = submitted_on
    if target == State.SUBMITTED:
        return _backdate(s, stamps)
    if target == State.DECLINED:
        svc.decline_suggestion(by=office, suggestion=s, reason="属于个人诉求，已转相关部门作为意见处理。")
        stamps["decline"] = submitted_on + dt.timedelta(days=3)
        return _backdate(s, stamps)
    s = svc.accept_suggestion(by=office, suggestion=s)
    stamps["accept"] = submitted_on + dt.timedelta(days=3)
    if target == State.ACCEPTED:
        return _backdate(s, stamps)
    lead = rng.choice(departments)
    co = rng.sample([d for d in departments if d.pk != lead.pk], k=min(rng.choice((0, 1)), len(departments) - 1))
    s = svc.assign_suggestion(by=office, suggestion=s, lead_department=lead, co_departments=co, assigned_on=assigned_on)
    stamps["assign"] = assigned_on
    if rng.random() < 0.1 and not overdue:
        latest = add_months(assigned_on, svc.plan_for(s).suggestion_reply_max_months)
        s = svc.extend_deadline(by=office, suggestion=s, due_on=latest, reason="涉及跨部门协调，需延期答复。")
        stamps["extend"] = assigned_on + dt.timedelta(days=30)
    if target == State.ASSIGNED:
        if rng.random() < 0.3:
            svc.flag_for_supervision(by=_chairman(town) or office, suggestion=s, notes="群众反映集中，列为督办件。")
            stamps["supervise"] = assigned_on + dt.timedelta(days=7)
        return _backdate(s, stamps)
    answerer = lead.users.filter(role=Role.DEPARTMENT, is_active=True).first() or office
    classes_for: dict[str, tuple[str, ...]] = {State.TRACKING: ("B", "C"), State.CLOSED: ("A", "A", "A", "D")}
    result_class = rng.choice(classes_for.get(target, ("A", "B", "C", "D")))
    svc.answer_suggestion(
        by=answerer,
        suggestion=s,
        text=f"关于“{title}”：{topic[3]}已安排落实。",
        result_class=result_class,
        answered_on=answered_on,
    )
    stamps["answer"] = answered_on
    s.refresh_from_db()
    if target == State.ANSWERED:
        return _backdate(s, stamps)
    if target == "unrated":
        window_closed = add_working_days(answered_on, svc.RATING_WINDOW_WORKING_DAYS) + dt.timedelta(days=1)
        svc.record_unrated(suggestion=s, today=window_closed)
        stamps["unrated"] = window_closed
        return _backdate(s, stamps)
    rated_on = answered_on + dt.timedelta(days=rng.randint(3, 15))
    rater = proposer.user or office
    if target == State.REDO:
        s = svc.rate_answer(by=rater, suggestion=s, rating=Suggestion.Rating.UNSATISFIED, rated_on=rated_on)
        stamps["rate"] = rated_on
        if rng.random() < 0.5:
            svc.flag_for_supervision(by=_chairman(town) or office, suggestion=s, notes="答复不满意，督促重新办理。")
            stamps["supervise"] = rated_on + dt.timedelta(days=2)
        return _backdate(s, stamps)
    rating = rng.choice(
        (Suggestion.Rating.SATISFIED, Suggestion.Rating.SATISFIED, Suggestion.Rating.BASICALLY_SATISFIED)
    )
    s = svc.rate_answer(by=rater, suggestion=s, rating=rating, rated_on=rated_on)
    stamps["rate"] = rated_on
    return _backdate(s, stamps)


def _chairman(town: Town) -> User | None:
    return User.objects.filter(town=town, role=Role.CHAIRMAN, is_active=True).order_by("pk").first()


def _backdate(s: Suggestion, stamps: dict[str, dt.date]) -> None:
    """Move the history's timestamps to the simulated dates (the services stamp them with now)."""
    tz = timezone.get_current_timezone()

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(9, 30), tzinfo=tz)

    for event in SuggestionEvent.objects.filter(suggestion=s):
        if event.action in stamps:
            event.at = at(stamps[event.action])
            event.save(update_fields=["at"])
    if "submit" in stamps:
        Suggestion.objects.filter(pk=s.pk).update(submitted_at=at(stamps["submit"]))
