"""The vote on the year's candidate projects (票决) at a congress session: open it, enter each item's
counts, rank the result and close it, which adopts or rejects every candidate through the project
status services in one transaction.

The rules (DOMAIN.md): more candidates than places (差额); an item passes with more than the plan's
fraction of the deputies in office (AnnualPlan.votes_to_pass); at most the plan's number of passing
items is adopted, highest votes first; a tie at the cut is never settled silently but by a recorded
decision naming the items it adopts.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import AnnualPlan, User
from sittings import services as sessions
from sittings.models import Session
from supervision.models import LivelihoodProject, ProjectVote, ProjectVoteItem
from supervision.services.common import save_checked
from supervision.services.projects import adopt_project, reject_project

K = TypeVar("K", bound=Hashable)
Result = ProjectVoteItem.Result


@dataclass(frozen=True)
class Ranking(Generic[K]):
    """Which items pass, which are adopted, and the tie at the cut if there is one.

    `tied` holds the items sharing the last place's votes when they outnumber the places left;
    `open_places` is how many of them a decision must adopt (0 when there is no tie)."""

    passed: tuple[K, ...]
    adopted: tuple[K, ...]
    tied: tuple[K, ...]
    open_places: int

    @property
    def has_tie(self) -> bool:
        return bool(self.tied)


def rank(votes_for: Sequence[tuple[K, int]], *, votes_to_pass: int, places: int) -> Ranking[K]:
    """Rank items by their votes for: those with at least `votes_to_pass` pass; the first `places` of
    them are adopted unless the cut falls inside a group of equal votes, which is left for a decision."""
    passed = sorted(((key, n) for key, n in votes_for if n >= votes_to_pass), key=lambda kn: -kn[1])
    keys = tuple(key for key, _n in passed)
    if len(passed) <= places:
        return Ranking(passed=keys, adopted=keys, tied=(), open_places=0)
    cut = passed[places - 1][1]
    if passed[places][1] != cut:
        return Ranking(passed=keys, adopted=keys[:places], tied=(), open_places=0)
    above = tuple(key for key, n in passed if n > cut)
    at_cut = tuple(key for key, n in passed if n == cut)
    return Ranking(passed=keys, adopted=above, tied=at_cut, open_places=places - len(above))


def candidates(session: Session) -> QuerySet[LivelihoodProject]:
    """The year's candidate projects (候选) of the session's town, in their table order."""
    return LivelihoodProject.objects.filter(
        town_id=session.town_id, year=session.year, status=LivelihoodProject.Status.CANDIDATE
    ).order_by("position", "pk")


def _require_quorum(session: Session) -> sessions.Quorum:
    quorum = sessions.quorum(session)
    if not quorum.valid:
        raise ValidationError(_("The session does not meet the legal quorum, so it cannot vote."))
    return quorum


@transaction.atomic
def open_vote(*, session: Session, by: User | None) -> ProjectVote:
    """Put the year's candidates on the session's ballot (选票); needs a valid session and more
    candidates than the plan's number of projects to adopt (差额)."""
    Session.objects.select_for_update().filter(pk=session.pk).first()
    if ProjectVote.objects.filter(session=session).exists():
        raise ValidationError(_("This session already has its vote on livelihood projects."))
    _require_quorum(session)
    plan = AnnualPlan.objects.for_town_year(session.town_id, session.year)
    projects = list(candidates(session).select_for_update())
    if len(projects) <= plan.projects_to_adopt:
        raise ValidationError(
            _("The vote needs more candidates than places: %(candidates)s candidates for %(places)s projects.")
            % {"candidates": len(projects), "places": plan.projects_to_adopt}
        )
    vote = ProjectVote(session=session, places=plan.projects_to_adopt, opened_by=by)
    vote.full_clean()
    vote.save()
    ProjectVoteItem.objects.bulk_create(
        [ProjectVoteItem(vote=vote, project=p, position=n) for n, p in enumerate(projects, start=1)]
    )
    return vote


@transaction.atomic
def record_counts(
    *, item: ProjectVoteItem, by: User | None, votes_for: int, votes_against: int, abstentions: int
) -> ProjectVoteItem:
    """Enter an item's counts (赞成 / 反对 / 弃权): none, and not their sum, may exceed the deputies present."""
    vote = ProjectVote.objects.select_for_update().select_related("session").get(pk=item.vote_id)
    if not vote.is_open:
        raise ValidationError(_("The vote is closed; its counts cannot change."))
    present = _require_quorum(vote.session).present
    counts = {"votes_for": votes_for, "votes_against": votes_against, "abstentions": abstentions}
    errors: dict[str, str] = {}
    for field, value in counts.items():
        if value < 0:
            errors[field] = _("A count cannot be negative.")
        elif value > present:
            errors[field] = _("More than the %(present)s deputies present.") % {"present": present}
    if not errors and sum(counts.values()) > present:
        errors["abstentions"] = _(
            "For, against and abstentions together (%(total)s) are more than the %(present)s deputies present."
        ) % {"total": sum(counts.values()), "present": present}
    if errors:
        raise ValidationError(errors)
    locked = ProjectVoteItem.objects.select_for_update().get(pk=item.pk)
    for field, value in counts.items():
        setattr(locked, field, value)
    save_checked(locked, update_fields=list(counts))
    for field, value in counts.items():
        setattr(item, field, value)
    return locked


@dataclass(frozen=True)
class Tally:
    """The vote as it stands: the figures it rests on and the ranking of the counted items."""

    in_office: int
    present: int
    votes_to_pass: int
    places: int
    counted: int
    total: int
    ranking: Ranking[int]

    @property
    def complete(self) -> bool:
        return self.counted == self.total


def tally(vote: ProjectVote, items: Sequence[ProjectVoteItem] | None = None) -> Tally:
    """Rank the counted items against the plan: the closed vote's kept figures, or today's."""
    items = list(vote.items.all()) if items is None else list(items)
    if vote.is_open:
        quorum = sessions.quorum(vote.session)
        plan = AnnualPlan.objects.for_town_year(vote.session.town_id, vote.session.year)
        in_office, present, to_pass = quorum.in_office, quorum.present, plan.votes_to_pass(quorum.in_office)
    else:
        in_office, present, to_pass = vote.in_office or 0, vote.present or 0, vote.votes_to_pass or 0
    counted = [(i.pk, i.votes_for) for i in items if i.votes_for is not None]
    return Tally(
        in_office=in_office,
        present=present,
        votes_to_pass=to_pass,
        places=vote.places,
        counted=len(counted),
        total=len(items),
        ranking=rank(counted, votes_to_pass=to_pass, places=vote.places),
    )


@transaction.atomic
def close_vote(
    *,
    vote: ProjectVote,
    by: User | None,
    tie_winners: Sequence[ProjectVoteItem] = (),
    tie_decision: str = "",
) -> ProjectVote:
    """Close the vote: adopted items become 已票决通过, the rest 未通过. A tie at the cut needs the
    decision's text and exactly the tied items it adopts."""
    vote = ProjectVote.objects.select_for_update().select_related("session").get(pk=vote.pk)
    if not vote.is_open:
        raise ValidationError(_("The vote is already closed."))
    items = list(vote.items.select_for_update().select_related("project"))
    result = tally(vote, items)
    if not result.complete:
        raise ValidationError(_("Enter the counts of every item before closing the vote."))
    _require_quorum(vote.session)
    ranking = result.ranking
    chosen = {item.pk for item in tie_winners}
    if ranking.has_tie:
        errors: dict[str, str] = {}
        if not chosen <= set(ranking.tied) or len(chosen) != ranking.open_places:
            errors["tie_winners"] = _("Choose exactly %(n)s of the tied items.") % {"n": ranking.open_places}
        if not tie_decision.strip():
            errors["tie_decision"] = _("Record how the tie at the cut was decided.")
        if errors:
            raise ValidationError(errors)
    elif chosen or tie_decision.strip():
        raise ValidationError({"tie_winners": _("There is no tie at the cut to decide.")})

    adopted = set(ranking.adopted) | chosen
    passed = set(ranking.passed)
    for item in items:
        item.result = (
            Result.ADOPTED if item.pk in adopted else Result.BEYOND_PLACES if item.pk in passed else Result.FAILED
        )
        item.chosen_at_tie = item.pk in chosen
        item.save(update_fields=["result", "chosen_at_tie"])
        if item.pk in adopted:
            adopt_project(project=item.project, by=by)
        else:
            reject_project(project=item.project, by=by)
    vote.state = ProjectVote.State.CLOSED
    vote.in_office, vote.present, vote.votes_to_pass = result.in_office, result.present, result.votes_to_pass
    vote.tie_decision = tie_decision.strip()
    vote.closed_by = by
    vote.closed_at = timezone.now()
    vote.full_clean()
    vote.save()
    return vote
