"""The demo's vote on livelihood projects (票决): the February session of each demo year votes the
year's candidates, and the counts are drawn so that the projects the demo goes on to run are the
ones adopted. Called by demo.supervision for a town's year it seeds, so a year seeded once is never
voted twice (idempotent like the rest of the demo)."""

from __future__ import annotations

from collections.abc import Sequence

from congress.models import AnnualPlan, Town, User
from sittings import services as sessions
from sittings.models import Session
from supervision import services
from supervision.models import LivelihoodProject, ProjectVote
from supervision.services import voting


def decide_candidates(
    *, town: Town, year: int, candidates: Sequence[LivelihoodProject], adopt: Sequence[LivelihoodProject],
    by: User | None,
) -> bool:  # fmt: skip
    """Adopt exactly `adopt` among `candidates`: by the February session's vote when it was held with a
    quorum, else (no session yet, no staff login) straight through the status services. The plan's
    number of projects to adopt becomes len(adopt), so the vote has more candidates than places.
    Returns whether a vote was held."""
    plan = AnnualPlan.objects.for_town_year(town, year)
    if plan.pk is None or plan.projects_to_adopt != len(adopt):
        plan.projects_to_adopt = len(adopt)
        plan.save()
    session = Session.objects.filter(town=town, year=year, kind=Session.Kind.FEBRUARY).first()
    if session is not None and by is not None and _may_vote(session):
        _vote(session, adopt={p.pk for p in adopt}, by=by)
        return True
    chosen = {p.pk for p in adopt}
    for project in candidates:
        if project.pk in chosen:
            services.adopt_project(project=project, by=by)
        else:
            services.reject_project(project=project, by=by)
    return False


def _may_vote(session: Session) -> bool:
    return not ProjectVote.objects.filter(session=session).exists() and sessions.quorum(session).valid


def _vote(session: Session, *, adopt: set[int], by: User) -> ProjectVote:
    vote = voting.open_vote(session=session, by=by)
    figures = voting.tally(vote)
    present, to_pass = figures.present, figures.votes_to_pass
    winners = losers = 0
    for item in vote.items.order_by("position"):
        if item.project_id in adopt:
            votes_for = max(to_pass, present - winners)  # highest first, all above the line
            winners += 1
        else:
            votes_for = max(0, to_pass - 1 - 3 * losers)  # short of the line
            losers += 1
        rest = present - votes_for
        against = rest * 2 // 3
        abstentions = rest - against - (1 if rest - against > 0 else 0)  # one ballot left blank
        voting.record_counts(item=item, by=by, votes_for=votes_for, votes_against=against, abstentions=abstentions)
    return voting.close_vote(vote=vote, by=by)
