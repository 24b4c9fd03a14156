"""The record of duty (履职档案) and the annual work checklist (年度工作清单) of a year worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from congress.models import AnnualPlan, Deputy
from duty import records
from duty import services as activity_svc
from sittings.models import AgendaItem, Attendance, Session
from supervision.models import ReviewRound
from supervision.services import keyworks
from tests import factories
from tests.sittings.factories import attend, session
from tests.suggestions.factories import suggestion_in_state
from tests.visits.factories import HouseholdFactory, MediationCaseFactory, PairingFactory, VisitFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 8, 15, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def mid_august():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def year(cast):
    """2026 for the cast's deputy, every section with something in it (the docstring of each line
    says what it is worth under the default points table)."""
    AnnualPlan.objects.create(town=cast.town, year=2026)
    february = session(cast.town, cast.staff, kind="february")
    july = session(cast.town, cast.staff, kind="july")
    attend(february, cast.staff, present=[cast.deputy, cast.other_deputy])  # 1 × 2
    attend(july, cast.staff, present=[cast.other_deputy], absent=[cast.deputy])  # 1 × −1
    for kind, day in [
        ("inspection", dt.date(2026, 3, 3)),  # inspections and research: 2 × 3
        ("research", dt.date(2026, 4, 3)),
        ("training", dt.date(2026, 3, 10)),  # 2 × 2
        ("training", dt.date(2026, 6, 10)),
        ("group", dt.date(2026, 5, 1)),  # 1 × 2
        ("lecture", dt.date(2026, 5, 2)),  # 1 × 2
        ("report_back", dt.date(2026, 6, 30)),  # 1 × 3
        ("commendation", dt.date(2026, 7, 1)),  # 1 × 5
    ]:
        activity_svc.record_activity(by=cast.staff, kind=kind, title=kind, held_on=day, participants=[cast.deputy])
    activity_svc.record_activity(
        by=cast.staff,
        kind="inspection",
        title="另一代表",
        held_on=dt.date(2026, 3, 4),
        participants=[cast.other_deputy],
    )
    suggestion_in_state("submitted", proposer=cast.deputy, staff=cast.staff)  # 1 × 3
    for n in range(3):  # 3 visits to 3 households: 3 × 1
        household = HouseholdFactory(town=cast.town, village=cast.village)
        VisitFactory(town=cast.town, household=household, visited_on=dt.date(2026, 3, 5 + n), deputies=[cast.deputy])
    station = factories.VenueFactory(town=cast.town, village=cast.village)
    activity_svc.set_reception_duty(by=cast.staff, venue=station, on_date=dt.date(2026, 4, 15), deputies=[cast.deputy])
    case = MediationCaseFactory(town=cast.town, village=cast.village, recorded_by=cast.staff)  # 1 × 2
    case.deputies.set([cast.deputy])
    PairingFactory(town=cast.town, deputy=cast.deputy)  # 1 × 2
    return {"february": february, "july": july}


def test_one_deputys_record_adds_up_to_the_hand_worked_points(cast, year):
    record = records.duty_records([cast.deputy], 2026)[0]
    assert record.counts == {
        "session_attended": 1,
        "session_absent_without_leave": 1,
        "visit": 3,
        "suggestion": 1,
        "inspection": 2,
        "training": 2,
        "group_activity": 1,
        "lecture": 1,
        "report_back": 1,
        "commendation": 1,
        "reception": 1,
        "mediation": 1,
        "pairing": 1,
        "key_project": 0,
        "law_inspection": 0,
        "stage_inspection": 0,
        "look_back": 0,
    }
    assert record.points["session_absent_without_leave"] == -1
    assert record.total == 2 - 1 + 3 + 3 + 6 + 4 + 2 + 2 + 3 + 5 + 1 + 2 + 2 == 34
    assert record.grade == "poor"
    assert (record.quota.visits, record.quota.households) == (3, 3)
    assert [a.status for a in record.sessions] == [Attendance.Status.PRESENT, Attendance.Status.ABSENT]
    assert len(record.pairings) == len(record.mediations) == len(record.suggestions) == 1


def test_key_project_and_law_inspection_roles_count_on_the_supervisors_record(cast):
    project = keyworks.create_key_project(by=cast.staff, town=cast.town, year=2026, name="污水管网改造")
    keyworks.assign_deputy(project=project, deputy=cast.deputy, tier="lead")
    stage = keyworks.add_stage(
        project=project, name="管网铺设", planned_start=dt.date(2026, 3, 1), planned_end=dt.date(2026, 9, 30)
    )
    for day in (dt.date(2026, 4, 2), dt.date(2026, 6, 2)):
        keyworks.record_inspection(
            by=cast.staff, stage=stage, inspected_on=day, deputies=[cast.deputy], notes="进度正常"
        )
    law = keyworks.create_law_inspection(by=cast.staff, town=cast.town, year=2026, law="食品安全法")
    for day in (dt.date(2026, 5, 6), dt.date(2026, 5, 20)):  # two activities of one inspection count once
        keyworks.add_law_activity(inspection=law, held_on=day, description="检查超市", deputies=[cast.deputy])
    old = keyworks.create_key_project(by=cast.staff, town=cast.town, year=2025, name="去年的工程")
    keyworks.assign_deputy(project=old, deputy=cast.deputy, tier="member")
    evaluation = keyworks.create_evaluation(by=cast.staff, town=cast.town, year=2026, department=cast.department)
    item = keyworks.add_rectification(
        by=cast.staff,
        origin=evaluation,
        description="窗口服务时间不足",
        owner_name="张科长",
        due_on=dt.date(2026, 6, 30),
    )
    keyworks.record_look_back(
        by=cast.staff, item=item, checked_on=dt.date(2026, 7, 3), verdict="done", deputies=[cast.deputy]
    )

    record = records.duty_records([cast.deputy], 2026)[0]
    assert {k: record.counts[k] for k in ("key_project", "law_inspection", "stage_inspection", "look_back")} == {
        "key_project": 1,
        "law_inspection": 1,
        "stage_inspection": 2,
        "look_back": 1,
    }
    assert (record.points["key_project"], record.points["law_inspection"]) == (3, 3)
    assert [(a.project.name, a.tier) for a in record.key_assignments] == [("污水管网改造", "lead")]
    assert [i.law for i in record.law_inspections] == ["食品安全法"]


def test_the_record_page_names_each_points_line_and_the_supervisors_roles_in_chinese(client, cast):
    project = keyworks.create_key_project(by=cast.staff, town=cast.town, year=2026, name="污水管网改造")
    keyworks.assign_deputy(project=project, deputy=cast.deputy, tier="lead")
    client.force_login(cast.deputy_user)
    page = client.get(reverse("activities:record", args=[cast.deputy.pk]), {"year": 2026}).content.decode()
    assert "无故缺席人代会" in page and "参与重点工作监督" in page
    assert "session_absent_without_leave" not in page
    assert "污水管网改造 (牵头)" in page


def test_the_plans_points_table_and_grade_bands_decide(cast, year):
    AnnualPlan.objects.filter(town=cast.town, year=2026).update(
        points_table={"commendation": 30}, grade_good_from=30, grade_fair_from=10
    )
    record = records.duty_records([cast.deputy], 2026)[0]
    assert (record.total, record.grade) == (30, "good")


def test_the_checklist_of_the_year_line_by_line(cast, year):
    february, july = year["february"], year["july"]
    for item in february.items.exclude(kind=AgendaItem.Kind.LIVELIHOOD_PLAN):
        item.resolution = "会议批准"
        item.save()
    for item in july.items.order_by("order")[:2]:  # the half-year report and one deputy mayor's report
        item.deliberation_opinions = "同意"
        item.save()
    for month in (2, 4):
        ReviewRound.objects.create(town=cast.town, year=2026, month=month, opened_by=cast.staff)
    # Two evaluations opened, one of them held; one law inspection reported; one key project of two.
    held, _opened = (
        keyworks.create_evaluation(by=cast.staff, town=cast.town, year=2026, department=department)
        for department in (cast.department, factories.DepartmentFactory(town=cast.town))
    )
    keyworks.record_evaluation_steps(
        evaluation=held, survey_on=None, survey_notes="", meeting_on=dt.date(2026, 6, 20), meeting_notes="评议会"
    )
    law = keyworks.create_law_inspection(by=cast.staff, town=cast.town, year=2026, law="食品安全法")
    keyworks.record_findings(inspection=law, findings="总体落实", reported_on=dt.date(2026, 7, 5))
    keyworks.create_law_inspection(by=cast.staff, town=cast.town, year=2025, law="环境保护法")
    keyworks.create_key_project(by=cast.staff, town=cast.town, year=2026, name="污水管网改造")

    checklist = records.checklist(town=cast.town, year=2026)
    assert {line.key: (line.status, line.detail) for line in checklist.lines if line.key != "february_session"} == {
        "february_government_report": ("done", "1 / 1"),
        "february_congress_report": ("done", "1 / 1"),
        "february_budget_report": ("done", "1 / 1"),
        "february_livelihood_plan": ("overdue", "0 / 1"),
        "project_vote": ("overdue", "0 / 10"),
        "july_session": ("done", str(july)),
        "july_half_year_report": ("done", "1 / 1"),
        "july_deputy_mayor_report": ("overdue", "1 / 2"),
        "review_2": ("done", ""),
        "review_4": ("done", ""),
        "review_6": ("overdue", ""),
        "review_8": ("due", ""),
        "review_10": ("due", ""),
        "review_12": ("due", ""),
        "evaluations": ("due", "1 / 2"),
        "law_inspections": ("done", "1 / 1–2"),
        "key_projects": ("due", "1 / 2–3"),
        "visit_quota": ("due", "0 / 2"),
    }
    assert checklist.lines[0].status == "done"
    assert not checklist.closed


def test_each_line_links_to_the_records_behind_it(cast, year):
    ReviewRound.objects.create(town=cast.town, year=2026, month=2, opened_by=cast.staff)
    lines = {line.key: line for line in records.checklist(town=cast.town, year=2026).lines}
    assert lines["february_session"].url == year["february"].get_absolute_url()
    assert lines["review_2"].url == ReviewRound.objects.get().get_absolute_url()
    assert lines["review_4"].url == reverse("supervision:round_list")
    for key, url in [
        ("evaluations", "supervision:evaluation_list"),
        ("law_inspections", "supervision:law_list"),
        ("key_projects", "supervision:keyproject_list"),
    ]:
        assert lines[key].url == f"{reverse(url)}?year=2026&town={cast.town.slug}"


def test_the_keywork_lines_are_done_when_the_plans_numbers_are_reached(cast):
    AnnualPlan.objects.create(town=cast.town, year=2026, evaluations_per_year=1, key_projects_min=1)
    evaluation = keyworks.create_evaluation(by=cast.staff, town=cast.town, year=2026, department=cast.department)
    keyworks.record_evaluation_steps(
        evaluation=evaluation, survey_on=None, survey_notes="", meeting_on=dt.date(2026, 5, 8), meeting_notes=""
    )
    keyworks.create_key_project(by=cast.staff, town=cast.town, year=2026, name="老旧小区改造")
    keyworks.create_law_inspection(by=cast.staff, town=cast.town, year=2026, law="道路交通安全法")  # not reported
    lines = {line.key: (line.status, line.detail) for line in records.checklist(town=cast.town, year=2026).lines}
    assert lines["evaluations"] == ("done", "1 / 1")
    assert lines["key_projects"] == ("done", "1 / 1–3")
    assert lines["law_inspections"] == ("due", "0 / 1–2")


def test_the_checklist_links_lead_to_the_pages_that_list_the_records(client, cast):
    keyworks.create_key_project(by=cast.staff, town=cast.town, year=2026, name="污水管网改造")
    client.force_login(cast.chairman)
    lines = {line.key: line for line in records.checklist(town=cast.town, year=2026).lines}
    response = client.get(lines["key_projects"].url)
    assert [p.name for p in response.context["projects"]] == ["污水管网改造"]


def test_last_years_checklist_is_closed_with_its_gaps_overdue(cast):
    keyworks.create_key_project(by=cast.staff, town=cast.town, year=2025, name="污水管网改造")
    checklist = records.checklist(town=cast.town, year=2025)
    assert checklist.closed
    assert {line.status for line in checklist.lines} == {"overdue"}
    assert [line.detail for line in checklist.lines if line.key == "key_projects"] == ["1 / 2–3"]


def test_a_session_not_yet_held_is_due_until_its_month_ends(cast):
    with time_machine.travel(dt.datetime(2026, 2, 10, tzinfo=dt.UTC)):
        session(cast.town, cast.staff, kind="february")
        lines = {line.key: line.status for line in records.checklist(town=cast.town, year=2026).lines}
    assert lines["february_session"] == "due"
    assert Session.objects.count() == 1


def test_a_deputy_reads_their_own_record_and_the_chairman_the_list(client, cast, year, django_assert_max_num_queries):
    client.force_login(cast.deputy_user)
    response = client.get(reverse("activities:record", args=[cast.deputy.pk]), {"year": 2026})
    assert response.context["record"].total == 34
    client.force_login(cast.chairman)
    for _ in range(5):
        factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("activities:records"), {"year": 2026})
    assert {r.deputy.pk: r.total for r in response.context["rows"]}[cast.deputy.pk] == 34


def test_the_record_prints(client, cast, year):
    client.force_login(cast.staff)
    response = client.get(reverse("activities:record_print", args=[cast.deputy.pk]), {"year": 2026})
    assert cast.deputy.name in response.content.decode()
    assert response.context["record"].grade == "poor"


def test_the_checklist_page_has_a_fixed_number_of_queries(client, cast, year, django_assert_max_num_queries):
    client.force_login(cast.chairman)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("activities:checklist"), {"year": 2026})
    assert len(response.context["lists"]) == 1


def test_a_deputy_by_elected_in_july_has_a_prorated_quota_on_their_record(cast):
    newcomer = factories.DeputyFactory(
        town=cast.town, constituency=cast.deputy.constituency, served_from=dt.date(2026, 7, 10), is_first_term=True
    )
    record = records.duty_records([newcomer], 2026)[0]
    assert (record.quota.served_months, record.quota.household_target) == (6, 25)


def test_a_by_election_through_the_deputy_form_prorates_the_quota_and_keeps_the_predecessors_record(client, cast, year):
    cast.deputy.served_until = dt.date(2026, 7, 9)
    cast.deputy.save()
    client.force_login(cast.staff)
    response = client.post(
        reverse("congress:deputy_create"),
        {
            "name": "补选代表",
            "gender": "F",
            "birth_year": 1980,
            "constituency": cast.deputy.constituency.pk,
            "term": cast.deputy.term,
            "is_first_term": "on",
            "served_from": "2026-07-10",
        },
    )
    assert response.status_code == 302
    newcomer = Deputy.objects.get(name="补选代表")
    new, old = records.duty_records([newcomer, cast.deputy], 2026)
    assert (new.quota.served_months, new.quota.household_target, new.total) == (6, 25, 0)
    assert old.counts["visit"] == 3 and old.counts["session_attended"] == 1


def test_after_a_change_of_term_the_old_record_is_kept_and_the_new_one_starts_empty(cast, year):
    from congress.services import change_term

    change_term(by=cast.staff, town=cast.town, last_day=dt.date(2026, 8, 1), new_term=19, reelected=[cast.deputy])
    cast.deputy.refresh_from_db()
    successor = Deputy.objects.get(term=19)
    assert successor.user == cast.deputy_user
    old, new = records.duty_records([cast.deputy, successor], 2026)
    assert old.total == 34
    assert new.total == 0
