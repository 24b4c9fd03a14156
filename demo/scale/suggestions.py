"""The deputies' suggestions over the years: earlier years closed with a rated answer, this year at
every stage, with their proposers, departments, answers and events."""

from __future__ import annotations

import datetime as dt

from congress.models import Department
from demo.scale.base import Plan
from demo.scale.copying import bulk
from suggestions.models import (
    Suggestion,
    SuggestionAnswer,
    SuggestionCategory,
    SuggestionDepartment,
    SuggestionEvent,
    SuggestionProposer,
)
from suggestions.services import title_bigrams


def seed_suggestions(plan: Plan) -> None:
    """Suggestions over the years: earlier years closed with a rated answer, this year at every stage."""
    rng, today = plan.rng, plan.today
    per_year = plan.scale.suggestions_per_town // plan.scale.years
    extra = plan.scale.suggestions_per_town - per_year * plan.scale.years
    categories = [c.value for c in SuggestionCategory]
    topics = (
        "关于改善{v}道路状况的建议",
        "关于{v}增设路灯的建议",
        "关于加强{v}垃圾分类管理的建议",
        "关于{v}老年餐桌建设的建议",
        "关于{v}农田灌溉设施维修的建议",
        "关于{v}停车秩序治理的建议",
    )
    current_states = ("draft", "submitted", "accepted", "declined", "assigned", "answered", "closed", "closed")
    rows: list[Suggestion] = []
    extras: list[tuple[Department, Department | None, str]] = []
    for data in plan.towns:
        for offset in range(plan.scale.years):
            year = plan.first_year + offset
            n = per_year + (extra if offset == plan.scale.years - 1 else 0)
            number = 0
            for _ in range(n):
                state = "closed" if year < today.year else rng.choice(current_states)
                proposer = rng.choice(data.deputies)
                month = rng.randint(1, 12 if year < today.year else max(1, today.month - 1))
                submitted = dt.datetime(year, month, rng.randint(1, 28), 10, tzinfo=dt.UTC)
                title = rng.choice(topics).format(v=rng.choice(data.villages).name)
                lead, co = rng.sample(data.departments, 2)
                s = Suggestion(
                    town=data.town, year=year, proposer=proposer, entered_by=proposer.user,
                    title=title, category=rng.choice(categories), content="群众反映强烈，建议尽快解决。",
                    title_bigrams=title_bigrams(title), state=state,
                )  # fmt: skip
                if state != "draft":
                    number += 1
                    s.number, s.submitted_at = number, submitted
                if state == "declined":
                    s.decline_reason = "属于一般意见，转交有关部门参考"
                if state in ("assigned", "answered", "closed"):
                    s.lead_department = lead
                    assigned = submitted.date() + dt.timedelta(days=7)
                    s.assigned_on, s.due_on = assigned, assigned + dt.timedelta(days=90)
                if state == "closed":
                    s.rating = rng.choice(("satisfied", "satisfied", "basically_satisfied"))
                    s.closed_on = min(today, assigned + dt.timedelta(days=100))
                rows.append(s)
                extras.append((lead, co if rng.random() < 0.3 else None, state))
    suggestions = bulk(Suggestion, rows, "suggestions")
    proposers, departments, answers, events = [], [], [], []
    by_town = {d.town.pk: d for d in plan.towns}
    for s, (lead, second, state) in zip(suggestions, extras, strict=True):
        proposers.append(SuggestionProposer(suggestion=s, deputy_id=s.proposer_id, is_lead=True))
        if rng.random() < 0.2:
            joint = rng.choice(by_town[s.town_id].deputies)
            if joint.pk != s.proposer_id:
                proposers.append(SuggestionProposer(suggestion=s, deputy=joint, is_lead=False))
        if state != "draft":
            assert s.submitted_at is not None  # numbered and dated above for every state past "draft"
            events.append(SuggestionEvent(suggestion=s, actor_id=s.entered_by_id, at=s.submitted_at,
                                          action="submit", from_state="draft", to_state="submitted"))  # fmt: skip
        if state in ("assigned", "answered", "closed"):
            departments.append(SuggestionDepartment(suggestion=s, department=lead, is_lead=True))
            if second is not None:
                departments.append(SuggestionDepartment(suggestion=s, department=second, is_lead=False))
        if state in ("answered", "closed"):
            # Both set above for every state from "assigned" on.
            assert s.assigned_on is not None and s.due_on is not None
            answered = min(today, s.assigned_on + dt.timedelta(days=60))
            closed = state == "closed"
            answers.append(
                SuggestionAnswer(
                    suggestion=s, round=1, department=lead, text="已列入年度计划并组织实施。",
                    result_class=rng.choice("AAB"), due_on=s.due_on, answered_on=answered,
                    answered_by=by_town[s.town_id].staff, rating=s.rating if closed else "",
                    rated_on=s.closed_on if closed else None, rated_by_id=s.entered_by_id if closed else None,
                )
            )  # fmt: skip
    bulk(SuggestionProposer, proposers, "suggestion proposers")
    bulk(SuggestionDepartment, departments, "suggestion departments")
    bulk(SuggestionAnswer, answers, "suggestion answers")
    bulk(SuggestionEvent, events, "suggestion events")
