import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from supervision import services
from supervision.models import LivelihoodProject, ProjectStatusChange
from tests.supervision.factories import LivelihoodProjectFactory

S = LivelihoodProject.Status


def project_in(status, cast, **kw):
    if status == S.TERMINATED:
        kw.setdefault("termination_reason", "资金未落实")
    return LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, status=status, **kw)


@pytest.mark.parametrize(
    ("start", "service", "end"),
    [
        (S.CANDIDATE, services.adopt_project, S.ADOPTED),
        (S.CANDIDATE, services.reject_project, S.REJECTED),
        (S.ADOPTED, services.start_project, S.IN_PROGRESS),
        (S.IN_PROGRESS, services.complete_project, S.COMPLETED),
    ],
)
def test_allowed_transition_changes_status_and_is_logged(cast, start, service, end):
    project = project_in(start, cast)
    service(project=project, by=cast.staff)
    project.refresh_from_db()
    assert project.status == end
    change = ProjectStatusChange.objects.get(project=project)
    assert (change.from_status, change.to_status, change.changed_by) == (start, end, cast.staff)


@pytest.mark.parametrize("start", [S.ADOPTED, S.IN_PROGRESS])
def test_adopted_or_running_project_can_be_terminated_with_its_reason(cast, start):
    project = project_in(start, cast)
    services.terminate_project(project=project, by=cast.staff, reason="规划调整，用地未落实")
    project.refresh_from_db()
    assert (project.status, project.termination_reason) == (S.TERMINATED, "规划调整，用地未落实")


def test_termination_without_reason_is_refused(cast):
    project = project_in(S.IN_PROGRESS, cast)
    with pytest.raises(ValidationError) as exc:
        services.terminate_project(project=project, by=cast.staff, reason="  ")
    assert "termination_reason" in exc.value.message_dict
    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS


@pytest.mark.parametrize(
    ("start", "service"),
    [
        (S.CANDIDATE, services.start_project),
        (S.CANDIDATE, services.complete_project),
        (S.REJECTED, services.adopt_project),
        (S.ADOPTED, services.complete_project),
        (S.ADOPTED, services.reject_project),
        (S.IN_PROGRESS, services.adopt_project),
        (S.COMPLETED, services.start_project),
        (S.TERMINATED, services.start_project),
    ],
)
def test_illegal_transition_raises_and_changes_nothing(cast, start, service):
    project = project_in(start, cast)
    with pytest.raises(ValidationError):
        service(project=project, by=cast.staff)
    project.refresh_from_db()
    assert project.status == start
    assert not ProjectStatusChange.objects.exists()


@pytest.mark.parametrize("start", [S.CANDIDATE, S.COMPLETED, S.REJECTED, S.TERMINATED])
def test_only_adopted_or_running_projects_can_be_terminated(cast, start):
    project = project_in(start, cast)
    with pytest.raises(ValidationError):
        services.terminate_project(project=project, by=cast.staff, reason="资金不足")


def test_project_cannot_start_without_a_lead_department(cast):
    project = LivelihoodProjectFactory(town=cast.town, lead_department=None, status=S.ADOPTED)
    with pytest.raises(ValidationError) as exc:
        services.start_project(project=project, by=cast.staff)
    assert "lead_department" in exc.value.message_dict


def test_database_refuses_a_running_project_without_lead_department(cast):
    with pytest.raises(IntegrityError):
        LivelihoodProjectFactory(town=cast.town, lead_department=None, status=S.IN_PROGRESS)


def test_database_refuses_a_deadline_before_the_start(cast):
    with pytest.raises(IntegrityError):
        LivelihoodProjectFactory(town=cast.town, start=dt.date(2026, 5, 1), deadline=dt.date(2026, 4, 30))


def test_create_project_refuses_a_supervisor_from_another_town(cast):
    from tests.factories import DeputyFactory

    stranger = DeputyFactory(town=cast.other_town)
    with pytest.raises(ValidationError) as exc:
        services.create_project(
            by=cast.staff,
            town=cast.town,
            year=2026,
            name="路灯安装",
            content="无灯道路安装路灯120盏",
            start=dt.date(2026, 3, 1),
            deadline=dt.date(2026, 6, 30),
            supervisors=[stranger],
        )
    assert "supervisors" in exc.value.message_dict
    assert not LivelihoodProject.objects.exists()
