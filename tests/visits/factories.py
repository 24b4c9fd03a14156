"""Factories for the visits app."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from congress.models import VisitMethod
from tests import factories as core
from visits import models, tallies
from visits.pinyin import initials


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = models.Household

    town = factory.SubFactory(core.TownFactory)
    village = factory.SubFactory(core.VillageFactory, town=factory.SelfAttribute("..town"))
    address = factory.Sequence(lambda n: f"{n + 1}号")
    head_name = factory.Faker("name", locale="zh_CN")
    head_initials = factory.LazyAttribute(lambda o: initials(o.head_name))
    phone = factory.Sequence(lambda n: f"1391234{n % 10000:04d}")
    size = 3


class VisitFactory(DjangoModelFactory):
    """A household visit; pass `deputies=[...]` to credit deputies."""

    class Meta:
        model = models.Visit
        skip_postgeneration_save = True

    town = factory.SubFactory(core.TownFactory)
    household = factory.SubFactory(HouseholdFactory, town=factory.SelfAttribute("..town"))
    village = factory.LazyAttribute(lambda o: o.household.village if o.household else None)
    visited_on = dt.date(2026, 3, 10)
    method = VisitMethod.HOUSEHOLD
    recorded_by = factory.SubFactory(core.UserFactory, town=factory.SelfAttribute("..town"))
    idempotency_key = factory.LazyFunction(uuid.uuid4)

    @factory.post_generation
    def deputies(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.deputies.set(extracted)
            tallies.add_visit(self, [d.pk for d in extracted])  # as record_visit does


class OpinionCategoryFactory(DjangoModelFactory):
    class Meta:
        model = models.OpinionCategory
        django_get_or_create = ("town", "name")

    town = factory.SubFactory(core.TownFactory)
    name = "交通出行"


class OpinionFactory(DjangoModelFactory):
    class Meta:
        model = models.Opinion

    visit = factory.SubFactory(VisitFactory)
    category = factory.SubFactory(OpinionCategoryFactory, town=factory.SelfAttribute("..visit.town"))
    text = "村口路灯不亮，晚上出行不便"


class SummaryItemFactory(DjangoModelFactory):
    class Meta:
        model = models.SummaryItem

    town = factory.SubFactory(core.TownFactory)
    title = factory.Sequence(lambda n: f"汇总事项{n}")
    category = factory.SubFactory(OpinionCategoryFactory, town=factory.SelfAttribute("..town"))
    created_by = factory.SubFactory(core.UserFactory, town=factory.SelfAttribute("..town"))


class PairingFactory(DjangoModelFactory):
    class Meta:
        model = models.Pairing

    town = factory.SubFactory(core.TownFactory)
    deputy = factory.SubFactory(core.DeputyFactory, town=factory.SelfAttribute("..town"))
    household = factory.SubFactory(HouseholdFactory, town=factory.SelfAttribute("..town"), lives_alone_elderly=True)
    started_on = dt.date(2026, 1, 1)
    expected_every_days = 30


class MediationCaseFactory(DjangoModelFactory):
    class Meta:
        model = models.MediationCase
        skip_postgeneration_save = True

    town = factory.SubFactory(core.TownFactory)
    village = factory.SubFactory(core.VillageFactory, town=factory.SelfAttribute("..town"))
    occurred_on = dt.date(2026, 4, 2)
    dispute = "邻里宅基地界线纠纷"
    recorded_by = factory.SubFactory(core.UserFactory, town=factory.SelfAttribute("..town"))

    @factory.post_generation
    def deputies(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.deputies.set(extracted)


def visit_form(deputy, household, category, *, urgent: bool = False, visited_on: dt.date | None = None) -> dict:
    """What the visit form posts: a household visit today with one opinion (urgent when asked)."""
    opinion = {"category": category.pk, "text": "路灯不亮，夜里有老人摔倒", "urgency": "urgent" if urgent else "normal"}
    management = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "30"}
    return {
        "idempotency_key": str(uuid.uuid4()),
        "deputies": [deputy.pk],
        "visited_on": (visited_on or timezone.localdate()).isoformat(),
        "method": "household",
        "village": household.village_id,
        "household": household.pk,
        "notes": "",
        **{f"opinions-{key}": value for key, value in management.items()},
        **{f"opinions-0-{key}": value for key, value in opinion.items()},
    }
