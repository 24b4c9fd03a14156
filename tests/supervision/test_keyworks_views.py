"""Pages of whole-process supervision, tried as their users would: a deputy records a stage inspection
with a suggestion on a phone, staff turn it into a rectification item, a later look-back closes it."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from congress.models import Attachment
from supervision.models import KeyProjectAssignment, LookBack, Rectification, StageInspection
from supervision.services import keyworks
from tests import factories

pytestmark = pytest.mark.django_db
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return SimpleUploadedFile("现场.png", out.getvalue(), content_type="image/png")


def _project(cast, name="北房镇老旧小区综合整治"):
    project = keyworks.create_key_project(
        by=cast.staff, town=cast.town, year=2026, name=name, lead_department=cast.department
    )
    keyworks.assign_deputy(project=project, deputy=cast.deputy, tier=KeyProjectAssignment.Tier.LEAD)
    stage = keyworks.add_stage(
        project=project, name="管线改造", planned_start=dt.date(2026, 4, 1), planned_end=dt.date(2026, 6, 30)
    )
    return project, stage


def test_a_deputy_records_an_inspection_staff_make_an_item_and_a_look_back_closes_it(client, cast):
    _, stage = _project(cast)

    client.force_login(cast.deputy_user)
    form = client.get(reverse("supervision:inspection_create", args=[stage.pk]), **PHONE)
    assert form.status_code == 200
    response = client.post(
        reverse("supervision:inspection_create", args=[stage.pk]),
        {
            "inspected_on": "2026-05-10", "deputies": [cast.deputy.pk], "notes": "沟槽未设围挡",
            "reported_by": "城建办 王主任", "report_summary": "燃气管线完成60%",
            "suggestions": "施工沟槽加设围挡\n夜间设置警示灯", "photo": _png(),
        },
        **PHONE,
    )  # fmt: skip
    inspection = StageInspection.objects.get()
    assert response.status_code == 302
    assert inspection.suggestions.count() == 2
    assert Attachment.objects.filter(object_id=inspection.pk, mime_type="image/png").count() == 1

    client.force_login(cast.staff)
    suggestion = inspection.suggestions.order_by("pk").first()
    client.post(
        reverse("supervision:suggestion_rectify", args=[suggestion.pk]),
        {
            "description": suggestion.text,
            "owner_department": cast.department.pk,
            "owner_name": "",
            "due_on": "2026-06-30",
        },
    )
    item = Rectification.objects.get()
    assert item.suggestion == suggestion and item.is_open

    client.force_login(cast.deputy_user)
    client.post(
        reverse("supervision:look_back_create", args=[item.pk]),
        {"checked_on": "2026-07-05", "deputies": [cast.deputy.pk], "evidence": "围挡已设置", "verdict": "done"},
        **PHONE,
    )
    item.refresh_from_db()
    assert item.closed_on == dt.date(2026, 7, 5)


def test_a_partial_look_back_through_the_page_needs_and_sets_a_new_due_date(client, cast):
    project, _ = _project(cast)
    item = keyworks.add_rectification(
        by=cast.staff, origin=project, description="补充资料", owner_name="城建办", due_on=dt.date(2026, 6, 30)
    )
    client.force_login(cast.staff)
    url = reverse("supervision:look_back_create", args=[item.pk])

    refused = client.post(url, {"checked_on": "2026-07-05", "verdict": "partial"})
    client.post(url, {"checked_on": "2026-07-05", "verdict": "partial", "new_due_on": "2026-08-31"})

    assert refused.status_code == 200
    # The service's message on the date field, not the model constraint's generic form-wide one.
    refused_form = refused.context["form"]
    assert list(refused_form.errors) == ["new_due_on"] and not refused_form.non_field_errors()
    item.refresh_from_db()
    assert item.is_open and item.due_on == dt.date(2026, 8, 31)
    assert LookBack.objects.filter(rectification=item).count() == 1


def test_a_deputy_not_assigned_cannot_record_an_inspection(client, cast):
    _, stage = _project(cast)
    client.force_login(cast.other_deputy_user)

    response = client.post(
        reverse("supervision:inspection_create", args=[stage.pk]),
        {"inspected_on": "2026-05-10", "deputies": [cast.other_deputy.pk], "notes": "x"},
    )

    assert response.status_code == 404
    assert not StageInspection.objects.exists()


def test_the_department_answers_its_item_but_does_not_close_it(client, cast):
    project, _ = _project(cast)
    item = keyworks.add_rectification(
        by=cast.staff,
        origin=project,
        description="补充资料",
        owner_department=cast.department,
        due_on=dt.date(2026, 6, 30),
    )
    client.force_login(cast.department_user)

    client.post(reverse("supervision:rectification_answer", args=[item.pk]), {"response": "资料已补充"})
    refused = client.post(
        reverse("supervision:look_back_create", args=[item.pk]), {"checked_on": "2026-07-05", "verdict": "done"}
    )

    item.refresh_from_db()
    assert item.response == "资料已补充" and item.is_open
    assert refused.status_code == 403


def test_the_key_project_list_warns_outside_the_plans_range(client, cast):
    _project(cast)
    client.force_login(cast.chairman)

    response = client.get(reverse("supervision:keyproject_list") + "?year=2026")

    assert response.context["check"].too_few
    assert b"alert-warning" in response.content


def test_the_key_project_count_warning_shows_on_the_project_its_form_and_the_dashboard(client, cast):
    # One key project this year, where the plan expects two to three.
    project = keyworks.create_key_project(
        by=cast.staff, town=cast.town, year=dt.date.today().year, name="北房镇老旧小区综合整治",
        lead_department=cast.department,
    )  # fmt: skip
    client.force_login(cast.staff)
    detail = client.get(project.get_absolute_url()).content.decode()
    form = client.get(reverse("supervision:keyproject_create")).content.decode()
    client.force_login(cast.chairman)
    board = client.get(reverse("dashboard:town")).content.decode()

    for page in (detail, form, board):
        assert "本年度共 1 项，年度计划要求 2 至 3 项，数量不足。" in page
    assert "重点工作" in detail and "重点工作" in board


def test_the_key_project_page_shows_each_deputys_tier_and_expertise(client, cast):
    cast.deputy.expertise = "建筑工程"
    cast.deputy.save()
    project, _ = _project(cast)
    client.force_login(cast.staff)

    response = client.get(project.get_absolute_url())

    assert "建筑工程" in response.content.decode()
    assert "建筑工程" in str(response.context["assignment_form"]["deputy"])


def test_the_open_list_shows_overdue_items_by_source(client, cast):
    project, _ = _project(cast)
    evaluation = keyworks.create_evaluation(by=cast.staff, town=cast.town, year=2026, department=cast.department)
    keyworks.add_rectification(
        by=cast.staff, origin=project, description="甲", owner_name="城建办", due_on=dt.date(2000, 1, 1)
    )
    keyworks.add_rectification(
        by=cast.staff, origin=evaluation, description="乙", owner_name="办", due_on=dt.date(2099, 1, 1)
    )
    client.force_login(cast.chairman)

    response = client.get(reverse("supervision:rectification_list"))

    assert response.context["overdue"] == 1
    assert len(response.context["groups"]) == 2


def test_an_outsider_sees_no_item_and_cannot_look_back(client, cast):
    project, _ = _project(cast)
    item = keyworks.add_rectification(
        by=cast.staff, origin=project, description="甲", owner_name="办", due_on=dt.date(2026, 6, 30)
    )
    client.force_login(cast.outsider_staff)

    assert client.get(item.get_absolute_url()).status_code == 404
    assert (
        client.post(
            reverse("supervision:look_back_create", args=[item.pk]), {"checked_on": "2026-07-05", "verdict": "done"}
        ).status_code
        == 404
    )
    assert Rectification.objects.get(pk=item.pk).is_open


def test_the_evaluation_vote_is_recorded_from_its_page(client, cast):
    evaluation = keyworks.create_evaluation(by=cast.staff, town=cast.town, year=2026, department=cast.department)
    client.force_login(cast.staff)

    client.post(
        reverse("supervision:evaluation_vote", args=[evaluation.pk]), {"satisfied": 6, "basically": 3, "unsatisfied": 1}
    )

    evaluation.refresh_from_db()
    assert evaluation.result == "satisfied"
    assert client.get(evaluation.get_absolute_url()).status_code == 200


def test_the_law_inspection_page_records_activities_and_findings(client, cast):
    inspection = keyworks.create_law_inspection(by=cast.staff, town=cast.town, year=2026, law="《食品安全法》")
    client.force_login(cast.staff)

    client.post(
        reverse("supervision:law_activity_add", args=[inspection.pk]),
        {"held_on": "2026-05-20", "description": "检查农贸市场", "deputies": [cast.deputy.pk]},
    )
    client.post(
        reverse("supervision:law_findings", args=[inspection.pk]), {"findings": "无台账", "reported_on": "2026-06-05"}
    )

    inspection.refresh_from_db()
    assert inspection.findings == "无台账" and inspection.activities.count() == 1
    assert client.get(inspection.get_absolute_url()).status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


SERIAL = itertools.count()


def _grow(cast, n):
    for _ in range(n):
        i = next(SERIAL)
        project, stage = _project(cast, f"重点工程{i}")
        inspection = keyworks.record_inspection(
            by=cast.staff,
            stage=stage,
            inspected_on=dt.date(2026, 5, 1),
            deputies=[cast.deputy],
            notes="n",
            suggestions=["s"],
        )
        keyworks.rectify_suggestion(
            by=cast.staff, suggestion=inspection.suggestions.get(), owner_name="办", due_on=dt.date(2026, 6, 1)
        )
        evaluation = keyworks.create_evaluation(
            by=cast.staff, town=cast.town, year=2026, department=factories.DepartmentFactory(town=cast.town)
        )
        keyworks.add_rectification(
            by=cast.staff, origin=evaluation, description="e", owner_name="办", due_on=dt.date(2026, 6, 1)
        )
        law = keyworks.create_law_inspection(by=cast.staff, town=cast.town, year=2026, law=f"法{i}")
        keyworks.add_rectification(
            by=cast.staff, origin=law, description="l", owner_name="办", due_on=dt.date(2026, 6, 1)
        )
    return project


@pytest.mark.parametrize("url_name", ["keyproject_list", "rectification_list", "evaluation_list", "law_list"])
def test_lists_keep_their_query_count_as_they_grow(client, cast, url_name):
    url = reverse(f"supervision:{url_name}") + "?year=2026&all=1"
    client.force_login(cast.staff)
    _grow(cast, 1)
    few = _queries(client, url)
    _grow(cast, 4)

    assert _queries(client, url) == few


def test_the_key_project_page_keeps_its_query_count_as_inspections_grow(client, cast):
    project, stage = _project(cast)
    client.force_login(cast.staff)

    def inspect():
        inspection = keyworks.record_inspection(
            by=cast.staff,
            stage=stage,
            inspected_on=dt.date(2026, 5, 1),
            deputies=[cast.deputy],
            notes="n",
            suggestions=["s", "t"],
        )
        keyworks.rectify_suggestion(
            by=cast.staff, suggestion=inspection.suggestions.first(), owner_name="办", due_on=dt.date(2026, 6, 1)
        )

    inspect()
    _queries(client, project.get_absolute_url())  # the first request looks up the inspections' content type
    few = _queries(client, project.get_absolute_url())
    for _ in range(4):
        inspect()

    assert _queries(client, project.get_absolute_url()) == few
