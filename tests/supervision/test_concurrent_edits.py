"""Two people saving the same review, project or monthly target at once: the second is told what the
first changed, and nothing is overwritten silently. Each test sends its requests from two threads."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from congress.roles import Role
from supervision import services
from supervision.models import LivelihoodProject, MonthlyTarget, ProjectReview
from tests.concurrency import post_together
from tests.factories import DepartmentFactory, UserFactory
from tests.figures import report
from tests.supervision.factories import LivelihoodProjectFactory

# Real commits: two connections save the same project at once; each must meet the other's committed row.
pytestmark = pytest.mark.django_db(transaction=True)

REVIEW = {"quality": "合格", "problems": "", "measures": "", "next_steps": "", "version": 1}


def under_way(cast):
    project = LivelihoodProjectFactory(
        town=cast.town, lead_department=cast.department, start=dt.date(2026, 3, 1), deadline=dt.date(2026, 8, 31)
    )
    services.save_targets(project=project, by=cast.staff, rows=services.proposed_targets(project))
    return project


def a_review(cast):
    project = under_way(cast)
    services.open_round(town=cast.town, year=2026, month=4, by=cast.staff)
    return ProjectReview.objects.get(project=project)


def conflict_text(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].non_field_errors())


def test_the_second_of_two_review_edits_is_told_what_changed_and_the_first_stays(cast):
    review = a_review(cast)
    colleague = UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("supervision:review_edit", args=[review.pk])
    responses = post_together(
        [(cast.staff, url, {**REVIEW, "actual_percent": 10}), (colleague, url, {**REVIEW, "actual_percent": 60})]
    )
    saved = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code != 302]
    assert (len(saved), len(refused)) == (1, 1)
    review.refresh_from_db()
    assert review.version == 2
    yours = 60 if review.actual_percent == 10 else 10
    message = conflict_text(refused[0])
    assert "其他人已保存了这条记录" in refused[0].content.decode()
    assert "其他人已保存了这条记录" in message
    assert f"实际累计进度（%）：已保存的是“{review.actual_percent}”，您填写的是“{yours}”" in message
    assert refused[0].context["form"]["version"].value() == "2"
    report("2 simultaneous edits of one review: 1 saved, 1 shown the conflict, 0 overwritten")


def test_saving_again_after_reading_the_conflict_keeps_the_second_persons_figures(cast, client):
    review = a_review(cast)
    url = reverse("supervision:review_edit", args=[review.pk])
    client.force_login(cast.staff)
    assert client.post(url, {**REVIEW, "actual_percent": 10}).status_code == 302
    refused = client.post(url, {**REVIEW, "actual_percent": 60})
    assert "实际累计进度" in conflict_text(refused)
    assert ProjectReview.objects.get(pk=review.pk).actual_percent == 10
    again = client.post(url, {**REVIEW, "actual_percent": 60, "version": refused.context["form"]["version"].value()})
    assert again.status_code == 302
    assert ProjectReview.objects.values_list("actual_percent", "version").get(pk=review.pk) == (60, 3)


def test_a_double_submit_of_one_review_is_recorded_once_without_a_conflict(cast):
    review = a_review(cast)
    url = reverse("supervision:review_edit", args=[review.pk])
    data = {**REVIEW, "actual_percent": 35}
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    assert ProjectReview.objects.filter(project=review.project).count() == 1
    assert ProjectReview.objects.values_list("actual_percent", "version").get(pk=review.pk) == (35, 2)
    report("a review submitted twice at once: 1 record, 1 version step, 0 conflicts")


def test_two_edits_of_a_project_name_keep_the_first_and_tell_the_second(cast):
    project = under_way(cast)
    project.status = LivelihoodProject.Status.CANDIDATE
    project.save()
    colleague = UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("supervision:project_edit", args=[project.pk])
    base = {
        "year": 2026,
        "position": project.position,
        "content": project.content,
        "investment": "120",
        "lead_department": cast.department.pk,
        "start": "2026-03-01",
        "deadline": "2026-08-31",
        "version": 1,
    }
    responses = post_together(
        [(cast.staff, url, {**base, "name": "村道大修（甲）"}), (colleague, url, {**base, "name": "村道大修（乙）"})]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    project.refresh_from_db()
    assert project.version == 2
    refused = next(r for r in responses if r.status_code == 200)
    loser = "村道大修（乙）" if project.name == "村道大修（甲）" else "村道大修（甲）"
    assert f"项目名称：已保存的是“{project.name}”，您填写的是“{loser}”" in conflict_text(refused)


def test_two_progress_reports_of_one_month_keep_the_first_and_tell_the_second(cast):
    project = under_way(cast)
    target = project.targets.order_by("month").first()
    url = reverse("supervision:target_progress", args=[target.pk])
    base = {"progress_notes": "", "completed_on": "", "version": 1}
    responses = post_together(
        [
            (cast.department_user, url, {**base, "reported_percent": 12}),
            (cast.staff, url, {**base, "reported_percent": 20}),
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    target = MonthlyTarget.objects.get(pk=target.pk)
    assert target.version == 2
    assert target.reported_percent in (12, 20)
    refused = next(r for r in responses if r.status_code == 200)
    yours = 20 if target.reported_percent == 12 else 12
    expected = f"上报累计进度（%）：已保存的是“{target.reported_percent}”，您填写的是“{yours}”"
    assert expected in conflict_text(refused)


def test_the_edit_pages_carry_the_version_they_were_drawn_from(cast, client):
    review = a_review(cast)
    target = review.project.targets.order_by("month").first()
    client.force_login(cast.staff)
    client.post(reverse("supervision:review_edit", args=[review.pk]), {**REVIEW, "actual_percent": 10})
    pages = {
        "review_edit": (review.pk, 2),
        "target_progress": (target.pk, 1),
        "project_edit": (review.project.pk, 1),
    }
    for name, (pk, version) in pages.items():
        html = client.get(reverse(f"supervision:{name}", args=[pk])).content.decode()
        assert re.search(rf'<input type="hidden" name="version" value="{version}"', html), name


# The project's sets (supervisors, cooperating departments, source summary items) take part in the check.


def a_candidate(cast):
    project = under_way(cast)
    project.status = LivelihoodProject.Status.CANDIDATE
    project.save()
    return project


def project_form(project, cast, **changes):
    return {
        "year": 2026,
        "position": project.position,
        "name": project.name,
        "content": project.content,
        "investment": "120",
        "lead_department": cast.department.pk,
        "start": "2026-03-01",
        "deadline": "2026-08-31",
        "version": 1,
        **changes,
    }


def test_two_edits_of_a_projects_supervisors_keep_the_first_and_tell_the_second(cast, client):
    project = a_candidate(cast)
    colleague = UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("supervision:project_edit", args=[project.pk])
    mine, theirs = cast.deputy, cast.other_deputy
    responses = post_together(
        [
            (cast.staff, url, project_form(project, cast, supervisors=[mine.pk])),
            (colleague, url, project_form(project, cast, supervisors=[theirs.pk])),
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    project.refresh_from_db()
    assert project.version == 2
    kept = list(project.supervisors.all())
    assert kept in ([mine], [theirs])
    loser = theirs if kept == [mine] else mine
    refused = next(r for r in responses if r.status_code == 200)
    assert "其他人已保存了这条记录" in refused.content.decode()
    assert f"监督代表：已保存的是“{kept[0].name}”，您填写的是“{loser.name}”" in conflict_text(refused)
    # Having read what the other saved, the second editor saves again on purpose: theirs is kept now.
    client.force_login(colleague)
    version = refused.context["form"]["version"].value()
    again = client.post(url, project_form(project, cast, supervisors=[loser.pk], version=version))
    assert again.status_code == 302
    project.refresh_from_db()
    assert (list(project.supervisors.all()), project.version) == ([loser], 3)
    report("2 simultaneous edits of a project's supervisors: 1 saved, 1 shown the conflict, 0 overwritten")


def test_an_edit_of_the_cooperating_departments_meets_an_edit_of_the_supervisors(cast, client):
    project = a_candidate(cast)
    other = DepartmentFactory(town=cast.town, name="城建办")
    url = reverse("supervision:project_edit", args=[project.pk])
    client.force_login(cast.staff)
    first = client.post(url, project_form(project, cast, supervisors=[cast.deputy.pk, cast.other_deputy.pk]))
    assert first.status_code == 302
    # Only a set changed, and the version still moved on.
    assert LivelihoodProject.objects.get(pk=project.pk).version == 2
    refused = client.post(url, project_form(project, cast, cooperating_departments=[cast.department.pk, other.pk]))
    message = conflict_text(refused)
    both = "、".join(sorted([cast.deputy.name, cast.other_deputy.name]))
    assert f"监督代表：已保存的是“{both}”，您填写的是“（空）”" in message
    assert f"配合单位：已保存的是“（空）”，您填写的是“{'、'.join(sorted(['城建办', '农业农村办']))}”" in message
    assert not project.cooperating_departments.exists()
    again = client.post(
        url,
        project_form(
            project,
            cast,
            cooperating_departments=[cast.department.pk, other.pk],
            version=refused.context["form"]["version"].value(),
        ),
    )
    assert again.status_code == 302
    assert set(project.cooperating_departments.all()) == {cast.department, other}
    assert not project.supervisors.exists()


def test_a_double_submit_of_a_projects_sets_is_saved_once_without_a_conflict(cast):
    project = a_candidate(cast)
    url = reverse("supervision:project_edit", args=[project.pk])
    data = project_form(project, cast, supervisors=[cast.deputy.pk], cooperating_departments=[cast.department.pk])
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    project.refresh_from_db()
    assert project.version == 2
    assert (list(project.supervisors.all()), list(project.cooperating_departments.all())) == (
        [cast.deputy],
        [cast.department],
    )


# The monthly targets page: its rows are one set of the project, with their own version.


def targets_form(project, version, **texts):
    """The targets page as drawn, with a month's target text changed (`texts` by "YYYY-MM")."""
    rows = services.current_targets(project)
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "version": version}
    for i, row in enumerate(rows):
        data |= {
            f"form-{i}-month": row.month.isoformat(),
            f"form-{i}-planned_percent": str(row.planned_percent),
            f"form-{i}-target": texts.get(f"{row.month:%Y-%m}", row.target),
        }
    return data


def test_two_saves_of_a_projects_targets_keep_the_first_and_tell_the_second(cast, client):
    project = under_way(cast)
    drawn = LivelihoodProject.objects.get(pk=project.pk).targets_version
    april = project.targets.get(month=dt.date(2026, 4, 1))
    colleague = UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("supervision:project_targets", args=[project.pk])
    responses = post_together(
        [
            (cast.staff, url, targets_form(project, drawn, **{"2026-04": "完成招标"})),
            (colleague, url, targets_form(project, drawn, **{"2026-04": "完成设计"})),
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    april.refresh_from_db()
    assert april.target in ("完成招标", "完成设计")
    assert LivelihoodProject.objects.get(pk=project.pk).targets_version == drawn + 1
    loser = "完成设计" if april.target == "完成招标" else "完成招标"
    refused = next(r for r in responses if r.status_code == 200)
    message = " ".join(refused.context["formset"].non_form_errors())
    assert "其他人已保存了这条记录" in refused.content.decode()
    percent = april.planned_percent
    assert f"2026-04的目标：已保存的是“{percent}%，{april.target}”，您填写的是“{percent}%，{loser}”" in message
    # Having read it, the second editor saves again on purpose: their text is kept now.
    client.force_login(colleague)
    version = refused.context["version_form"]["version"].value()
    assert version == str(drawn + 1)
    assert client.post(url, targets_form(project, version, **{"2026-04": loser})).status_code == 302
    april.refresh_from_db()
    assert april.target == loser
    report("2 simultaneous saves of a project's monthly targets: 1 saved, 1 shown the conflict, 0 overwritten")


def test_a_double_submit_of_the_targets_is_saved_once_without_a_conflict(cast):
    project = under_way(cast)
    drawn = LivelihoodProject.objects.get(pk=project.pk).targets_version
    url = reverse("supervision:project_targets", args=[project.pk])
    data = targets_form(project, drawn, **{"2026-05": "主体完工"})
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    assert LivelihoodProject.objects.get(pk=project.pk).targets_version == drawn + 1
    assert project.targets.get(month=dt.date(2026, 5, 1)).target == "主体完工"


def test_saving_the_targets_is_no_conflict_for_an_edit_of_the_project(cast, client):
    project = a_candidate(cast)
    drawn = LivelihoodProject.objects.get(pk=project.pk).targets_version
    client.force_login(cast.staff)
    url = reverse("supervision:project_targets", args=[project.pk])
    assert client.post(url, targets_form(project, drawn, **{"2026-03": "完成设计"})).status_code == 302
    edit = reverse("supervision:project_edit", args=[project.pk])
    assert client.post(edit, project_form(project, cast, name="村道大修（甲）")).status_code == 302
    assert LivelihoodProject.objects.get(pk=project.pk).name == "村道大修（甲）"


# A problem-solving meeting and its decisions: corrected on one page, as one set of the meeting.


def a_meeting(cast):
    problem = services.record_problem(project=under_way(cast), by=cast.staff, description="征地补偿未谈妥")
    return services.record_meeting(
        problem=problem,
        by=cast.staff,
        kind="onsite",
        held_on=dt.date(2026, 5, 8),
        participants="各部门",
        decisions=[
            {"text": "拿出征地方案", "owner_name": "张", "owner_department": None, "due_on": dt.date(2026, 5, 20)}
        ],
    )


def meeting_form(meeting, text, version=1):
    decision = meeting.decisions.get()
    return {
        "kind": "onsite",
        "held_on": "2026-05-08",
        "place": "",
        "participants": "各部门",
        "notes": "",
        "version": version,
        "decisions-TOTAL_FORMS": "1",
        "decisions-INITIAL_FORMS": "1",
        "decisions-0-id": decision.pk,
        "decisions-0-text": text,
        "decisions-0-owner_name": "张",
        "decisions-0-owner_department": "",
        "decisions-0-due_on": "2026-05-20",
    }


def test_two_corrections_of_a_meetings_decisions_keep_the_first_and_tell_the_second(cast, client):
    meeting = a_meeting(cast)
    colleague = UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("supervision:meeting_edit", args=[meeting.pk])
    responses = post_together(
        [
            (cast.staff, url, meeting_form(meeting, "一周内拿出征地方案")),
            (colleague, url, meeting_form(meeting, "十天内拿出征地方案")),
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    kept = meeting.decisions.get().text
    assert kept in ("一周内拿出征地方案", "十天内拿出征地方案")
    loser = "十天内拿出征地方案" if kept == "一周内拿出征地方案" else "一周内拿出征地方案"
    refused = next(r for r in responses if r.status_code == 200)
    message = conflict_text(refused)
    assert "其他人已保存了这条记录" in refused.content.decode()
    assert f"决定事项：已保存的是“{kept}（张，2026-05-20前）”，您填写的是“{loser}（张，2026-05-20前）”" in message
    client.force_login(colleague)
    version = refused.context["form"]["version"].value()
    assert client.post(url, meeting_form(meeting, loser, version=version)).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.decisions.get().text, meeting.version) == (loser, 3)
    report("2 simultaneous corrections of a meeting's decisions: 1 saved, 1 shown the conflict, 0 overwritten")


def test_a_double_submit_of_a_meeting_correction_is_saved_once_without_a_conflict(cast):
    meeting = a_meeting(cast)
    url = reverse("supervision:meeting_edit", args=[meeting.pk])
    data = meeting_form(meeting, "一周内拿出征地方案")
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    meeting.refresh_from_db()
    assert (meeting.decisions.get().text, meeting.version) == ("一周内拿出征地方案", 2)


def test_the_targets_and_meeting_pages_carry_the_version_they_were_drawn_from(cast, client):
    meeting = a_meeting(cast)
    project = meeting.problem.project
    client.force_login(cast.staff)
    pages = {
        reverse("supervision:project_targets", args=[project.pk]): LivelihoodProject.objects.get(
            pk=project.pk
        ).targets_version,
        reverse("supervision:meeting_edit", args=[meeting.pk]): 1,
    }
    for url, version in pages.items():
        html = client.get(url).content.decode()
        assert re.search(rf'<input type="hidden" name="version" value="{version}"', html), url
