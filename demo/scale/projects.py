"""The livelihood projects of each town's last years, with their monthly targets, bimonthly review
rounds, a review per project and round, and a published circular per round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from demo.scale.base import PROJECTS_PER_YEAR, ROUND_MONTHS, Plan
from demo.scale.copying import bulk
from supervision.models import (
    Circular,
    Light,
    LightReason,
    LivelihoodProject,
    MonthlyTarget,
    ProjectReview,
    ReviewRound,
)


def seed_projects(plan: Plan) -> None:
    """Each town's livelihood projects of its last years, with monthly targets, bimonthly review
    rounds, a review per project and round, and a published circular per round."""
    rng, today = plan.rng, plan.today
    years = max(1, plan.scale.projects_per_town // PROJECTS_PER_YEAR)
    project_rows: list[LivelihoodProject] = []
    for data in plan.towns:
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
                        status=LivelihoodProject.Status.COMPLETED if finished else LivelihoodProject.Status.IN_PROGRESS,
                    )
                )
    projects = bulk(LivelihoodProject, project_rows, "livelihood projects")
    by_town = {d.town.pk: d for d in plan.towns}
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
    for data in plan.towns:
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
            goal = planned(r.month)
            actual = min(100, round(goal * pace[p.pk]))
            gap = goal - actual
            light, reason = (
                (Light.GREEN, LightReason.ON_TRACK) if gap < 5
                else (Light.YELLOW, LightReason.BEHIND) if gap < 15
                else (Light.RED, LightReason.FAR_BEHIND)
            )  # fmt: skip
            reviews.append(
                ProjectReview(
                    round=r, project=p, planned_percent=goal, actual_percent=actual, quality="质量合格",
                    light=light, light_reason=reason, reviewed_by=r.opened_by, reviewed_at=reviewed_at,
                )
            )  # fmt: skip
            lines_of.setdefault(r.pk, []).append(
                {"project": p.name, "planned": goal, "actual": actual, "light": light, "reason": reason,
                 "previous_actual": None, "previous_light": "", "change": None}
            )  # fmt: skip
    bulk(ProjectReview, reviews, "project reviews")
    circulars = []
    for r in rounds:
        lines = lines_of.get(r.pk, [])
        summary = {light: sum(1 for line in lines if line["light"] == light) for light in ("green", "yellow", "red")}
        circulars.append(
            Circular(
                town_id=r.town_id, round=r, title=f"{r.year}年{r.month}月民生实事项目调度通报",
                content={"summary": summary, "lines": lines, "problems": []},
                status=Circular.Status.PUBLISHED, drafted_by=r.opened_by, published_by=r.opened_by,
                published_at=reviewed_at,
            )
        )  # fmt: skip
    bulk(Circular, circulars, "circulars")
