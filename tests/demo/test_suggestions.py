"""The demo records of sessions and suggestions: every state, both sessions of two years, idempotent."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest

from congress.roles import Role
from demo.suggestions import seed_demo_records
from sittings import services as session_svc
from sittings.models import Attendance, Session
from suggestions.models import Suggestion
from tests import factories

TODAY = dt.date(2026, 11, 20)


def seed(town, seed=1):
    out = io.StringIO()
    seed_demo_records(towns=[town], rng=random.Random(seed), today=TODAY, stdout=out)
    return out.getvalue()


def prepare_shared_cast(cast):
    """The town with enough deputies and offices, seeded once for the module's tests (seeding is the slow
    part; each test's changes roll back)."""
    for i in range(10):
        factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, name=f"代表{i}")
    for name in ("城建办", "社会事务办", "财政所"):
        factories.DepartmentFactory(town=cast.town, name=name)
    factories.UserFactory(role=Role.CHAIRMAN, town=cast.town)
    seed(cast.town)


@pytest.fixture
def town(cast):
    """The seeded town."""
    return cast.town


def snapshot(town):
    return list(Suggestion.objects.filter(town=town).order_by("pk").values_list("title", "state", "proposer_id"))


def test_about_eighty_suggestions_in_every_state(town):
    states = set(Suggestion.objects.values_list("state", flat=True))
    assert states == set(Suggestion.State.values)
    assert 70 <= Suggestion.objects.count() <= 90
    assert Suggestion.objects.filter(rating="unrated").exists()
    assert Suggestion.objects.filter(supervised=True).exists()
    assert Suggestion.objects.overdue(TODAY).exists()


def test_both_sessions_of_two_years_with_attendance_and_a_quorum(town):
    assert set(Session.objects.values_list("year", "kind")) == {
        (2025, "february"),
        (2025, "july"),
        (2026, "february"),
        (2026, "july"),
    }
    for session in Session.objects.all():
        assert session.attendance.exists()
        assert session_svc.quorum(session).valid


def test_a_second_run_changes_nothing(town):
    before = (snapshot(town), Session.objects.count(), Attendance.objects.count())
    seed(town, seed=2)
    assert (snapshot(town), Session.objects.count(), Attendance.objects.count()) == before


def test_the_same_seed_makes_the_same_records(town):
    first = snapshot(town)
    Suggestion.objects.all().delete()
    Session.objects.all().delete()
    seed(town)
    assert snapshot(town) == first


def test_a_town_without_an_office_account_is_skipped(db):
    town = factories.TownFactory()
    assert "no office account" in seed(town)
    assert not Session.objects.exists()
