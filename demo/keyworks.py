"""Demo whole-process supervision for `manage.py seed_demo`: this year's key projects (one with two
inspected stages, its rectification items and their look-backs, one item still open and overdue), two
department evaluations with their votes, and a law-enforcement inspection.

Dates count back from `today`, so the demo reads the same whenever it is loaded. Idempotent (a town
whose year already has key projects is left as it is) and written through supervision.services.keyworks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from congress.models import Department, Deputy, Town, User
from congress.roles import Role
from demo.town import Writer
from supervision.models import KeyProject, KeyProjectAssignment, LookBack
from supervision.services import keyworks

Tier = KeyProjectAssignment.Tier
Verdict = LookBack.Verdict
EXPERTISE = ("建筑工程", "给排水", "财务审计", "安全生产", "社区工作")


def seed_demo_records(*, towns: Iterable[Town], rng: random.Random, today: dt.date, stdout: Writer) -> None:
    """Add each town's key projects, evaluations and law inspection of this year."""
    for town in towns:
        if KeyProject.objects.filter(town=town, year=today.year).exists():
            continue
        staff = User.objects.filter(town=town, role=Role.STAFF, is_active=True).order_by("pk").first()
        deputies = list(Deputy.objects.filter(town=town).serving_on(today).order_by("pk")[:6])
        departments = list(Department.objects.filter(town=town, is_active=True).order_by("pk")[:3])
        if staff is None or len(deputies) < 3 or len(departments) < 2:
            continue
        _seed_town(town, staff, rng.sample(deputies, len(deputies)), departments, today)
        stdout.write(f"{town} {today.year}: key projects, evaluations and a law inspection")


def _seed_town(town: Town, staff: User, deputies: list[Deputy], departments: list[Department], today: dt.date) -> None:
    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    for deputy, expertise in zip(deputies, EXPERTISE, strict=False):
        if not deputy.expertise:
            deputy.expertise = expertise
            deputy.save(update_fields=["expertise"])
    lead, builder = departments[0], departments[1]
    project = keyworks.create_key_project(
        by=staff, town=town, year=today.year, name="老旧小区综合整治工程", lead_department=builder,
        description="改造小区水、电、气、热管线，加装外墙保温，完善消防通道",
    )  # fmt: skip
    keyworks.assign_deputy(project=project, deputy=deputies[0], tier=Tier.LEAD)
    for deputy in deputies[1:3]:
        keyworks.assign_deputy(project=project, deputy=deputy, tier=Tier.MEMBER)
    team = deputies[:3]
    pipes = keyworks.add_stage(project=project, name="地下管线改造", planned_start=ago(240), planned_end=ago(150))
    walls = keyworks.add_stage(project=project, name="外墙保温及楼道改造", planned_start=ago(150), planned_end=ago(-30))
    keyworks.add_stage(project=project, name="竣工验收", planned_start=ago(-30), planned_end=ago(-60))

    first = keyworks.record_inspection(
        by=staff, stage=pipes, inspected_on=ago(180), deputies=team, notes="燃气管线开挖段未设围挡，部分路面恢复不平整",
        reported_by="城建办负责同志", report_summary="供水管线完成70%，燃气管线完成55%，预计按期完成本阶段",
        suggestions=["开挖段加设围挡和夜间警示灯", "路面恢复后组织平整度验收"],
    )  # fmt: skip
    fence, road = first.suggestions.order_by("pk")
    fence_item = keyworks.rectify_suggestion(by=staff, suggestion=fence, owner_department=builder, due_on=ago(165))
    road_item = keyworks.rectify_suggestion(by=staff, suggestion=road, owner_department=builder, due_on=ago(150))
    keyworks.record_look_back(
        by=staff, item=fence_item, checked_on=ago(150), verdict=Verdict.DONE, deputies=team[:2],
        evidence="开挖段已全部设置围挡和警示灯",
    )  # fmt: skip
    keyworks.record_look_back(
        by=staff, item=road_item, checked_on=ago(140), verdict=Verdict.PARTIAL, deputies=team, new_due_on=ago(110),
        evidence="主路已平整，两处支路仍有沉降",
    )  # fmt: skip
    keyworks.record_look_back(
        by=staff, item=road_item, checked_on=ago(100), verdict=Verdict.DONE, deputies=team[:2],
        evidence="支路沉降处已重新铺设",
    )  # fmt: skip

    second = keyworks.record_inspection(
        by=staff, stage=walls, inspected_on=ago(80), deputies=team, notes="保温材料进场未见检测报告",
        reported_by="施工单位项目经理", report_summary="外墙保温完成40%，楼道改造完成30%",
        suggestions=["保温材料进场须附检测报告并抽检", "楼道施工期间保障居民出行"],
    )  # fmt: skip
    material, access = second.suggestions.order_by("pk")
    keyworks.rectify_suggestion(by=staff, suggestion=material, owner_department=builder, due_on=ago(30))
    keyworks.rectify_suggestion(by=staff, suggestion=access, owner_name="施工单位项目经理", due_on=ago(-40))

    keyworks.create_key_project(
        by=staff, town=town, year=today.year, name="再生水管网延伸工程", lead_department=builder,
        description="延伸再生水管网，覆盖镇区主要绿地",
    )  # fmt: skip

    for department, votes, days in ((lead, (31, 10, 4), 120), (builder, (18, 20, 7), 60)):
        evaluation = keyworks.create_evaluation(by=staff, town=town, year=today.year, department=department)
        keyworks.record_evaluation_steps(
            evaluation=evaluation, survey_on=ago(days + 30), survey_notes="走访群众和服务对象，发放调查问卷",
            meeting_on=ago(days), meeting_notes="听取科室工作汇报，代表评议发言",
        )  # fmt: skip
        keyworks.record_vote(evaluation=evaluation, satisfied=votes[0], basically=votes[1], unsatisfied=votes[2])
        item = keyworks.add_rectification(
            by=staff, origin=evaluation, description="公开办事流程和时限，缩短群众等候时间",
            owner_department=department, due_on=ago(days - 30),
        )  # fmt: skip
        if days - 40 > 0:
            keyworks.record_look_back(
                by=staff, item=item, checked_on=ago(days - 40), verdict=Verdict.DONE, deputies=team[1:],
                evidence="办事流程已在大厅和网站公示",
            )  # fmt: skip

    law = keyworks.create_law_inspection(by=staff, town=town, year=today.year, law="《中华人民共和国食品安全法》")
    keyworks.add_law_activity(inspection=law, held_on=ago(70), description="听取市场监管所执法情况汇报", deputies=team)
    keyworks.add_law_activity(inspection=law, held_on=ago(65), description="实地检查农贸市场和学校食堂", deputies=team)
    keyworks.record_findings(
        inspection=law, findings="执法总体规范；部分摊位进货台账不全，小餐饮从业人员健康证到期未换", reported_on=ago(55)
    )
    keyworks.add_rectification(
        by=staff, origin=law, description="督促摊位建立进货查验台账", owner_name="镇市场监管所", due_on=ago(-20)
    )
