"""Factories for the supervision app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from supervision import models, services
from tests import factories as core


class LivelihoodProjectFactory(DjangoModelFactory):
    """A project of 2026; pass `supervisors=[...]` / `cooperating_departments=[...]` to link them."""

    class Meta:
        model = models.LivelihoodProject
        skip_postgeneration_save = True

    town = factory.SubFactory(core.TownFactory)
    year = 2026
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"第{n + 1}号村道大修")
    content = "修复村内主路3公里，路面宽4.5米"
    investment = Decimal("120.00")
    funding_source = "镇级财政"
    lead_leader_name = "王建国"
    lead_leader_title = "副镇长"
    lead_department = factory.SubFactory(core.DepartmentFactory, town=factory.SelfAttribute("..town"))
    start = dt.date(2026, 3, 1)
    deadline = dt.date(2026, 9, 30)
    deadline_text = "9月底前"
    status = models.LivelihoodProject.Status.IN_PROGRESS

    @factory.post_generation
    def supervisors(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.supervisors.set(extracted)

    @factory.post_generation
    def cooperating_departments(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.cooperating_departments.set(extracted)


class MonthlyTargetFactory(DjangoModelFactory):
    class Meta:
        model = models.MonthlyTarget

    project = factory.SubFactory(LivelihoodProjectFactory)
    month = dt.date(2026, 3, 1)
    target = "完成设计"
    planned_percent = 15


class ReviewRoundFactory(DjangoModelFactory):
    class Meta:
        model = models.ReviewRound

    town = factory.SubFactory(core.TownFactory)
    year = 2026
    month = 4
    opened_by = factory.SubFactory(core.UserFactory, town=factory.SelfAttribute("..town"))


class ProjectReviewFactory(DjangoModelFactory):
    class Meta:
        model = models.ProjectReview

    round = factory.SubFactory(ReviewRoundFactory)
    project = factory.SubFactory(LivelihoodProjectFactory, town=factory.SelfAttribute("..round.town"))
    planned_percent = 30


def reviewed_round(cast):
    """Two rounds of one project: 20% in April (red), 60% in June (recovered yellow)."""
    project = LivelihoodProjectFactory(
        town=cast.town, lead_department=cast.department, start=dt.date(2026, 3, 1), deadline=dt.date(2026, 8, 31)
    )
    services.save_targets(project=project, by=cast.staff, rows=services.proposed_targets(project))
    project.targets.update(completed_on=dt.date(2026, 3, 1))
    for month, actual in ((4, 10), (6, 64)):
        round_ = services.open_round(town=cast.town, year=2026, month=month, by=cast.staff)
        services.record_review(
            review=round_.reviews.get(),
            by=cast.staff,
            actual_percent=actual,
            problems="征地滞后",
            today=dt.date(2026, month, 15),
        )
    return round_
