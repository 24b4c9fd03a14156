"""Demo livelihood projects for `manage.py seed_demo`: last year's and this year's, reviewed every two
months with lights of every colour (one project recovers from red), circulars and problem records.

The February session of each year votes the candidates (demo.voting) when it was held.
Deterministic (the caller's random stream and `today`), idempotent (a town's year that already has
projects is left as it is, so nothing someone changed while trying the demo is undone) and written
through the services, so the demo obeys the same rules as the pages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from congress.models import AnnualPlan, Deputy, Town, User
from congress.roles import Role
from demo import voting as demo_voting
from supervision import services
from supervision.models import (
    LivelihoodProject,
    MeetingDecision,
    ProblemMeeting,
    ProjectProblem,
    ProjectReview,
    ReviewRound,
)
from supervision.schedule import PlannedMonth


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


# (name, content, funding source, preferred lead department): the kinds of project Huairou towns run.
KINDS = (
    (
        "{village}乡村公路大修",
        "大修{village}村内主路{n}公里，路面宽4.5米，同步完善排水边沟",
        "区级补助",
        "城乡建设办公室",
    ),
    ("{village}无灯道路安装路灯", "在{village}无灯道路安装太阳能路灯{n}0盏", "镇级财政", "城乡建设办公室"),
    ("{village}农村人居环境整治", "清理{village}积存垃圾、私搭乱建，绿化美化{n}处节点", "镇级财政", "农业农村办公室"),
    ("老旧小区综合改造", "改造小区水、电、气、热管线{n}公里，加装外墙保温", "市区补助", "城乡建设办公室"),
    ("{village}垃圾分类示范村创建", "在{village}配齐分类桶站{n}0处，建立入户指导员制度", "镇级财政", "农业农村办公室"),
    ("再生资源回收点建设", "新建再生资源回收点{n}处，覆盖全镇社区", "镇级财政", "综合行政执法队"),
    ("{village}背街小巷环境整治", "整治{village}背街小巷{n}条，规范停车和外立面", "镇级财政", "城乡建设办公室"),
    ("居家养老家庭照护床位", "为失能老人建设家庭照护床位{n}0张", "区级补助", "社会事业办公室"),
    ("村卫生室纳入医保定点", "推动{n}个村卫生室纳入医保定点，方便就近报销", "区级补助", "社会事业办公室"),
    ("新增幼儿园学位", "扩建镇中心幼儿园，新增学位{n}0个", "区级补助", "社会事业办公室"),
)

# How each project's progress goes against plan, by position (cycled): the lights it earns.
PROFILES = ("steady", "lagging", "recovering", "stuck", "overdue", "late", "steady", "steady")
ROUND_MONTHS_FROM = 4  # projects are adopted at the February session and start in March

# The meetings on a red project's problem: (days after the review, place, who took part, and the
# decisions as (what, who, due days after the review)).
MEETINGS: dict[str, tuple[int, str, str, tuple[tuple[str, str, int], ...]]] = {
    ProblemMeeting.Kind.ONSITE: (
        5,
        "项目现场",
        "分管副镇长、牵头单位、配合单位、监督代表",
        (
            ("牵头单位一周内拿出征地协调方案", "牵头单位负责人", 12),
            ("财政所提前拨付首笔资金", "财政所所长", 20),
        ),
    ),
    ProblemMeeting.Kind.CONSULTATION: (
        25,
        "镇政府会议室",
        "镇长、分管副镇长、人大主席团成员、相关部门负责人",
        (("调整施工时序，雨季前完成主体工程", "牵头单位负责人", 40),),
    ),
}


def seed_demo_records(*, towns: Iterable[Town], rng: random.Random, today: dt.date, stdout: Writer) -> None:
    """Add each town's livelihood projects of last year and this year, with their reviews and circulars."""
    for town in towns:
        for year in (today.year - 1, today.year):
            if LivelihoodProject.objects.filter(town=town, year=year).exists():
                continue
            count = _seed_year(town, year, rng, today)
            stdout.write(f"{town} {year}: {count} livelihood projects")


def _user(town: Town, *roles: str) -> User | None:
    for role in roles:
        user = User.objects.filter(town=town, role=role, is_active=True).order_by("pk").first()
        if user:
            return user
    return None


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _seed_year(town: Town, year: int, rng: random.Random, today: dt.date) -> int:
    staff = _user(town, Role.STAFF)
    chairman = _user(town, Role.CHAIRMAN, Role.STAFF)
    reporter = _user(town, Role.DEPARTMENT, Role.STAFF)
    villages = list(town.villages.filter(kind="village").values_list("name", flat=True)) or [town.name]
    departments = {d.name: d for d in town.departments.filter(is_active=True)}
    if not departments:
        return 0  # a project under way needs a lead department
    deputies = list(Deputy.objects.filter(town=town).serving_on(dt.date(year, 3, 1)).order_by("pk"))
    with_login = [d for d in deputies if d.user_id] or deputies
    size = 8 if town.villages.count() > 10 else 5

    projects: list[tuple[LivelihoodProject, str]] = []
    candidates: list[tuple[LivelihoodProject, str]] = []
    for i in range(size + 2):  # two more candidates than projects: 差额票决
        name, content, funding, lead = KINDS[(i + year) % len(KINDS)]
        village = villages[rng.randrange(len(villages))]
        profile = PROFILES[i % len(PROFILES)]
        deadline = _last_day(year, 8 if profile == "late" else rng.choice((9, 10, 11)))
        project = services.create_project(
            by=staff,
            town=town,
            year=year,
            position=i + 1,
            name=name.format(village=village),
            content=content.format(village=village, n=rng.randint(2, 9)),
            rationale="群众走访中反映集中",
            investment=Decimal(rng.randint(50, 4000)) / 10,
            funding_source=funding,
            lead_leader_name=rng.choice(("刘振华", "张立群", "周海涛")),
            lead_leader_title="副镇长",
            lead_department=departments.get(lead) or next(iter(departments.values()), None),
            presidium_member=deputies[i % len(deputies)] if deputies else None,
            start=dt.date(year, 3, 1),
            deadline=deadline,
            deadline_text=f"{deadline.month}月底前",
            supervisors=list({with_login[i % len(with_login)], deputies[(i * 7 + 3) % len(deputies)]})
            if deputies
            else [],
            cooperating_departments=[d for n, d in departments.items() if n in ("财政所", "规划和自然资源所")][:1],
        )
        candidates.append((project, profile))

    # The February session votes them (票决); the first `size` candidates are the ones adopted.
    adopted = candidates[:size]
    demo_voting.decide_candidates(
        town=town, year=year, candidates=[p for p, _ in candidates], adopt=[p for p, _ in adopted], by=staff
    )
    for project, profile in adopted:
        services.start_project(project=project, by=staff)
        services.save_targets(project=project, by=staff, rows=_with_texts(services.proposed_targets(project)))
        projects.append((project, profile))

    if staff is None:
        return size
    months = [m for m in AnnualPlan.objects.for_town_year(town, year).review_months if m >= ROUND_MONTHS_FROM]
    for month in months:
        if dt.date(year, month, 15) > today:
            break
        _review(
            town,
            year,
            month,
            projects,
            staff=staff,
            chairman=chairman,
            reporter=reporter or staff,
            settled=year < today.year,
        )
    for project, profile in projects:
        if year < today.year and profile == "stuck":
            services.terminate_project(project=project, by=staff, reason="用地手续未获批，调整至下一年度实施")
        elif year < today.year or (profile == "steady" and project.deadline < today):
            services.complete_project(project=project, by=staff)
    return size


def _with_texts(rows: list[PlannedMonth]) -> list[PlannedMonth]:
    stages = ("完成立项和设计", "完成招标", "开工建设", "主体施工", "主体完工", "收尾整改", "竣工验收")
    return [
        PlannedMonth(month=r.month, planned_percent=r.planned_percent, target=stages[min(i, len(stages) - 1)])
        for i, r in enumerate(rows)
    ]


def _actual(profile: str, planned: int, round_index: int) -> int:
    if profile == "lagging":
        return max(planned - 10, 0)
    if profile == "recovering":
        return max(planned - 20, 0) if round_index == 0 else planned
    if profile == "stuck":
        return max(planned - 25, 0)
    if profile == "late":
        return min(planned, 90)
    return planned


def _review(
    town: Town,
    year: int,
    month: int,
    projects: list[tuple[LivelihoodProject, str]],
    *,
    staff: User,
    chairman: User | None,
    reporter: User,
    settled: bool,
) -> None:
    round_ = services.open_round(town=town, year=year, month=month, by=staff)
    round_index = ReviewRound.objects.filter(town=town, year=year, month__lt=month).count()
    day = dt.date(year, month, 15)
    for project, profile in projects:
        review = round_.reviews.filter(project=project).first()
        if review is None:
            continue
        actual = _actual(profile, review.planned_percent, round_index)
        _report_targets(project, month, actual, profile, reporter)
        problems = "施工进度滞后，征地协调难度大" if profile in ("stuck", "late", "lagging") else ""
        if profile == "recovering" and round_index == 0:
            problems = "管线迁改未完成，影响开工"
        review = services.record_review(
            review=review,
            by=staff,
            actual_percent=actual,
            quality="工程质量符合设计要求" if actual else "尚未开工",
            problems=problems,
            measures="镇领导现场协调" if problems else "",
            next_steps="按月度目标推进",
            today=day,
        )
        if review.light == "red" and not project.problems.exists():
            _problem(project, review, staff, day, settled=settled)
    if chairman is not None and round_.reviews.exists():
        circular = services.draft_circular(round_=round_, by=staff)
        services.publish_circular(circular=circular, by=chairman)


def _report_targets(project: LivelihoodProject, month: int, actual: int, profile: str, reporter: User) -> None:
    """The department reports the months before the round; some profiles leave a target unmet."""
    for target in project.targets.filter(month__lt=dt.date(project.year, month, 1), completed_on__isnull=True):
        met = target.planned_percent <= actual and not (profile == "overdue" and target.month.month == month - 1)
        if not met and target.reported_percent is not None:
            continue
        services.report_progress(
            target=target,
            by=reporter,
            reported_percent=max(min(target.planned_percent, actual), target.reported_percent or 0),
            progress_notes="按计划推进" if met else "进度滞后",
            completed_on=_last_day(target.month.year, target.month.month) if met else None,
        )


def _problem(project: LivelihoodProject, review: ProjectReview, staff: User, day: dt.date, *, settled: bool) -> None:
    """A red project's problem, attacked on site. In a year that is over a collective consultation
    followed and every decision was done (solved); this year's problem still has an open decision."""
    problem = services.record_problem(
        project=project, by=staff, description=review.problems or "进度严重滞后", review=review
    )
    onsite = _meeting(problem, staff, day, ProblemMeeting.Kind.ONSITE)
    first, second = MeetingDecision.objects.filter(meeting=onsite).order_by("pk")
    services.complete_decision(decision=first, by=staff, done_on=day + dt.timedelta(days=10))
    if not settled:
        return
    services.complete_decision(decision=second, by=staff, done_on=day + dt.timedelta(days=18))
    consultation = _meeting(problem, staff, day, ProblemMeeting.Kind.CONSULTATION)
    for decision in consultation.decisions.all():
        services.complete_decision(decision=decision, by=staff, done_on=day + dt.timedelta(days=38))


def _meeting(problem: ProjectProblem, staff: User, day: dt.date, kind: str) -> ProblemMeeting:
    """A meeting on the problem as MEETINGS describes it, its days counted from the red review."""
    after, place, participants, decisions = MEETINGS[kind]
    return services.record_meeting(
        problem=problem,
        by=staff,
        kind=kind,
        held_on=day + dt.timedelta(days=after),
        place=place,
        participants=participants,
        decisions=[
            {"text": text, "owner_name": owner, "due_on": day + dt.timedelta(days=due)}
            for text, owner, due in decisions
        ],
    )
