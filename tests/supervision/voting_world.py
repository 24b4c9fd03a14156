"""A February session ready to vote: deputies in office, attendance, the plan's places and candidates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from congress.models import AnnualPlan
from sittings.models import Session
from supervision import services
from supervision.models import LivelihoodProject, ProjectVote, ProjectVoteItem
from supervision.services import voting
from tests.conftest import Cast
from tests.sittings.factories import attend, deputies, session


@dataclass
class World:
    session: Session
    projects: list[LivelihoodProject]


def ready_session(
    cast: Cast, *, in_office: int = 10, present: int | None = None, candidates: int = 4, places: int = 3
) -> World:
    """The cast's town with `in_office` deputies (the cast's two among them), `present` of them at the
    February session, `places` projects to adopt and `candidates` candidate projects."""
    plan = AnnualPlan.objects.for_town_year(cast.town, 2026)
    plan.projects_to_adopt = places
    plan.save()
    s = session(cast.town, cast.staff)
    everyone = [cast.deputy, cast.other_deputy, *deputies(cast.town, in_office - 2)]
    present = in_office if present is None else present
    attend(s, cast.staff, present=everyone[:present], leave=everyone[present:])
    projects = [
        services.create_project(
            by=cast.staff,
            town=cast.town,
            year=2026,
            name=f"候选项目{n}",
            content="修路",
            rationale="群众反映集中",
            investment=100 + n,
            start=dt.date(2026, 3, 1),
            deadline=dt.date(2026, 9, 30),
            deadline_text="9月底前",
        )
        for n in range(1, candidates + 1)
    ]
    return World(session=s, projects=projects)


def counted_vote(cast: Cast, world: World, votes_for: list[int]) -> ProjectVote:
    """Open the vote and enter each candidate's votes for (the rest of those present vote against)."""
    vote = voting.open_vote(session=world.session, by=cast.staff)
    present = voting.tally(vote).present
    for item, n in zip(vote.items.order_by("position"), votes_for, strict=True):
        voting.record_counts(item=item, by=cast.staff, votes_for=n, votes_against=present - n, abstentions=0)
    return vote


def item_of(project: LivelihoodProject) -> ProjectVoteItem:
    return ProjectVoteItem.objects.get(project=project)
