"""The demo records of the deputies' year: two years of activities, rosters, training and receptions."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
import time_machine

from demo.activities import seed_demo_records
from duty import records
from duty.models import Activity, ReceptionDuty
from tests import factories
from tests.visits.factories import OpinionCategoryFactory
from visits.models import Opinion, Visit

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def late_november():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def town(cast):
    for i in range(8):
        factories.DeputyFactory(
            town=cast.town, constituency=cast.deputy.constituency, name=f"代表{i}", is_first_term=i < 3
        )
    factories.VenueFactory(town=cast.town, kind="home", name="人大代表之家")
    factories.VenueFactory(town=cast.town, village=cast.village, name="北房村代表联络站")
    OpinionCategoryFactory(town=cast.town)
    return cast.town


def seed(town):
    out = io.StringIO()
    seed_demo_records(towns=[town], rng=random.Random(1), today=TODAY, stdout=out)
    return out.getvalue()


def test_two_years_of_activities_with_training_for_the_first_term(town):
    seed(town)
    assert {a.held_on.year for a in Activity.objects.all()} == {2025, 2026}
    assert set(Activity.objects.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert not Activity.objects.filter(held_on__gt=TODAY).exists()
    trained = Activity.objects.filter(kind="training").values_list("participants__is_first_term", flat=True)
    assert set(trained) <= {True, None}


def test_a_roster_every_month_and_a_voter_received_on_each_past_day(town):
    seed(town)
    assert ReceptionDuty.objects.filter(on_date__year=2025).count() == 12
    assert ReceptionDuty.objects.filter(on_date__gt=TODAY).exists()  # next month's roster is posted
    past = ReceptionDuty.objects.filter(on_date__lte=TODAY).count()
    assert Visit.objects.filter(method="station").count() == past
    assert Opinion.objects.filter(visit__method="station").count() == past


def test_the_records_and_the_checklist_show_real_content(town, cast):
    seed(town)
    record = records.duty_records([cast.deputy], 2025)[0]
    assert record.total > 0
    assert record.counts["reception"] > 0 or record.counts["inspection"] > 0
    checklist = records.checklist(town=town, year=2025)
    assert checklist.closed
    assert "due" not in {line.status for line in checklist.lines}


def test_a_second_run_changes_nothing(town):
    seed(town)
    counts = (Activity.objects.count(), ReceptionDuty.objects.count(), Visit.objects.count())
    assert seed(town) == ""
    assert (Activity.objects.count(), ReceptionDuty.objects.count(), Visit.objects.count()) == counts
