"""Suggestions in any state, built through the services so every row is one the app could make."""

from __future__ import annotations

import datetime as dt

from congress.models import Department, Deputy, User
from suggestions import services as svc
from suggestions.models import Suggestion
from tests import factories

State = Suggestion.State


def suggestion_in_state(
    state: str,
    *,
    proposer: Deputy,
    staff: User,
    department: Department | None = None,
    title: str = "建议村里安装路灯",
    joint: list[Deputy] | None = None,
    assigned_on: dt.date = dt.date(2026, 3, 2),
    result_class: str = "A",
    rating: str = "satisfied",
    today: dt.date | None = None,
) -> Suggestion:
    """A suggestion of `proposer`'s town brought to `state` (answers use `result_class`, ratings `rating`)."""
    by = proposer.user or staff
    # Submitted on 20 February 2026 unless the assignment comes earlier (it can never precede submission).
    today = today or min(dt.date(2026, 2, 20), assigned_on)
    s = svc.save_draft(
        by=by,
        town=proposer.town,
        proposer=proposer,
        data=svc.SuggestionData(title=title, category="urban", content="夜间道路漆黑。"),
        joint_proposers=joint or [],
        today=today,
    )
    if state == State.DRAFT:
        return s
    s = svc.submit_suggestion(by=by, suggestion=s, today=today)
    if state == State.SUBMITTED:
        return s
    if state == State.DECLINED:
        return svc.decline_suggestion(by=staff, suggestion=s, reason="属于个人诉求")
    s = svc.accept_suggestion(by=staff, suggestion=s)
    if state == State.ACCEPTED:
        return s
    department = department or factories.DepartmentFactory(town=proposer.town)
    s = svc.assign_suggestion(by=staff, suggestion=s, lead_department=department, assigned_on=assigned_on)
    if state == State.ASSIGNED:
        return s
    svc.answer_suggestion(
        by=staff,
        suggestion=s,
        text="已安排施工。",
        result_class=result_class,
        answered_on=assigned_on + dt.timedelta(30),
    )
    s.refresh_from_db()
    if state == State.ANSWERED:
        return s
    rater = proposer.user or staff
    if state == State.REDO:
        return svc.rate_answer(by=rater, suggestion=s, rating="unsatisfied", rated_on=assigned_on + dt.timedelta(40))
    if state == State.TRACKING:
        assert result_class in ("B", "C")
        return svc.rate_answer(by=rater, suggestion=s, rating=rating, rated_on=assigned_on + dt.timedelta(40))
    if state == State.CLOSED:
        return svc.rate_answer(by=rater, suggestion=s, rating=rating, rated_on=assigned_on + dt.timedelta(40))
    raise ValueError(state)
