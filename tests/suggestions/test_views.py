"""The suggestion pages: the web form, the steps through the services, scope, lists and statistics."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions.models import Suggestion, SuggestionEvent
from tests import factories
from tests.suggestions.factories import suggestion_in_state

State = Suggestion.State
TODAY = dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)


def at(state, cast, **kw):
    kw.setdefault("proposer", cast.deputy)
    kw.setdefault("department", cast.department)
    return suggestion_in_state(state, staff=cast.staff, **kw)


def post_step(client, user, s, step, data=None):
    client.force_login(user)
    return client.post(reverse(f"suggestions:{step}", args=[s.pk]), {f"{step}-{k}": v for k, v in (data or {}).items()})


FORM = {
    "title": "建议村里安装路灯",
    "category": "urban",
    "content": "北房村主街夜间无照明。",
    "reasons": "老人夜间出行不便。",
    "proposed_solution": "安装太阳能路灯二十盏。",
}


# --- the web form ----------------------------------------------------------------------------------


def test_a_deputy_submits_a_suggestion_with_a_joint_proposer(client, cast):
    client.force_login(cast.deputy_user)
    response = client.post(
        reverse("suggestions:create"), {**FORM, "joint_proposers": [cast.other_deputy.pk], "submit": "1"}
    )
    s = Suggestion.objects.get()
    assert response.status_code == 302
    assert (s.state, s.number, s.proposer, s.entered_on_behalf) == (State.SUBMITTED, 1, cast.deputy, False)
    assert set(s.proposers.all()) == {cast.deputy, cast.other_deputy}


def test_a_deputy_keeps_a_draft_and_submits_it_later(client, cast):
    client.force_login(cast.deputy_user)
    client.post(reverse("suggestions:create"), {**FORM, "draft": "1"})
    s = Suggestion.objects.get()
    assert s.state == State.DRAFT
    client.post(
        reverse("suggestions:edit", args=[s.pk]),
        {**FORM, "title": "建议主街安装路灯", "version": s.version, "submit": "1"},
    )
    s.refresh_from_db()
    assert (s.state, s.title) == (State.SUBMITTED, "建议主街安装路灯")


def test_the_form_refuses_a_suggestion_without_a_title(client, cast):
    client.force_login(cast.deputy_user)
    response = client.post(reverse("suggestions:create"), {**FORM, "title": "", "submit": "1"})
    assert "title" in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_staff_submit_for_a_deputy_without_a_login_recorded_as_such(client, cast):
    offline = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
    client.force_login(cast.staff)
    client.post(reverse("suggestions:create"), {**FORM, "proposer": offline.pk, "submit": "1"})
    s = Suggestion.objects.get()
    assert (s.proposer, s.entered_by, s.entered_on_behalf) == (offline, cast.staff, True)


def test_staff_cannot_choose_a_deputy_who_has_a_login(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("suggestions:create"), {**FORM, "proposer": cast.deputy.pk, "submit": "1"})
    assert "proposer" in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_a_joint_proposer_of_another_town_is_not_offered(client, cast):
    stranger = factories.DeputyFactory(town=cast.other_town)
    client.force_login(cast.deputy_user)
    response = client.post(reverse("suggestions:create"), {**FORM, "joint_proposers": [stranger.pk], "submit": "1"})
    assert "joint_proposers" in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_a_joint_proposer_cannot_edit_the_draft(client, cast):
    s = at(State.DRAFT, cast, joint=[cast.other_deputy])
    client.force_login(cast.other_deputy_user)
    response = client.post(reverse("suggestions:edit", args=[s.pk]), {**FORM, "title": "改了", "submit": "1"})
    s.refresh_from_db()
    assert response.status_code == 404
    assert (s.state, s.title) == (State.DRAFT, "建议村里安装路灯")


# --- the handling, page by page ---------------------------------------------------------------------


def test_the_whole_round_from_acceptance_to_redo(client, cast):
    s = at(State.SUBMITTED, cast)
    post_step(client, cast.staff, s, "accept")
    post_step(
        client,
        cast.staff,
        s,
        "assign",
        {"lead_department": cast.department.pk, "assigned_on": "2026-03-02"},
    )
    s.refresh_from_db()
    assert (s.state, s.due_on) == (State.ASSIGNED, dt.date(2026, 6, 2))
    post_step(
        client,
        cast.department_user,
        s,
        "answer",
        {"text": "已列入计划。", "result_class": "B", "answered_on": "2026-05-01"},
    )
    with time_machine.travel(dt.datetime(2026, 5, 10, 10, tzinfo=dt.UTC)):
        post_step(client, cast.deputy_user, s, "rate", {"rating": "unsatisfied"})
    s.refresh_from_db()
    assert (s.state, s.redo_count, s.due_on) == (State.REDO, 1, dt.date(2026, 6, 10))
    assert list(s.events.order_by("pk").values_list("actor__username", flat=True)) == [
        "deputy",
        "deputy",
        "staff",
        "staff",
        "department",
        "deputy",
    ]


def test_a_deputy_without_a_login_is_rated_by_staff_on_the_page(client, cast):
    offline = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
    s = at(State.ANSWERED, cast, proposer=offline)
    post_step(client, cast.staff, s, "rate", {"rating": "satisfied"})
    s.refresh_from_db()
    assert s.state == State.CLOSED
    assert s.answers.get().rated_on_behalf


def test_an_extension_past_the_maximum_is_a_form_error(client, cast):
    s = at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 8, 31))
    response = post_step(client, cast.staff, s, "extend", {"due_on": "2027-03-01", "reason": "需区级立项"})
    assert response.status_code == 200
    step_forms = {step.name: form for step, form in response.context["steps"]}
    assert "due_on" in step_forms["extend"].errors
    s.refresh_from_db()
    assert s.due_on == dt.date(2026, 11, 30)


def test_a_step_the_state_does_not_allow_changes_nothing(client, cast):
    s = at(State.ASSIGNED, cast)
    events = SuggestionEvent.objects.count()
    response = post_step(client, cast.staff, s, "accept")
    s.refresh_from_db()
    assert response.status_code == 302
    assert s.state == State.ASSIGNED
    assert SuggestionEvent.objects.count() == events


def test_the_chairman_flags_for_supervision_on_the_page(client, cast):
    s = at(State.ASSIGNED, cast)
    post_step(client, cast.chairman, s, "supervise", {"notes": "群众反映集中"})
    s.refresh_from_db()
    assert s.supervised and s.supervision_notes == "群众反映集中"


def test_staff_may_not_flag_for_supervision(client, cast):
    s = at(State.ASSIGNED, cast)
    assert post_step(client, cast.staff, s, "supervise", {"notes": "督办"}).status_code == 403
    s.refresh_from_db()
    assert not s.supervised


def test_another_department_cannot_answer(client, cast):
    other = factories.UserFactory(
        role="department", town=cast.town, department=factories.DepartmentFactory(town=cast.town)
    )
    s = at(State.ASSIGNED, cast)
    response = post_step(client, other, s, "answer", {"text": "答复", "result_class": "A", "answered_on": "2026-04-01"})
    s.refresh_from_db()
    assert response.status_code == 404
    assert s.state == State.ASSIGNED


@pytest.mark.parametrize(
    ("state", "step", "data"),
    [
        (State.SUBMITTED, "accept", {}),
        (State.SUBMITTED, "decline", {"reason": "个人诉求"}),
        (State.ASSIGNED, "answer", {"text": "答复", "result_class": "A", "answered_on": "2026-04-01"}),
        (State.ASSIGNED, "extend", {"due_on": "2026-07-01", "reason": "复杂"}),
        (State.ANSWERED, "rate", {"rating": "satisfied"}),
    ],
)
def test_an_outsider_gets_404_and_the_suggestion_is_unchanged(client, cast, state, step, data):
    s = at(state, cast)
    events = SuggestionEvent.objects.count()
    response = post_step(client, cast.outsider_staff, s, step, data)
    s.refresh_from_db()
    assert response.status_code == 404
    assert s.state == state
    assert SuggestionEvent.objects.count() == events


def test_an_outsider_cannot_read_a_suggestion(client, cast):
    s = at(State.SUBMITTED, cast)
    client.force_login(cast.outsider_staff)
    assert client.get(reverse("suggestions:detail", args=[s.pk])).status_code == 404


def test_a_deputy_cannot_read_another_deputys_suggestion(client, cast):
    s = at(State.SUBMITTED, cast)
    client.force_login(cast.other_deputy_user)
    assert client.get(reverse("suggestions:detail", args=[s.pk])).status_code == 404


def test_a_deputys_draft_is_not_shown_to_staff(client, cast):
    s = at(State.DRAFT, cast)
    client.force_login(cast.staff)
    assert client.get(reverse("suggestions:detail", args=[s.pk])).status_code == 404


def test_the_detail_offers_only_the_steps_of_the_state_and_role(client, cast):
    s = at(State.SUBMITTED, cast)
    client.force_login(cast.staff)
    staff_steps = [step.name for step, _ in client.get(s.get_absolute_url()).context["steps"]]
    client.force_login(cast.deputy_user)
    deputy_steps = [step.name for step, _ in client.get(s.get_absolute_url()).context["steps"]]
    assert staff_steps == ["accept", "decline"]
    assert deputy_steps == []


# --- lists ---------------------------------------------------------------------------------------------


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("suggestions:list"), params)
    assert response.status_code == 200
    return list(response.context["page"])


def test_a_deputy_lists_their_own_and_joint_suggestions(client, cast):
    mine = at(State.SUBMITTED, cast)
    joint = at(State.SUBMITTED, cast, proposer=cast.other_deputy, joint=[cast.deputy], title="修缮村道")
    at(State.SUBMITTED, cast, proposer=cast.other_deputy, title="增设公交站")
    assert set(listed(client, cast.deputy_user)) == {mine, joint}
    assert listed(client, cast.deputy_user, tab="joint") == [joint]


@time_machine.travel(TODAY)
def test_staff_list_overdue_first(client, cast):
    on_time = at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 6, 1))
    overdue = at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 1, 5), title="修缮村道")
    at(State.DRAFT, cast, title="草稿")
    rows = listed(client, cast.staff)
    assert rows[:2] == [overdue, on_time]
    assert len(rows) == 2
    assert listed(client, cast.staff, state="assigned") == [overdue, on_time]


def test_a_department_lists_what_is_assigned_to_it(client, cast):
    mine = at(State.ASSIGNED, cast)
    at(State.ASSIGNED, cast, department=factories.DepartmentFactory(town=cast.town), title="修缮村道")
    at(State.SUBMITTED, cast)
    assert listed(client, cast.department_user) == [mine]


@time_machine.travel(TODAY)
def test_the_chairman_lists_supervised_overdue_and_unsatisfied(client, cast):
    from suggestions import services as svc

    recent = at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 6, 1))
    supervised = svc.flag_for_supervision(by=cast.chairman, suggestion=recent, notes="督办")
    overdue = at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 1, 5), title="修缮村道")
    redo = at(State.REDO, cast, assigned_on=dt.date(2026, 5, 20), title="增设公交站")  # due again 29 July
    assert listed(client, cast.chairman, tab="supervised") == [supervised]
    assert listed(client, cast.chairman, tab="overdue") == [overdue]
    assert listed(client, cast.chairman, tab="unsatisfied") == [redo]


def _queries_for_list(client, user, params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("suggestions:list"), params)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("persona", "params"),
    [
        ("deputy_user", {}),
        ("staff", {}),
        ("staff", {"tab": "overdue"}),
        ("department_user", {}),
        ("chairman", {"tab": "supervised"}),
        ("chairman", {"tab": "all"}),
        ("district_user", {}),
    ],
)
def test_lists_take_the_same_number_of_queries_for_5_and_50_rows(client, cast, persona, params):
    from suggestions import services as svc

    def make(n):
        for i in range(n):
            s = at(State.ASSIGNED, cast, joint=[cast.other_deputy], assigned_on=dt.date(2026, 1, 5), title=f"路灯{i}")
            svc.flag_for_supervision(by=cast.chairman, suggestion=s, notes="督办")

    user = getattr(cast, persona)
    make(5)
    few = _queries_for_list(client, user, params)
    make(45)
    many = _queries_for_list(client, user, params)
    assert few == many
    assert Suggestion.objects.count() == 50


# --- statistics ----------------------------------------------------------------------------------------


@time_machine.travel(TODAY)
def test_statistics_count_on_time_answers_satisfaction_and_redos(client, cast):
    at(State.CLOSED, cast)  # answered 30 days after assignment: on time, satisfied
    at(State.REDO, cast, title="修缮村道")  # on time, unsatisfied, one redo
    at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 1, 5), title="增设公交站")  # overdue, unanswered
    client.force_login(cast.chairman)
    response = client.get(reverse("suggestions:statistics"), {"year": 2026})
    (row,) = response.context["rows"]
    assert (row.assigned, row.answered, row.on_time, row.late_or_overdue) == (3, 2, 2, 1)
    assert (row.rated, row.satisfied, row.redone) == (2, 1, 1)
    assert (row.on_time_percent, row.satisfied_percent) == (66.7, 50.0)


def test_a_deputy_may_not_see_statistics(client, cast):
    client.force_login(cast.deputy_user)
    assert client.get(reverse("suggestions:statistics")).status_code == 403


@time_machine.travel(TODAY)
def test_date_fields_render_iso_dates_for_the_browsers_date_picker(client, cast):
    s = at(State.ACCEPTED, cast)
    client.force_login(cast.staff)
    step_forms = {step.name: form for step, form in client.get(s.get_absolute_url()).context["steps"]}
    assert 'value="2026-07-01"' in str(step_forms["assign"]["assigned_on"])
