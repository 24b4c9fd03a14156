"""The demo's February sessions vote the year's candidates, and the results match the projects' statuses."""

from __future__ import annotations

import datetime as dt
import io
import random

from demo.suggestions import _seed_sessions
from demo.supervision import seed_demo_records
from sittings.models import Session
from supervision.models import LivelihoodProject, ProjectVote, ProjectVoteItem
from tests.sittings.factories import deputies

TODAY = dt.date(2026, 11, 27)


def seed(cast):
    seed_demo_records(towns=[cast.town], rng=random.Random(7), today=TODAY, stdout=io.StringIO())


def test_both_february_sessions_carry_a_vote_matching_the_projects_statuses(cast):
    deputies(cast.town, 28)
    _seed_sessions(cast.town, cast.staff, random.Random(3), TODAY)
    seed(cast)
    votes = ProjectVote.objects.filter(session__town=cast.town).select_related("session")
    assert sorted((v.session.year, v.session.kind, v.state) for v in votes) == [
        (2025, Session.Kind.FEBRUARY, "closed"),
        (2026, Session.Kind.FEBRUARY, "closed"),
    ]
    for vote in votes:
        items = list(vote.items.select_related("project"))
        assert len(items) > vote.places  # 差额
        adopted = {i.project_id for i in items if i.result == ProjectVoteItem.Result.ADOPTED}
        year = LivelihoodProject.objects.filter(town=cast.town, year=vote.session.year)
        assert adopted == set(year.adopted().values_list("pk", flat=True))
        rejected = {i.project_id for i in items if i.result != ProjectVoteItem.Result.ADOPTED}
        assert rejected == set(year.filter(status=LivelihoodProject.Status.REJECTED).values_list("pk", flat=True))
        assert all(i.votes_for >= vote.votes_to_pass for i in items if i.project_id in adopted)
        assert all(i.total <= vote.present for i in items)


def test_seeding_again_adds_no_vote(cast):
    deputies(cast.town, 28)
    _seed_sessions(cast.town, cast.staff, random.Random(3), TODAY)
    seed(cast)
    counts = (ProjectVote.objects.count(), ProjectVoteItem.objects.count())
    seed(cast)
    assert (ProjectVote.objects.count(), ProjectVoteItem.objects.count()) == counts == (2, counts[1])


def test_without_a_session_the_demo_still_decides_its_candidates(cast):
    seed(cast)
    assert not ProjectVote.objects.exists()
    assert not LivelihoodProject.objects.filter(status=LivelihoodProject.Status.CANDIDATE).exists()
