import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from supervision import services, table
from supervision.models import InspectionNote, LivelihoodProject, MonthlyTarget, ProjectReview
from tests.factories import DepartmentFactory
from tests.supervision.factories import LivelihoodProjectFactory

S = LivelihoodProject.Status


def scheduled(cast, **kw):
    project = LivelihoodProjectFactory(
        town=cast.town, lead_department=cast.department, start=dt.date(2026, 3, 1), deadline=dt.date(2026, 8, 31), **kw
    )
    services.save_targets(project=project, by=cast.staff, rows=services.proposed_targets(project))
    return project


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("persona", ["staff", "deputy_user", "department_user", "district_user"])
def test_project_list_costs_the_same_with_5_and_50_projects(cast, client, persona):
    user = getattr(cast, persona)
    client.force_login(user)
    url = reverse("supervision:project_list") + "?year=2026"

    def batch(n):
        LivelihoodProjectFactory.create_batch(
            n, town=cast.town, lead_department=cast.department, supervisors=[cast.deputy]
        )

    batch(5)
    few = queries(client, url)
    batch(45)
    assert queries(client, url) == few


def test_round_list_costs_the_same_with_5_and_50_rounds(cast, client):
    from tests.supervision.factories import ReviewRoundFactory

    client.force_login(cast.staff)
    url = reverse("supervision:round_list")
    for year in range(2001, 2006):
        ReviewRoundFactory(town=cast.town, year=year, opened_by=cast.staff)
    few = queries(client, url)
    for year in range(2006, 2051):
        ReviewRoundFactory(town=cast.town, year=year, opened_by=cast.staff)
    assert queries(client, url) == few


def test_division_table_costs_the_same_with_5_and_50_projects(cast, client):
    client.force_login(cast.staff)
    url = reverse("supervision:division_table") + "?year=2026"
    for _ in range(5):
        scheduled(cast, supervisors=[cast.deputy])
    few = queries(client, url)
    for _ in range(45):
        scheduled(cast, supervisors=[cast.deputy])
    assert queries(client, url) == few


def test_staff_create_a_candidate_project(cast, client):
    client.force_login(cast.staff)
    response = client.post(
        reverse("supervision:project_create"),
        {
            "year": 2026,
            "position": 1,
            "name": "乡村公路大修",
            "content": "大修村道5公里",
            "investment": "380.5",
            "funding_source": "区级补助",
            "lead_department": cast.department.pk,
            "supervisors": [cast.deputy.pk, cast.other_deputy.pk],
            "start": "2026-03-01",
            "deadline": "2026-09-30",
            "deadline_text": "9月底前",
        },
    )
    assert response.status_code == 302
    project = LivelihoodProject.objects.get()
    assert (project.town, project.status, project.supervisors.count()) == (cast.town, S.CANDIDATE, 2)


def test_staff_move_a_project_through_its_statuses_by_post(cast, client):
    project = LivelihoodProjectFactory(town=cast.town, status=S.CANDIDATE)
    client.force_login(cast.staff)
    url = reverse("supervision:project_transition", args=[project.pk])
    client.post(url, {"to": S.ADOPTED})
    client.post(url, {"to": S.COMPLETED})  # illegal from adopted: refused with a message
    project.refresh_from_db()
    assert project.status == S.ADOPTED
    client.post(url, {"to": S.TERMINATED, "reason": "用地未落实"})
    project.refresh_from_db()
    assert project.status == S.TERMINATED


@pytest.mark.parametrize("to", ["²", "candidate", "\x00", "", "adopted\x00"])
def test_an_unknown_status_is_refused_with_a_message_and_changes_nothing(cast, client, to):
    project = LivelihoodProjectFactory(town=cast.town, status=S.CANDIDATE)
    client.force_login(cast.staff)
    response = client.post(reverse("supervision:project_transition", args=[project.pk]), {"to": to}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["未知状态。"] if to else ["这个字段是必填项。"]
    project.refresh_from_db()
    assert project.status == S.CANDIDATE


def test_a_termination_reason_longer_than_the_record_holds_is_refused(cast, client):
    project = LivelihoodProjectFactory(town=cast.town, status=S.IN_PROGRESS)
    client.force_login(cast.staff)
    url = reverse("supervision:project_transition", args=[project.pk])
    response = client.post(url, {"to": S.TERMINATED, "reason": "长" * 100_000}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("不超过 2000" in m for m in shown), shown
    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS


def test_deadline_page_previews_then_saves_only_on_confirmation(cast, client):
    project = scheduled(cast)
    client.force_login(cast.staff)
    url = reverse("supervision:project_deadline", args=[project.pk])
    response = client.post(url, {"deadline": "2026-10-31", "deadline_text": "10月底前"})
    assert response.status_code == 200
    assert [new for _, _, new in response.context["comparison"]][-1] == 100
    project.refresh_from_db()
    assert project.deadline == dt.date(2026, 8, 31)
    client.post(url, {"deadline": "2026-10-31", "deadline_text": "10月底前", "confirm": "1"})
    project.refresh_from_db()
    assert project.deadline == dt.date(2026, 10, 31)
    assert project.targets.last().month == dt.date(2026, 10, 1)


def test_a_department_reports_progress_on_its_projects_target(cast, client):
    project = scheduled(cast)
    target = project.targets.first()
    client.force_login(cast.department_user)
    response = client.post(
        reverse("supervision:target_progress", args=[target.pk]),
        {"reported_percent": 18, "progress_notes": "设计完成", "completed_on": "2026-03-28", "version": 1},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.reported_percent, target.reported_by) == (18, cast.department_user)


@pytest.mark.parametrize("percent", ["18.5", "18,5", "１８.５", "1e1"])
def test_progress_with_decimals_is_refused_on_its_field_not_cut(cast, client, percent):
    project = scheduled(cast)
    target = project.targets.first()
    client.force_login(cast.department_user)

    response = client.post(
        reverse("supervision:target_progress", args=[target.pk]),
        {"reported_percent": percent, "progress_notes": "设计完成", "completed_on": "2026-03-28", "version": 1},
    )

    assert response.status_code == 200
    assert "整数" in " ".join(response.context["form"].errors["reported_percent"])
    assert MonthlyTarget.objects.get(pk=target.pk).reported_percent is None


def test_another_department_gets_404_and_the_target_is_unchanged(cast, client):
    other = DepartmentFactory(town=cast.town, name="城建科")
    project = scheduled(cast)
    project.lead_department = other
    project.save()
    target = project.targets.first()
    client.force_login(cast.department_user)
    response = client.post(reverse("supervision:target_progress", args=[target.pk]), {"reported_percent": 50})
    assert response.status_code == 404
    assert MonthlyTarget.objects.get(pk=target.pk).reported_percent is None


def test_staff_open_a_round_and_record_a_review(cast, client):
    project = scheduled(cast)
    client.force_login(cast.staff)
    client.post(reverse("supervision:round_open"), {"year": 2026, "month": 4})
    review = ProjectReview.objects.get(project=project)
    response = client.post(
        reverse("supervision:review_edit", args=[review.pk]),
        {
            "actual_percent": 10,
            "quality": "合格",
            "problems": "征地滞后",
            "measures": "",
            "next_steps": "协调征地",
            "version": review.version,
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.actual_percent, review.light) == (10, "red")


def test_a_deputy_supervisor_adds_an_inspection_note(cast, client):
    project = scheduled(cast, supervisors=[cast.deputy])
    client.force_login(cast.deputy_user)
    response = client.post(
        reverse("supervision:note_create", args=[project.pk]), {"inspected_on": "2026-04-02", "notes": "路基已压实"}
    )
    assert response.status_code == 302
    assert InspectionNote.objects.get().deputy == cast.deputy


def test_a_deputy_who_does_not_supervise_gets_404_and_no_note_is_added(cast, client):
    project = scheduled(cast, supervisors=[cast.deputy])
    client.force_login(cast.other_deputy_user)
    response = client.post(
        reverse("supervision:note_create", args=[project.pk]), {"inspected_on": "2026-04-02", "notes": "x"}
    )
    assert response.status_code == 404
    assert not InspectionNote.objects.exists()


def test_targets_the_services_refuse_come_back_as_the_pages_own_errors(cast, client):
    project = scheduled(cast)
    before = list(project.targets.values_list("month", "planned_percent"))
    rows = [(month, 10) for month, _ in before]  # never reaching 100 in the deadline month
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "version": LivelihoodProject.objects.get(pk=project.pk).targets_version,
    }
    for i, (month, percent) in enumerate(rows):
        data |= {f"form-{i}-month": month.isoformat(), f"form-{i}-planned_percent": str(percent)}
    client.force_login(cast.staff)

    response = client.post(reverse("supervision:project_targets", args=[project.pk]), data)

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert list(project.targets.values_list("month", "planned_percent")) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("project_edit", {"name": "改名"}),
        ("project_transition", {"to": "completed"}),
        ("project_deadline", {"deadline": "2026-12-31", "confirm": "1"}),
        ("project_targets", {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}),
    ],
)
def test_outsider_staff_get_404_and_the_project_is_unchanged(cast, client, name, data):
    project = scheduled(cast)
    before = LivelihoodProject.objects.filter(pk=project.pk).values().get()
    client.force_login(cast.outsider_staff)
    assert client.post(reverse(f"supervision:{name}", args=[project.pk]), data).status_code == 404
    assert LivelihoodProject.objects.filter(pk=project.pk).values().get() == before
    assert project.targets.count() == 6


def test_the_division_table_page_and_xlsx_carry_the_same_rows(cast, client):
    coop = DepartmentFactory(town=cast.town, name="城建科")
    scheduled(
        cast, supervisors=[cast.deputy, cast.other_deputy], cooperating_departments=[coop], presidium_member=cast.deputy
    )
    later = scheduled(cast, investment="35.5")
    services.move_deadline(project=later, by=cast.staff, new_deadline=dt.date(2026, 10, 31), deadline_text="10月底前")
    later.targets.filter(month=dt.date(2026, 4, 1)).update(target="完成招标")
    LivelihoodProjectFactory(town=cast.town, status=S.CANDIDATE)  # not adopted: not in the table
    client.force_login(cast.staff)
    page = client.get(reverse("supervision:division_table") + "?year=2026")
    xlsx = client.get(reverse("supervision:division_table_xlsx") + "?year=2026")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    sheet_rows = [
        ["" if v is None else str(v) for v in row]
        for row in sheet.iter_rows(min_row=table.HEADER_ROWS + 1, values_only=True)
    ]
    assert sheet_rows == page.context["rows"]
    assert len(sheet_rows) == 2
    assert sheet["A1"].value == "2026年北房镇人大代表监督政府民生事项分工一览表"
    # March to October: a column per month, after the eleven fixed ones, under one merged heading.
    months = [f"{m}月" for m in range(3, 11)]
    width = len(table.COLUMNS) + len(months)
    last = get_column_letter(width)
    assert [sheet.cell(row=3, column=c).value for c in range(len(table.COLUMNS) + 1, width + 1)] == months
    assert [h.label for h in page.context["header_below"]][-len(months) :] == months
    assert {"A1:" + last + "1", f"L2:{last}2"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["L2"].value == page.context["header_top"][-1].label == "月度目标及计划累计进度"
    assert sheet.column_dimensions["C"].width == table.COLUMNS[2].width
    # The first project ends in August: its September and October cells are empty; the second's April
    # cell carries its target and planned percentage.
    first, second = sheet_rows
    assert first[len(table.COLUMNS) :] == ["17%", "33%", "50%", "67%", "83%", "100%", "", ""]
    assert (
        second[len(table.COLUMNS) + 1] == f"完成招标\n{later.targets.get(month=dt.date(2026, 4, 1)).planned_percent}%"
    )
    # The page prints every cell the .xlsx holds.
    html = page.content.decode()
    for row in sheet_rows:
        assert row[1] in html and row[3] in html
    assert "完成招标<br>" in html


def test_project_list_shows_each_projects_light_of_its_latest_review(cast, client):
    recovering = scheduled(cast, name="道路大修")
    scheduled(cast, name="新建公厕")  # never reviewed: no light
    recovering.targets.update(completed_on=dt.date(2026, 3, 1))
    for month, actual in ((4, 10), (6, 64)):  # red in April, yellow again in June
        round_ = services.open_round(town=cast.town, year=2026, month=month, by=cast.staff)
        review = round_.reviews.get(project=recovering)
        services.record_review(review=review, by=cast.staff, actual_percent=actual, today=dt.date(2026, month, 15))
    client.force_login(cast.chairman)

    response = client.get(reverse("supervision:project_list") + "?year=2026")

    lights = {p.name: p.latest_light for p in response.context["projects"]}
    assert lights == {"道路大修": "yellow", "新建公厕": None}
