import datetime as dt
import io
import random

import pytest

from demo.visits import seed_demo_records
from tests import factories as core
from visits.models import Household, MediationCase, Opinion, Pairing, SummaryItem, TriageStep, Visit
from visits.quota import quota

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def seed(towns):
    seed_demo_records(towns=towns, rng=random.Random(7), today=TODAY, stdout=io.StringIO())


def prepare_shared_cast(cast):
    """Both towns with deputies, seeded once for the module's tests (seeding is the slow part; each
    test's changes roll back)."""
    for _ in range(4):
        core.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, served_from=dt.date(2022, 1, 1))
    village = core.VillageFactory(town=cast.other_town)
    core.DeputyFactory(
        town=cast.other_town, constituency=core.ConstituencyFactory(town=cast.other_town, villages=[village])
    )
    seed([cast.town, cast.other_town])


@pytest.fixture
def towns(cast):
    """The two seeded towns."""
    return [cast.town, cast.other_town]


def fingerprint():
    return (
        list(Household.objects.order_by("pk").values_list("village__name", "address", "head_name", "phone")[:50]),
        Household.objects.count(),
        list(Visit.objects.order_by("idempotency_key").values_list("idempotency_key", "visited_on", "method")),
        Opinion.objects.count(),
        SummaryItem.objects.count(),
        Pairing.objects.count(),
        MediationCase.objects.count(),
    )


def wipe():
    TriageStep.objects.all().delete()
    Opinion.objects.all().delete()
    SummaryItem.objects.all().delete()
    Visit.objects.all().delete()
    Pairing.objects.all().delete()
    MediationCase.objects.all().delete()
    Household.objects.all().delete()


def test_demo_gives_every_visits_page_content(cast, towns):
    assert Household.objects.filter(town=cast.town).count() == 3000
    assert 0 < Household.objects.filter(town=cast.other_town).count() < 3000
    assert Visit.objects.filter(visited_on__year=2025).exists() and Visit.objects.filter(visited_on__year=2026).exists()
    assert not Visit.objects.filter(visited_on__gt=TODAY).exists()
    assert Opinion.objects.exclude(status="new").exists() and Opinion.objects.filter(status="new").exists()
    assert SummaryItem.objects.exclude(status="open").exists()
    assert Pairing.objects.filter(town=cast.town).exists()
    assert MediationCase.objects.filter(town=cast.town).exists()
    assert Visit.objects.filter(voter_name__gt="", household__isnull=True).exists()
    results = quota(cast.town.deputies.all(), 2025, today=TODAY)
    assert any(r.households for r in results.values())


def test_demo_is_idempotent(cast, towns):
    first = fingerprint()
    seed(towns)
    assert fingerprint() == first


def test_demo_is_deterministic(cast, towns):
    first = fingerprint()
    wipe()
    seed(towns)
    again = fingerprint()
    assert again[0] == first[0] and again[1:] == first[1:]
