"""The suggestion states and their steps are written once (suggestions.models.TRANSITIONS): the services
refuse a step from every state the table does not start it from, and the table reaches every state."""

from __future__ import annotations

import datetime as dt

import pytest

from suggestions import views
from suggestions.models import TRANSITIONS, Suggestion
from suggestions.services import IllegalTransition
from tests.suggestions.factories import suggestion_in_state

State = Suggestion.State
pytestmark = pytest.mark.django_db

# What each step's form would hold, so a refused step fails on its state and not on its input.
FORM_DATA = {
    "submit": {},
    "accept": {},
    "decline": {"reason": "属于个人诉求"},
    "assign": {"lead_department": None, "co_departments": [], "assigned_on": dt.date(2026, 3, 2)},
    "extend": {"due_on": dt.date(2026, 9, 1), "reason": "需要协调资金"},
    "answer": {"text": "已安排。", "result_class": "A", "answered_on": dt.date(2026, 4, 1)},
    "rate": {"rating": "satisfied"},
    "solve": {"note": "已完成。", "solved_on": dt.date(2026, 10, 1)},
    "supervise": {"notes": "重点督办"},
}


def test_every_step_the_page_offers_is_in_the_table_and_every_state_is_reached():
    assert set(views.STEPS) <= set(TRANSITIONS)
    reached = {State.DRAFT} | {state for step in TRANSITIONS.values() for state in step.targets}
    assert reached == set(State.values)


@pytest.mark.parametrize(
    ("step", "state"),
    [(step, state) for step in FORM_DATA for state in State.values if state not in TRANSITIONS[step].sources],
)
def test_a_step_from_a_state_the_table_does_not_start_it_from_is_refused(cast, step, state):
    s = suggestion_in_state(
        state,
        proposer=cast.deputy,
        staff=cast.staff,
        department=cast.department,
        result_class="B" if state == State.TRACKING else "A",
    )
    data = {**FORM_DATA[step]}
    if step == "assign":
        data["lead_department"] = cast.department
    user = cast.chairman if step == "supervise" else cast.staff

    with pytest.raises(IllegalTransition):
        views.STEPS[step].run(user, s, data)

    s.refresh_from_db()
    assert s.state == state
