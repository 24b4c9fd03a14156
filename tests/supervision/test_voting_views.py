"""The vote's pages: opening from the session, entering counts, closing with the tie decision, the
printed ballot and results, and the query budget of the pages that list items."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.models import LivelihoodProject, ProjectVote
from supervision.services import voting
from tests.supervision.voting_world import counted_vote, item_of, ready_session

Status = LivelihoodProject.Status


def test_the_session_page_links_to_its_vote(client, cast):
    world = ready_session(cast)
    client.force_login(cast.staff)
    page = client.get(reverse("sessions:detail", args=[world.session.pk])).content.decode()
    assert reverse("supervision:session_vote", args=[world.session.pk]) in page


def test_the_project_list_links_to_the_votes(client, cast):
    client.force_login(cast.staff)
    page = client.get(reverse("supervision:project_list")).content.decode()
    assert reverse("supervision:vote_list") in page


def test_before_the_vote_the_session_shows_each_candidate_with_investment_rationale_and_completion(client, cast):
    world = ready_session(cast)
    client.force_login(cast.deputy_user)
    page = client.get(reverse("supervision:session_vote", args=[world.session.pk])).content.decode()
    for project in world.projects:
        assert project.name in page
        assert str(project.investment) in page
    assert "群众反映集中" in page and "9月底前" in page
    assert reverse("supervision:vote_open", args=[world.session.pk]) not in page  # deputies read only


def test_staff_open_the_vote_and_reach_it_from_the_session(client, cast):
    world = ready_session(cast)
    client.force_login(cast.staff)
    response = client.post(reverse("supervision:vote_open", args=[world.session.pk]))
    vote = ProjectVote.objects.get(session=world.session)
    assert response.url == vote.get_absolute_url()
    again = client.get(reverse("supervision:session_vote", args=[world.session.pk]))
    assert again.url == vote.get_absolute_url()


def test_opening_without_more_candidates_than_places_says_why_and_opens_nothing(client, cast):
    world = ready_session(cast, candidates=3, places=3)
    client.force_login(cast.staff)
    response = client.post(reverse("supervision:vote_open", args=[world.session.pk]))
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not ProjectVote.objects.exists()


def test_a_count_above_attendance_comes_back_as_a_field_error(client, cast):
    world = ready_session(cast, in_office=10, present=8)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    item = vote.items.first()
    client.force_login(cast.staff)
    url = reverse("supervision:vote_item", args=[item.pk])
    response = client.post(url, {"votes_for": 9, "votes_against": 0, "abstentions": 0})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"votes_for"}
    response = client.post(url, {"votes_for": 4, "votes_against": 4, "abstentions": 1})
    assert response.context["form"].errors.keys() == {"abstentions"}
    item.refresh_from_db()
    assert item.votes_for is None


def test_staff_enter_counts(client, cast):
    world = ready_session(cast, in_office=10, present=8)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    item = vote.items.first()
    client.force_login(cast.staff)
    url = reverse("supervision:vote_item", args=[item.pk])
    response = client.post(url, {"votes_for": 6, "votes_against": 1, "abstentions": 1})
    assert response.url == vote.get_absolute_url()
    item.refresh_from_db()
    assert (item.votes_for, item.votes_against, item.abstentions) == (6, 1, 1)


def test_the_vote_page_flags_the_tie_and_closing_needs_the_decision(client, cast):
    world = ready_session(cast, in_office=10, candidates=4, places=2)
    vote = counted_vote(cast, world, [9, 7, 7, 2])
    client.force_login(cast.staff)
    page = client.get(vote.get_absolute_url())
    assert page.context["tally"].ranking.has_tie
    assert "alert-warning" in page.content.decode()
    close = reverse("supervision:vote_close", args=[vote.pk])
    refused = client.post(close, {})
    assert refused.status_code == 200
    assert {"tie_winners", "tie_decision"} <= refused.context["close_form"].errors.keys()
    assert ProjectVote.objects.get(pk=vote.pk).state == "open"
    chosen = item_of(world.projects[1])
    done = client.post(close, {"tie_winners": [chosen.pk], "tie_decision": "主席团决定再次表决，第二项得票多"})
    assert done.url == vote.get_absolute_url()
    got = [LivelihoodProject.objects.get(pk=p.pk).status for p in world.projects]
    assert got == [Status.ADOPTED, Status.ADOPTED, Status.REJECTED, Status.REJECTED]


def test_the_ballot_sheet_lists_every_candidate_with_its_facts(client, cast):
    world = ready_session(cast)
    vote = voting.open_vote(session=world.session, by=cast.staff)
    client.force_login(cast.deputy_user)
    page = client.get(reverse("supervision:vote_ballot", args=[vote.pk])).content.decode()
    assert "print-forms.css" in page
    for project in world.projects:
        assert project.name in page and str(project.investment) in page
    assert page.count('class="box"') == 3 * len(world.projects)


def test_the_results_table_ranks_by_votes_for_with_each_result(client, cast):
    world = ready_session(cast, candidates=4, places=2)
    vote = counted_vote(cast, world, [6, 9, 2, 8])
    voting.close_vote(vote=vote, by=cast.staff)
    client.force_login(cast.chairman)
    response = client.get(reverse("supervision:vote_results", args=[vote.pk]))
    ranked = [item.project.name for item in response.context["items"]]
    assert ranked == [world.projects[i].name for i in (1, 3, 0, 2)]
    page = response.content.decode()
    assert page.index(world.projects[1].name) < page.index(world.projects[3].name) < page.index(world.projects[0].name)


def test_the_vote_pages_cost_the_same_with_4_and_12_candidates(client, cast):
    import datetime as dt

    from supervision import services
    from tests.sittings.factories import attend, session

    def cost(vote):
        client.force_login(cast.staff)
        with CaptureQueriesContext(connection) as queries:
            client.get(vote.get_absolute_url())
            client.get(reverse("supervision:vote_results", args=[vote.pk]))
            client.get(reverse("supervision:vote_ballot", args=[vote.pk]))
            client.get(reverse("supervision:vote_list"))
        return len(queries)

    world = ready_session(cast, candidates=4, places=3)
    small = counted_vote(cast, world, [9, 8, 7, 6])
    few = cost(small)
    voting.close_vote(vote=small, by=cast.staff)
    extra = session(cast.town, cast.staff, kind="extra")
    attend(extra, cast.staff, present=[a.deputy for a in world.session.attendance.select_related("deputy")])
    for n in range(12):
        services.create_project(
            by=cast.staff, town=cast.town, year=2026, name=f"增补项目{n}", content="修路",
            start=dt.date(2026, 12, 1), deadline=dt.date(2026, 12, 31),
        )  # fmt: skip
    large = voting.open_vote(session=extra, by=cast.staff)
    for item in large.items.all():
        voting.record_counts(item=item, by=cast.staff, votes_for=5, votes_against=5, abstentions=0)
    assert cost(large) == few
