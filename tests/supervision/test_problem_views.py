"""The problem-solving records in the browser: problems on the project page, meetings with their decisions
on the problem page, and a problem solved only when every decision is done."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision import services
from supervision.models import MeetingDecision, ProblemMeeting, ProjectProblem
from tests.supervision.factories import LivelihoodProjectFactory


def project_of(cast):
    return LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, supervisors=[cast.deputy])


def decisions_data(*rows, initial=0, prefix="decisions"):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{k}": v for k, v in row.items()}
    return data


def meeting_data(*rows, **overrides):
    return {
        "kind": "onsite",
        "held_on": "2026-05-08",
        "place": "项目现场",
        "participants": "分管副镇长、城建办、监督代表",
        "notes": "",
        **decisions_data(*rows),
        **overrides,
    }


DECISION = {"text": "一周内拿出征地方案", "owner_name": "城建办主任", "owner_department": "", "due_on": "2026-05-15"}
EMPTY = {"text": "", "owner_name": "", "owner_department": "", "due_on": ""}


def meeting_on(cast, problem, *dues, kind="onsite", department=None):
    return services.record_meeting(
        problem=problem,
        by=cast.staff,
        kind=kind,
        held_on=dt.date(2026, 5, 8),
        participants="各部门",
        decisions=[
            {"text": f"决定{i}", "owner_name": "张", "owner_department": department, "due_on": due}
            for i, due in enumerate(dues)
        ],
    )


def a_problem(cast, project=None):
    return services.record_problem(project=project or project_of(cast), by=cast.staff, description="征地补偿未谈妥")


def test_staff_record_a_problem_from_the_project_page(cast, client):
    project = project_of(cast)
    client.force_login(cast.staff)
    response = client.post(reverse("supervision:problem_create", args=[project.pk]), {"description": "管线迁改滞后"})
    problem = ProjectProblem.objects.get(project=project)
    assert response.url == problem.get_absolute_url()
    assert (problem.description, problem.created_by) == ("管线迁改滞后", cast.staff)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "管线迁改滞后" in page and "正在解决" in page


def test_a_problem_without_words_is_refused_on_its_field(cast, client):
    project = project_of(cast)
    client.force_login(cast.staff)
    response = client.post(reverse("supervision:problem_create", args=[project.pk]), {"description": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert not ProjectProblem.objects.exists()


def test_a_review_of_another_project_is_not_offered(cast, client):
    from tests.supervision.factories import ProjectReviewFactory

    other = ProjectReviewFactory(project__town=cast.town, actual_percent=10, light="red", light_reason="far_behind",
                                 reviewed_at=dt.datetime(2026, 4, 15, tzinfo=dt.UTC))  # fmt: skip
    project = project_of(cast)
    client.force_login(cast.staff)
    data = {"description": "x", "review": other.pk}
    response = client.post(reverse("supervision:problem_create", args=[project.pk]), data)
    assert "review" in response.context["form"].errors
    assert not ProjectProblem.objects.exists()


def test_staff_record_a_meeting_with_its_decisions_and_spare_rows_are_ignored(cast, client):
    problem = a_problem(cast)
    client.force_login(cast.staff)
    second = DECISION | {"text": "财政所提前拨款", "owner_department": cast.department.pk, "due_on": "2026-05-30"}
    response = client.post(
        reverse("supervision:meeting_create", args=[problem.pk]), meeting_data(DECISION, second, EMPTY)
    )
    assert response.status_code == 302
    meeting = ProblemMeeting.objects.get(problem=problem)
    assert (meeting.kind, meeting.held_on, meeting.created_by) == ("onsite", dt.date(2026, 5, 8), cast.staff)
    assert list(meeting.decisions.values_list("text", "owner_department", "due_on")) == [
        ("一周内拿出征地方案", None, dt.date(2026, 5, 15)),
        ("财政所提前拨款", cast.department.pk, dt.date(2026, 5, 30)),
    ]
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "现场办公" in page and "城建办主任" in page and "2026-05-30" in page


def test_a_meeting_without_decisions_keeps_what_was_typed_and_says_why(cast, client):
    problem = a_problem(cast)
    client.force_login(cast.staff)
    response = client.post(reverse("supervision:meeting_create", args=[problem.pk]), meeting_data(EMPTY, EMPTY))
    assert response.status_code == 200
    assert "会商须至少记录一项决定事项。" in response.context["decisions"].non_form_errors()
    assert response.context["form"]["participants"].value() == "分管副镇长、城建办、监督代表"
    assert not ProblemMeeting.objects.exists()


def test_a_decision_without_owner_or_due_date_is_refused_on_its_fields(cast, client):
    problem = a_problem(cast)
    client.force_login(cast.staff)
    broken = DECISION | {"owner_name": "", "due_on": "明天"}
    response = client.post(reverse("supervision:meeting_create", args=[problem.pk]), meeting_data(broken))
    errors = response.context["decisions"].forms[0].errors
    assert {"owner_name", "due_on"} <= set(errors)
    assert not ProblemMeeting.objects.exists()


def test_the_problem_counts_as_solved_only_when_every_decision_is_done(cast, client):
    problem = a_problem(cast)
    meeting_on(cast, problem, dt.date(2026, 5, 20), dt.date(2026, 6, 1), kind="consultation")
    first, second = MeetingDecision.objects.order_by("pk")
    client.force_login(cast.staff)
    client.post(reverse("supervision:decision_done", args=[first.pk]), {"done_on": "2026-05-19"})
    assert 'id="problem-state">正在解决' in client.get(problem.get_absolute_url()).content.decode()
    client.post(reverse("supervision:decision_done", args=[second.pk]), {"done_on": "2026-05-31"})
    assert MeetingDecision.objects.get(pk=second.pk).done_on == dt.date(2026, 5, 31)
    assert 'id="problem-state">已解决' in client.get(problem.get_absolute_url()).content.decode()


def test_a_done_date_that_is_not_a_date_changes_nothing(cast, client):
    problem = a_problem(cast)
    meeting_on(cast, problem, dt.date(2026, 5, 20), kind="study")
    decision = MeetingDecision.objects.get()
    client.force_login(cast.staff)
    response = client.post(reverse("supervision:decision_done", args=[decision.pk]), {"done_on": "昨天"}, follow=True)
    assert response.status_code == 200
    assert MeetingDecision.objects.get(pk=decision.pk).done_on is None


def test_editing_a_meeting_rewords_keeps_and_removes_open_decisions(cast, client):
    problem = a_problem(cast)
    meeting = meeting_on(cast, problem, dt.date(2026, 5, 20), dt.date(2026, 6, 1))
    first, second = meeting.decisions.order_by("pk")
    rows = [
        {"id": first.pk, "text": "甲（改）", "owner_name": "张", "owner_department": "", "due_on": "2026-05-25"},
        {"id": second.pk, "text": "乙", "owner_name": "李", "owner_department": "", "due_on": "2026-06-01",
         "DELETE": "on"},
        EMPTY,
    ]  # fmt: skip
    data = meeting_data(**decisions_data(*rows, initial=2), kind="study", version=1)
    client.force_login(cast.staff)
    assert client.post(reverse("supervision:meeting_edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.kind == "study"
    assert list(meeting.decisions.values_list("pk", "text", "due_on")) == [(first.pk, "甲（改）", dt.date(2026, 5, 25))]


def test_a_decision_that_is_done_cannot_be_removed(cast, client):
    problem = a_problem(cast)
    meeting = meeting_on(cast, problem, dt.date(2026, 5, 20))
    decision = meeting.decisions.get()
    services.complete_decision(decision=decision, by=cast.staff, done_on=dt.date(2026, 5, 18))
    row = {"id": decision.pk, "text": "甲", "owner_name": "张", "owner_department": "", "due_on": "2026-05-20",
           "DELETE": "on"}  # fmt: skip
    client.force_login(cast.staff)
    response = client.post(
        reverse("supervision:meeting_edit", args=[meeting.pk]),
        meeting_data(**decisions_data(row, initial=1), version=1),
    )
    assert response.status_code == 200
    assert MeetingDecision.objects.filter(pk=decision.pk).exists()


def test_the_supervising_deputy_reads_the_problem_but_another_deputy_gets_404(cast, client):
    problem = a_problem(cast)
    client.force_login(cast.deputy_user)
    assert client.get(problem.get_absolute_url()).status_code == 200
    assert "记录会商" not in client.get(problem.get_absolute_url()).content.decode()
    client.force_login(cast.other_deputy_user)
    assert client.get(problem.get_absolute_url()).status_code == 404


def _problems_with_meetings(cast, project, count):
    for i in range(count):
        problem = services.record_problem(project=project, by=cast.staff, description=f"问题{i}")
        meeting_on(cast, problem, dt.date(2026, 5, 20), department=cast.department)


def test_the_project_page_costs_the_same_with_2_and_12_problems(cast, client):
    project = project_of(cast)
    client.force_login(cast.staff)
    _problems_with_meetings(cast, project, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(project.get_absolute_url())
    _problems_with_meetings(cast, project, 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(project.get_absolute_url())
    assert len(response.context["problems"]) == 12
    assert len(many) == len(few)


def test_the_problem_page_costs_the_same_with_2_and_12_meetings(cast, client):
    problem = a_problem(cast)

    def meetings(count):
        for _ in range(count):
            meeting_on(cast, problem, dt.date(2026, 5, 20), dt.date(2026, 5, 30), department=cast.department)

    client.force_login(cast.deputy_user)
    meetings(2)
    with CaptureQueriesContext(connection) as few:
        client.get(problem.get_absolute_url())
    meetings(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(problem.get_absolute_url())
    assert len(response.context["meetings"]) == 12
    assert len(many) == len(few)
