"""The rules of the vote on livelihood projects (票决): 差额, the pass line, the cap, the tie at the cut,
the counts against attendance, and the statuses it sets through the project services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from supervision.models import LivelihoodProject, ProjectStatusChange, ProjectVote, ProjectVoteItem
from supervision.services import voting
from tests.supervision.voting_world import counted_vote, item_of, ready_session

Status = LivelihoodProject.Status
Result = ProjectVoteItem.Result


def statuses(world):
    return [LivelihoodProject.objects.get(pk=p.pk).status for p in world.projects]


# The pass line: more than half of the deputies in office (10 in office, 8 present).


def test_exactly_half_of_the_deputies_in_office_does_not_pass(cast):
    world = ready_session(cast, in_office=10, present=8, candidates=2, places=1)
    vote = counted_vote(cast, world, [5, 0])
    voting.close_vote(vote=vote, by=cast.staff)
    assert item_of(world.projects[0]).result == Result.FAILED
    assert statuses(world) == [Status.REJECTED, Status.REJECTED]


def test_half_plus_one_of_the_deputies_in_office_passes(cast):
    world = ready_session(cast, in_office=10, present=8, candidates=2, places=1)
    vote = counted_vote(cast, world, [6, 0])
    voting.close_vote(vote=vote, by=cast.staff)
    assert item_of(world.projects[0]).result == Result.ADOPTED
    assert statuses(world) == [Status.ADOPTED, Status.REJECTED]


def test_the_pass_line_counts_deputies_in_office_not_those_present(cast):
    # 11 in office: 5.5 is half, so 6 passes; 6 of 7 present would be a majority of those present at 4.
    world = ready_session(cast, in_office=11, present=8, candidates=2, places=1)
    vote = counted_vote(cast, world, [5, 6])
    assert voting.tally(vote).votes_to_pass == 6
    voting.close_vote(vote=vote, by=cast.staff)
    assert statuses(world) == [Status.REJECTED, Status.ADOPTED]


def test_the_plan_sets_the_pass_fraction(cast):
    world = ready_session(cast, in_office=9, candidates=2, places=1)
    from congress.models import AnnualPlan

    AnnualPlan.objects.filter(town=cast.town, year=2026).update(vote_pass_numerator=2, vote_pass_denominator=3)
    vote = counted_vote(cast, world, [6, 7])
    assert voting.tally(vote).votes_to_pass == 7  # more than two thirds of 9
    voting.close_vote(vote=vote, by=cast.staff)
    assert statuses(world) == [Status.REJECTED, Status.ADOPTED]


# The cap: at most the plan's number, highest votes first.


def test_at_most_the_plans_number_is_adopted_highest_votes_first(cast):
    world = ready_session(cast, in_office=10, candidates=5, places=3)
    vote = counted_vote(cast, world, [7, 10, 5, 9, 8])
    voting.close_vote(vote=vote, by=cast.staff)
    assert statuses(world) == [Status.REJECTED, Status.ADOPTED, Status.REJECTED, Status.ADOPTED, Status.ADOPTED]
    results = [item_of(p).result for p in world.projects]
    assert results == [Result.BEYOND_PLACES, Result.ADOPTED, Result.FAILED, Result.ADOPTED, Result.ADOPTED]


def test_fewer_passing_items_than_places_are_all_adopted(cast):
    world = ready_session(cast, in_office=10, candidates=4, places=3)
    vote = counted_vote(cast, world, [9, 2, 3, 4])
    voting.close_vote(vote=vote, by=cast.staff)
    assert statuses(world) == [Status.ADOPTED, Status.REJECTED, Status.REJECTED, Status.REJECTED]


def test_every_status_change_goes_through_the_project_services(cast):
    world = ready_session(cast, candidates=4, places=3)
    vote = counted_vote(cast, world, [9, 8, 7, 2])
    voting.close_vote(vote=vote, by=cast.staff)
    changes = ProjectStatusChange.objects.filter(project__in=world.projects, changed_by=cast.staff)
    assert sorted(changes.values_list("to_status", flat=True)) == sorted([Status.ADOPTED] * 3 + [Status.REJECTED])


def test_the_closed_vote_keeps_the_figures_it_rests_on(cast):
    world = ready_session(cast, in_office=10, present=9, candidates=4, places=3)
    vote = counted_vote(cast, world, [9, 8, 7, 2])
    voting.close_vote(vote=vote, by=cast.staff)
    vote.refresh_from_db()
    assert (vote.state, vote.in_office, vote.present, vote.votes_to_pass) == ("closed", 10, 9, 6)


# The tie at the cut: flagged, and only a recorded decision settles it.


def test_a_tie_at_the_cut_is_flagged(cast):
    world = ready_session(cast, in_office=10, candidates=4, places=2)
    vote = counted_vote(cast, world, [9, 7, 7, 2])
    ranking = voting.tally(vote).ranking
    first, second, third, _fourth = (item_of(p).pk for p in world.projects)
    assert ranking.adopted == (first,)
    assert set(ranking.tied) == {second, third}
    assert ranking.open_places == 1


def test_a_tie_at_the_cut_is_never_settled_silently(cast):
    world = ready_session(cast, in_office=10, candidates=4, places=2)
    vote = counted_vote(cast, world, [9, 7, 7, 2])
    with pytest.raises(ValidationError) as exc:
        voting.close_vote(vote=vote, by=cast.staff)
    assert set(exc.value.message_dict) == {"tie_winners", "tie_decision"}
    assert ProjectVote.objects.get(pk=vote.pk).state == "open"
    assert statuses(world) == [Status.CANDIDATE] * 4


def test_the_recorded_decision_adopts_the_tied_item_it_names(cast):
    world = ready_session(cast, in_office=10, candidates=4, places=2)
    vote = counted_vote(cast, world, [9, 7, 7, 2])
    chosen = item_of(world.projects[2])
    voting.close_vote(vote=vote, by=cast.staff, tie_winners=[chosen], tie_decision="主席团组织对并列项目再次表决")
    assert statuses(world) == [Status.ADOPTED, Status.REJECTED, Status.ADOPTED, Status.REJECTED]
    assert item_of(world.projects[2]).chosen_at_tie
    assert item_of(world.projects[1]).result == Result.BEYOND_PLACES
    assert ProjectVote.objects.get(pk=vote.pk).tie_decision == "主席团组织对并列项目再次表决"


def test_the_decision_must_choose_exactly_the_open_places_among_the_tied(cast):
    world = ready_session(cast, in_office=10, candidates=4, places=2)
    vote = counted_vote(cast, world, [9, 7, 7, 2])
    both = [item_of(world.projects[1]), item_of(world.projects[2])]
    with pytest.raises(ValidationError) as exc:
        voting.close_vote(vote=vote, by=cast.staff, tie_winners=both, tie_decision="都要")
    assert "tie_winners" in exc.value.message_dict
    untied = [item_of(world.projects[3])]
    with pytest.raises(ValidationError):
        voting.close_vote(vote=vote, by=cast.staff, tie_winners=untied, tie_decision="选第四项")
    assert statuses(world) == [Status.CANDIDATE] * 4


def test_equal_votes_above_the_cut_are_no_tie(cast):
    world = ready_session(cast, in_office=10, candidates=4, places=2)
    vote = counted_vote(cast, world, [8, 8, 7, 2])
    assert not voting.tally(vote).ranking.has_tie
    with pytest.raises(ValidationError):
        voting.close_vote(vote=vote, by=cast.staff, tie_winners=[item_of(world.projects[2])], tie_decision="无")
    voting.close_vote(vote=vote, by=cast.staff)
    assert statuses(world) == [Status.ADOPTED, Status.ADOPTED, Status.REJECTED, Status.REJECTED]


@pytest.mark.parametrize(
    ("votes", "places", "adopted", "tied", "open_places"),
    [
        ([("a", 9), ("b", 7), ("c", 7), ("d", 2)], 2, ("a",), {"b", "c"}, 1),
        ([("a", 7), ("b", 7), ("c", 7)], 2, (), {"a", "b", "c"}, 2),
        ([("a", 7), ("b", 7), ("c", 6)], 2, ("a", "b"), set(), 0),
        ([("a", 7), ("b", 3)], 2, ("a",), set(), 0),
        ([("a", 5), ("b", 5)], 1, (), set(), 0),  # below the line: neither passes, so no tie
    ],
)
def test_rank(votes, places, adopted, tied, open_places):
    ranking = voting.rank(votes, votes_to_pass=6 if votes[0][1] == 5 else 4, places=places)
    assert set(ranking.adopted) == set(adopted)
    assert set(ranking.tied) == tied
    assert ranking.open_places == open_places


# Opening: a valid session and more candidates than places (差额).


def test_the_vote_needs_more_candidates_than_places(cast):
    world = ready_session(cast, candidates=3, places=3)
    with pytest.raises(ValidationError):
        voting.open_vote(session=world.session, by=cast.staff)
    assert not ProjectVote.objects.exists()


def test_one_candidate_more_than_places_is_enough(cast):
    world = ready_session(cast, candidates=4, places=3)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    assert list(vote.items.order_by("position").values_list("project", flat=True)) == [p.pk for p in world.projects]


def test_a_session_without_quorum_cannot_vote(cast):
    world = ready_session(cast, in_office=9, present=5, candidates=4, places=3)
    with pytest.raises(ValidationError):
        voting.open_vote(session=world.session, by=cast.staff)
    assert not ProjectVote.objects.exists()


def test_only_the_years_candidates_go_on_the_ballot(cast):
    world = ready_session(cast, candidates=5, places=3)
    from supervision import services

    services.adopt_project(project=world.projects[0], by=cast.staff)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    assert vote.items.count() == 4


def test_a_session_votes_once(cast):
    world = ready_session(cast)
    voting.open_vote(session=world.session, by=cast.staff)
    with pytest.raises(ValidationError):
        voting.open_vote(session=world.session, by=cast.staff)


# Counts against attendance.


def test_a_count_above_attendance_is_refused_on_its_field(cast):
    world = ready_session(cast, in_office=10, present=8)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    item = vote.items.first()
    with pytest.raises(ValidationError) as exc:
        voting.record_counts(item=item, by=cast.staff, votes_for=9, votes_against=0, abstentions=0)
    assert set(exc.value.message_dict) == {"votes_for"}
    item.refresh_from_db()
    assert item.votes_for is None


def test_counts_summing_above_attendance_are_refused(cast):
    world = ready_session(cast, in_office=10, present=8)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    item = vote.items.first()
    with pytest.raises(ValidationError) as exc:
        voting.record_counts(item=item, by=cast.staff, votes_for=5, votes_against=3, abstentions=1)
    assert set(exc.value.message_dict) == {"abstentions"}
    item.refresh_from_db()
    assert item.votes_for is None


def test_counts_summing_to_attendance_are_accepted(cast):
    world = ready_session(cast, in_office=10, present=8)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    item = vote.items.first()
    voting.record_counts(item=item, by=cast.staff, votes_for=5, votes_against=2, abstentions=1)
    item.refresh_from_db()
    assert (item.votes_for, item.votes_against, item.abstentions) == (5, 2, 1)


def test_the_vote_closes_only_when_every_item_is_counted(cast):
    world = ready_session(cast, candidates=4, places=3)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    voting.record_counts(item=vote.items.first(), by=cast.staff, votes_for=9, votes_against=1, abstentions=0)
    with pytest.raises(ValidationError):
        voting.close_vote(vote=vote, by=cast.staff)
    assert statuses(world) == [Status.CANDIDATE] * 4


def test_a_closed_vote_refuses_new_counts(cast):
    world = ready_session(cast, candidates=4, places=3)
    vote = counted_vote(cast, world, [9, 8, 7, 2])
    voting.close_vote(vote=vote, by=cast.staff)
    item = item_of(world.projects[3])
    with pytest.raises(ValidationError):
        voting.record_counts(item=item, by=cast.staff, votes_for=10, votes_against=0, abstentions=0)
    assert item_of(world.projects[3]).votes_for == 2
