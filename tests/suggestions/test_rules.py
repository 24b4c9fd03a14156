"""The suggestion's rules: every transition, deadlines, extension, redo, the rating window."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from congress.dates import add_months, add_working_days, is_working_day
from suggestions import services as svc
from suggestions.models import Suggestion, SuggestionAnswer, SuggestionEvent
from tests import factories
from tests.suggestions.factories import suggestion_in_state

State = Suggestion.State


def draft(cast, **kw):
    return suggestion_in_state(State.DRAFT, proposer=cast.deputy, staff=cast.staff, **kw)


def at(state, cast, **kw):
    return suggestion_in_state(state, proposer=cast.deputy, staff=cast.staff, department=cast.department, **kw)


# --- calendar arithmetic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
        (dt.date(2026, 8, 31), 3, dt.date(2026, 11, 30)),
        (dt.date(2026, 1, 31), 3, dt.date(2026, 4, 30)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 31), 6, dt.date(2026, 7, 31)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
    ],
)
def test_adding_months_clips_to_the_months_end(start, months, expected):
    assert add_months(start, months) == expected


def test_working_days_skip_the_national_day_holiday_and_count_the_adjusted_saturday(db):
    assert not is_working_day(dt.date(2025, 10, 1))
    assert is_working_day(dt.date(2025, 9, 28))  # a Sunday worked in exchange (调休)
    # 30 September 2025 (Tue) + 1 working day: 1–8 October are off, the 9th is worked.
    assert add_working_days(dt.date(2025, 9, 30), 1) == dt.date(2025, 10, 9)


def test_working_days_fall_back_to_weekdays_beyond_the_published_calendar(db):
    assert add_working_days(dt.date(2099, 1, 2), 1) == dt.date(2099, 1, 5)  # Friday → Monday


# --- drafting and submission ----------------------------------------------------------------------


def test_a_deputy_keeps_a_draft_with_a_joint_proposer(cast):
    s = draft(cast, joint=[cast.other_deputy])
    assert s.state == State.DRAFT
    assert s.number is None
    assert set(s.proposers.all()) == {cast.deputy, cast.other_deputy}
    assert s.proposer_links.get(is_lead=True).deputy == cast.deputy
    assert not s.entered_on_behalf


def test_joint_proposers_must_be_deputies_of_the_same_town(cast):
    stranger = factories.DeputyFactory(town=cast.other_town)
    with pytest.raises(ValidationError) as exc:
        draft(cast, joint=[stranger])
    assert "joint_proposers" in exc.value.message_dict


def test_submission_numbers_the_suggestion_in_its_town_year(cast):
    first = svc.submit_suggestion(by=cast.deputy_user, suggestion=draft(cast))
    second = svc.submit_suggestion(by=cast.deputy_user, suggestion=draft(cast, title="修缮村道"))
    assert (first.state, first.number, second.number) == (State.SUBMITTED, 1, 2)
    assert first.submitted_at is not None


def test_a_draft_of_december_submitted_in_january_is_numbered_in_the_new_year(cast):
    s = draft(cast, today=dt.date(2025, 12, 30))
    s = svc.submit_suggestion(by=cast.deputy_user, suggestion=s, today=dt.date(2026, 1, 4))
    assert (s.year, s.number) == (2026, 1)


def test_staff_enter_a_suggestion_for_a_deputy_without_a_login_recorded_as_such(cast):
    offline = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
    s = suggestion_in_state(State.SUBMITTED, proposer=offline, staff=cast.staff)
    assert s.entered_on_behalf
    assert s.entered_by == cast.staff
    assert s.events.get(action="submit").actor == cast.staff


def test_staff_may_not_write_for_a_deputy_who_has_a_login(cast):
    with pytest.raises(svc.IllegalTransition):
        svc.save_draft(
            by=cast.staff, town=cast.town, proposer=cast.deputy, data=svc.SuggestionData(title="路灯", category="urban")
        )


def test_a_deputy_may_not_submit_another_deputys_draft(cast):
    s = draft(cast)
    with pytest.raises(svc.IllegalTransition):
        svc.submit_suggestion(by=cast.other_deputy_user, suggestion=s)
    s.refresh_from_db()
    assert s.state == State.DRAFT


# --- every allowed transition, each recorded ------------------------------------------------------


def test_accepting_records_who_and_when(cast):
    s = svc.accept_suggestion(by=cast.staff, suggestion=at(State.SUBMITTED, cast))
    assert s.state == State.ACCEPTED
    event = s.events.latest("at")
    assert (event.actor, event.from_state, event.to_state, event.action) == (
        cast.staff,
        State.SUBMITTED,
        State.ACCEPTED,
        "accept",
    )
    assert event.at is not None


def test_declining_keeps_it_as_an_opinion_with_the_reason(cast):
    s = svc.decline_suggestion(by=cast.staff, suggestion=at(State.SUBMITTED, cast), reason="属于个人诉求")
    assert (s.state, s.decline_reason) == (State.DECLINED, "属于个人诉求")


def test_declining_needs_a_reason(cast):
    with pytest.raises(ValidationError) as exc:
        svc.decline_suggestion(by=cast.staff, suggestion=at(State.SUBMITTED, cast), reason=" ")
    assert "reason" in exc.value.message_dict


def test_an_assignment_dated_in_the_future_is_refused_on_its_field(cast):
    s = at(State.ACCEPTED, cast)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        svc.assign_suggestion(by=cast.staff, suggestion=s, lead_department=cast.department, assigned_on=tomorrow)

    assert list(exc.value.message_dict) == ["assigned_on"]
    assert Suggestion.objects.get(pk=s.pk).state == State.ACCEPTED


def test_an_assignment_dated_before_the_submission_is_refused_on_its_field(cast):
    s = at(State.ACCEPTED, cast, today=dt.date(2026, 2, 20))

    with pytest.raises(ValidationError) as exc:
        svc.assign_suggestion(
            by=cast.staff, suggestion=s, lead_department=cast.department, assigned_on=dt.date(2026, 2, 19)
        )

    assert exc.value.message_dict["assigned_on"] == ["交办日期不能早于建议提交的日期。"]
    assert Suggestion.objects.get(pk=s.pk).state == State.ACCEPTED
    # The day of submission itself is a valid day of assignment.
    svc.assign_suggestion(
        by=cast.staff, suggestion=s, lead_department=cast.department, assigned_on=dt.date(2026, 2, 20)
    )
    assert Suggestion.objects.get(pk=s.pk).state == State.ASSIGNED


def test_a_suggestion_entered_for_a_past_day_is_dated_that_day(cast):
    s = at(State.SUBMITTED, cast, today=dt.date(2026, 2, 20))
    assert timezone.localdate(s.submitted_at) == dt.date(2026, 2, 20)


def test_assignment_names_lead_and_co_departments_and_the_due_date(cast):
    co = factories.DepartmentFactory(town=cast.town, name="城建办")
    s = svc.assign_suggestion(
        by=cast.staff,
        suggestion=at(State.ACCEPTED, cast),
        lead_department=cast.department,
        co_departments=[co],
        assigned_on=dt.date(2026, 3, 2),
    )
    assert s.state == State.ASSIGNED
    assert s.lead_department == cast.department
    assert set(s.departments.all()) == {cast.department, co}
    assert s.due_on == dt.date(2026, 6, 2)


@pytest.mark.parametrize(
    ("assigned_on", "due_on"),
    [
        (dt.date(2026, 11, 30), dt.date(2027, 2, 28)),
        (dt.date(2027, 11, 30), dt.date(2028, 2, 29)),
        (dt.date(2026, 8, 31), dt.date(2026, 11, 30)),
        (dt.date(2026, 1, 31), dt.date(2026, 4, 30)),
    ],
)
def test_the_answer_is_due_three_months_after_assignment_at_month_ends(cast, assigned_on, due_on):
    with time_machine.travel(dt.datetime(2028, 3, 1, 4, tzinfo=dt.UTC), tick=False):  # no assignment is ahead
        s = at(State.ASSIGNED, cast, assigned_on=assigned_on)
    assert s.due_on == due_on


def test_the_plan_sets_the_answer_months(cast):
    factories.AnnualPlanFactory(town=cast.town, year=2026, suggestion_reply_months=2)
    assert at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 3, 31)).due_on == dt.date(2026, 5, 31)


def test_answering_records_the_text_and_result_class(cast):
    s = at(State.ASSIGNED, cast)
    answer = svc.answer_suggestion(
        by=cast.department_user, suggestion=s, text="已纳入计划。", result_class="C", answered_on=dt.date(2026, 5, 1)
    )
    s.refresh_from_db()
    assert s.state == State.ANSWERED
    assert (answer.round, answer.result_class, answer.on_time) == (1, "C", True)


def test_only_the_lead_department_answers(cast):
    other = factories.UserFactory(
        role="department", town=cast.town, department=factories.DepartmentFactory(town=cast.town)
    )
    s = at(State.ASSIGNED, cast)
    with pytest.raises(svc.IllegalTransition):
        svc.answer_suggestion(by=other, suggestion=s, text="答复", result_class="A", answered_on=dt.date(2026, 4, 1))
    assert not SuggestionAnswer.objects.exists()


@pytest.mark.parametrize(
    ("rating", "result_class", "state"),
    [
        ("satisfied", "A", State.CLOSED),
        ("basically_satisfied", "D", State.CLOSED),
        ("satisfied", "B", State.TRACKING),
        ("basically_satisfied", "C", State.TRACKING),
        ("unsatisfied", "A", State.REDO),
    ],
)
def test_the_rating_and_the_result_class_decide_what_follows(cast, rating, result_class, state):
    s = at(State.ANSWERED, cast, result_class=result_class)
    s = svc.rate_answer(by=cast.deputy_user, suggestion=s, rating=rating, rated_on=dt.date(2026, 4, 20))
    assert s.state == state
    assert s.answers.get().rating == rating


def test_an_unsatisfactory_answer_is_due_again_within_one_month(cast):
    s = at(State.ANSWERED, cast)
    s = svc.rate_answer(by=cast.deputy_user, suggestion=s, rating="unsatisfied", rated_on=dt.date(2026, 1, 31))
    assert (s.state, s.redo_count, s.due_on) == (State.REDO, 1, dt.date(2026, 2, 28))


def test_the_redone_answer_is_rated_again(cast):
    s = at(State.REDO, cast)
    svc.answer_suggestion(
        by=cast.department_user, suggestion=s, text="已重新安排。", result_class="A", answered_on=dt.date(2026, 4, 25)
    )
    s.refresh_from_db()
    s = svc.rate_answer(by=cast.deputy_user, suggestion=s, rating="satisfied", rated_on=dt.date(2026, 4, 28))
    assert s.state == State.CLOSED
    assert list(s.answers.values_list("round", "rating")) == [(1, "unsatisfied"), (2, "satisfied")]


def test_staff_record_the_rating_of_a_deputy_without_a_login(cast):
    offline = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
    s = suggestion_in_state(State.CLOSED, proposer=offline, staff=cast.staff, department=cast.department)
    answer = s.answers.get()
    assert (answer.rated_by, answer.rated_on_behalf) == (cast.staff, True)


def test_staff_may_not_rate_for_a_deputy_who_has_a_login(cast):
    s = at(State.ANSWERED, cast)
    with pytest.raises(svc.IllegalTransition):
        svc.rate_answer(by=cast.staff, suggestion=s, rating="satisfied", rated_on=dt.date(2026, 4, 20))


def test_a_joint_proposer_does_not_rate(cast):
    s = at(State.ANSWERED, cast, joint=[cast.other_deputy])
    with pytest.raises(svc.IllegalTransition):
        svc.rate_answer(by=cast.other_deputy_user, suggestion=s, rating="satisfied", rated_on=dt.date(2026, 4, 20))


def test_staff_record_a_tracked_suggestion_as_solved(cast):
    s = at(State.TRACKING, cast, result_class="B")
    s = svc.record_solved(by=cast.staff, suggestion=s, note="路灯已通电", solved_on=dt.date(2026, 9, 1))
    assert (s.state, s.closed_on) == (State.CLOSED, dt.date(2026, 9, 1))


def test_the_chairman_flags_a_suggestion_for_supervised_handling(cast):
    s = at(State.ASSIGNED, cast)
    s = svc.flag_for_supervision(by=cast.chairman, suggestion=s, notes="群众反映集中")
    assert s.supervised and s.state == State.ASSIGNED
    assert Suggestion.objects.supervised_open().get() == s
    assert s.events.latest("at").actor == cast.chairman


def test_a_supervised_suggestion_leaves_the_supervised_list_when_closed(cast):
    s = svc.flag_for_supervision(by=cast.chairman, suggestion=at(State.ANSWERED, cast), notes="督办")
    svc.rate_answer(by=cast.deputy_user, suggestion=s, rating="satisfied", rated_on=dt.date(2026, 4, 20))
    assert not Suggestion.objects.supervised_open().exists()


def test_every_transition_leaves_one_event(cast):
    s = at(State.CLOSED, cast)
    assert list(s.events.values_list("to_state", flat=True)) == [
        State.DRAFT,
        State.SUBMITTED,
        State.ACCEPTED,
        State.ASSIGNED,
        State.ANSWERED,
        State.CLOSED,
    ]


# --- illegal transitions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (State.DRAFT, "accept"),
        (State.SUBMITTED, "assign"),
        (State.ACCEPTED, "answer"),
        (State.ASSIGNED, "rate"),
        (State.ANSWERED, "assign"),
        (State.CLOSED, "answer"),
        (State.CLOSED, "submit"),
        (State.DECLINED, "accept"),
        (State.REDO, "rate"),
        (State.ASSIGNED, "solve"),
        (State.DRAFT, "supervise"),
        (State.CLOSED, "supervise"),
    ],
)
def test_an_illegal_transition_is_refused_and_changes_nothing(cast, state, step):
    s = at(state, cast)
    events = SuggestionEvent.objects.count()
    steps = {
        "accept": lambda: svc.accept_suggestion(by=cast.staff, suggestion=s),
        "submit": lambda: svc.submit_suggestion(by=cast.deputy_user, suggestion=s),
        "assign": lambda: svc.assign_suggestion(
            by=cast.staff, suggestion=s, lead_department=cast.department, assigned_on=dt.date(2026, 3, 1)
        ),
        "answer": lambda: svc.answer_suggestion(
            by=cast.staff, suggestion=s, text="答复", result_class="A", answered_on=dt.date(2026, 4, 1)
        ),
        "rate": lambda: svc.rate_answer(
            by=cast.deputy_user, suggestion=s, rating="satisfied", rated_on=dt.date(2026, 4, 1)
        ),
        "solve": lambda: svc.record_solved(by=cast.staff, suggestion=s, solved_on=dt.date(2026, 4, 1)),
        "supervise": lambda: svc.flag_for_supervision(by=cast.chairman, suggestion=s, notes="督办"),
    }
    with pytest.raises(svc.IllegalTransition) as exc:
        steps[step]()
    assert exc.value.code in ("illegal_transition", "not_in_handling")
    s_after = Suggestion.objects.get(pk=s.pk)
    assert s_after.state == state
    assert SuggestionEvent.objects.count() == events


# --- extension ------------------------------------------------------------------------------------


def test_the_deadline_extends_up_to_six_months_with_a_reason(cast):
    s = at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 8, 31))
    s = svc.extend_deadline(by=cast.staff, suggestion=s, due_on=dt.date(2027, 2, 28), reason="需区级立项")
    assert (s.due_on, s.extension_reason, s.state) == (dt.date(2027, 2, 28), "需区级立项", State.ASSIGNED)


def test_the_deadline_does_not_extend_past_six_months(cast):
    s = at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 8, 31))
    with pytest.raises(ValidationError) as exc:
        svc.extend_deadline(by=cast.staff, suggestion=s, due_on=dt.date(2027, 3, 1), reason="需区级立项")
    assert "due_on" in exc.value.message_dict
    s.refresh_from_db()
    assert s.due_on == dt.date(2026, 11, 30)


def test_an_extension_needs_a_reason(cast):
    s = at(State.ASSIGNED, cast)
    with pytest.raises(ValidationError) as exc:
        svc.extend_deadline(by=cast.staff, suggestion=s, due_on=dt.date(2026, 8, 1), reason="")
    assert "reason" in exc.value.message_dict


# --- the rating window ----------------------------------------------------------------------------


def test_an_answer_unrated_after_twenty_working_days_is_recorded_unrated(cast):
    s = at(State.ANSWERED, cast, assigned_on=dt.date(2025, 8, 31))  # answered 30 September 2025
    deadline = svc.rating_deadline(s.answers.get())
    # 1–8 October 2025 are the National Day holiday; 28 September and 11 October are worked.
    assert deadline == dt.date(2025, 11, 4)
    with pytest.raises(svc.IllegalTransition):
        svc.record_unrated(suggestion=s, today=deadline)
    s = svc.record_unrated(suggestion=s, today=deadline + dt.timedelta(days=1))
    assert (s.state, s.rating) == (State.CLOSED, "unrated")
    assert s.events.latest("at").actor is None


def test_an_unrated_class_b_answer_goes_on_to_follow_up(cast):
    at(State.ANSWERED, cast, result_class="B", assigned_on=dt.date(2026, 3, 2))
    assert svc.record_unrated_answers(today=dt.date(2026, 12, 31)) == 1
    assert Suggestion.objects.get().state == State.TRACKING
    assert svc.record_unrated_answers(today=dt.date(2026, 12, 31)) == 0


# --- overdue ---------------------------------------------------------------------------------------


def test_an_answer_is_overdue_the_day_after_it_is_due(cast):
    s = at(State.ASSIGNED, cast, assigned_on=dt.date(2026, 3, 2))
    assert not Suggestion.objects.overdue(dt.date(2026, 6, 2)).exists()
    assert list(Suggestion.objects.overdue(dt.date(2026, 6, 3))) == [s]
