import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from supervision import services
from supervision.models import ProblemMeeting, ProjectProblem
from tests.supervision.factories import LivelihoodProjectFactory


def solved(problem):
    return ProjectProblem.objects.with_solved().get(pk=problem.pk).solved


def meeting(cast, problem, *dues):
    return services.record_meeting(
        problem=problem,
        by=cast.staff,
        kind=ProblemMeeting.Kind.ONSITE,
        held_on=dt.date(2026, 5, 8),
        participants="副镇长、农业农村办、监督代表",
        decisions=[{"text": f"决定{i}", "owner_name": "农业农村办", "due_on": due} for i, due in enumerate(dues)],
    )


def test_a_problem_is_solved_only_when_every_decision_is_done(cast):
    project = LivelihoodProjectFactory(town=cast.town)
    problem = services.record_problem(project=project, by=cast.staff, description="征地补偿未谈妥")
    assert not solved(problem)  # no decisions yet
    first, second = meeting(cast, problem, dt.date(2026, 5, 30), dt.date(2026, 6, 15)).decisions.all()
    services.complete_decision(decision=first, by=cast.staff, done_on=dt.date(2026, 5, 28))
    assert not solved(problem)
    services.complete_decision(decision=second, by=cast.staff, done_on=dt.date(2026, 6, 10))
    assert solved(problem)


def test_a_later_meeting_with_an_open_decision_reopens_the_problem(cast):
    problem = services.record_problem(project=LivelihoodProjectFactory(town=cast.town), by=cast.staff, description="x")
    (decision,) = meeting(cast, problem, dt.date(2026, 5, 30)).decisions.all()
    services.complete_decision(decision=decision, by=cast.staff, done_on=dt.date(2026, 5, 28))
    meeting(cast, problem, dt.date(2026, 7, 1))
    assert not solved(problem)


def test_a_meeting_needs_a_decision(cast):
    problem = services.record_problem(project=LivelihoodProjectFactory(town=cast.town), by=cast.staff, description="x")
    with pytest.raises(ValidationError) as exc:
        meeting(cast, problem)
    assert "decisions" in exc.value.message_dict
    assert not ProblemMeeting.objects.exists()
