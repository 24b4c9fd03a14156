"""Factories for the core model, with Chinese names from Faker's zh_CN provider."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from congress import models
from congress.roles import Role


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = models.District
        django_get_or_create = ("name",)

    name = "怀柔区"


class TownFactory(DjangoModelFactory):
    class Meta:
        model = models.Town

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"测试{n}镇")
    slug = factory.Sequence(lambda n: f"town{n}")


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = models.Village

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"第{n}村")
    kind = models.Village.Kind.VILLAGE


class ConstituencyFactory(DjangoModelFactory):
    class Meta:
        model = models.Constituency
        skip_postgeneration_save = True

    town = factory.SubFactory(TownFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}选区")
    seats = 2

    @factory.post_generation
    def villages(self, create: bool, extracted: list[models.Village] | None, **kwargs: object) -> None:
        if create and extracted:
            self.villages.set(extracted)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = models.Department

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = models.Venue

    town = factory.SubFactory(TownFactory)
    kind = models.Venue.Kind.STATION
    name = factory.Sequence(lambda n: f"代表联络站{n}")
    address = "村委会二层"
    reception_days = "每月15日"


class DeputyFactory(DjangoModelFactory):
    class Meta:
        model = models.Deputy

    town = factory.SubFactory(TownFactory)
    name = factory.Faker("name", locale="zh_CN")
    gender = models.Deputy.Gender.FEMALE
    birth_year = 1970
    phone = factory.Sequence(lambda n: f"1380000{n:04d}")
    constituency = factory.SubFactory(ConstituencyFactory, town=factory.SelfAttribute("..town"))
    term = 18
    is_first_term = False
    served_from = dt.date(2022, 1, 1)
    served_until = None


class UserFactory(DjangoModelFactory):
    class Meta:
        model = models.User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    role = Role.STAFF
    town = factory.SubFactory(TownFactory)
    # Hashed before the one INSERT (a password set after creation cost a second save and history row).
    password = factory.django.Password("Congress-test-2026")


class AnnualPlanFactory(DjangoModelFactory):
    class Meta:
        model = models.AnnualPlan

    town = factory.SubFactory(TownFactory)
    year = 2026


class PersonalDataRequestFactory(DjangoModelFactory):
    """An open request (not answered yet) of a person about their data."""

    class Meta:
        model = models.PersonalDataRequest

    town = factory.SubFactory(TownFactory)
    requester = "王秀英"
    kind = models.PersonalDataRequest.Kind.SEE
    received_on = dt.date(2026, 11, 2)
    request = "想查看登记的住户信息"
    recorded_by = factory.SubFactory(UserFactory, town=factory.SelfAttribute("..town"))
