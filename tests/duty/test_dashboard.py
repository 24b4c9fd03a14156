"""The dashboards: every tile and chart series against a dataset worked out by hand and against direct
counts; every figure's link lists the same records; a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.models import Deputy
from congress.notifications import notify
from duty import dashboard, records
from suggestions.models import Suggestion, SuggestionAnswer
from supervision.models import KeyProject, LivelihoodProject, LookBack, MonthlyTarget, Rectification
from supervision.services import keyworks
from tests import factories as core
from tests.suggestions.factories import suggestion_in_state
from tests.supervision.factories import (
    LivelihoodProjectFactory,
    MonthlyTargetFactory,
    ProjectReviewFactory,
    ReviewRoundFactory,
)
from tests.visits.factories import HouseholdFactory, OpinionCategoryFactory, OpinionFactory, VisitFactory
from visits.models import Household, Opinion

TODAY = dt.date(2026, 6, 15)
State = Suggestion.State


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def world(cast, frozen):
    """Five resident households (three in 北房村, two in 宰相庄村) and one moved out; visits in 2025 and 2026;
    four projects (red, green, not reviewed, candidate); four suggestions."""
    town, v1, v2 = cast.town, cast.village, cast.other_village
    h = [HouseholdFactory(town=town, village=v) for v in (v1, v1, v1, v2, v2)]
    HouseholdFactory(town=town, village=v1, status=Household.Status.MOVED_OUT)

    def visit(household, day, *deputies):
        return VisitFactory(
            town=town, household=household, visited_on=day, deputies=list(deputies), recorded_by=cast.staff
        )

    june_a = visit(h[0], dt.date(2026, 6, 2), cast.deputy)
    visit(h[1], dt.date(2026, 6, 9), cast.deputy)
    june_c = visit(h[3], dt.date(2026, 6, 3), cast.other_deputy)
    visit(h[0], dt.date(2026, 3, 5))
    visit(h[4], dt.date(2025, 3, 8), cast.other_deputy)
    roads = OpinionCategoryFactory(town=town, name="交通出行")
    water = OpinionCategoryFactory(town=town, name="饮水安全")
    OpinionFactory(visit=june_a, category=roads)
    OpinionFactory(visit=june_a, category=roads, text="路面坑洼")
    OpinionFactory(visit=june_c, category=water)

    red = LivelihoodProjectFactory(town=town, lead_department=cast.department, supervisors=[cast.deputy])
    green = LivelihoodProjectFactory(town=town, lead_department=cast.department)
    unreviewed = LivelihoodProjectFactory(
        town=town, lead_department=cast.department, status=LivelihoodProject.Status.ADOPTED
    )
    LivelihoodProjectFactory(town=town, lead_department=cast.department, status=LivelihoodProject.Status.CANDIDATE)
    april = ReviewRoundFactory(town=town, month=4, opened_by=cast.staff)
    review(april, red, planned=40, actual=10, light="red")
    review(april, green, planned=50, actual=50, light="green")
    MonthlyTargetFactory(project=red, month=dt.date(2026, 4, 1), planned_percent=30)  # overdue
    MonthlyTargetFactory(project=red, month=dt.date(2026, 5, 1), planned_percent=50, completed_on=dt.date(2026, 5, 20))
    MonthlyTargetFactory(project=red, month=dt.date(2026, 6, 1), planned_percent=70)  # this month: not yet
    MonthlyTargetFactory(project=unreviewed, month=dt.date(2026, 5, 1), planned_percent=20)  # overdue

    kw = {"proposer": cast.deputy, "staff": cast.staff, "department": cast.department}
    suggestion_in_state(State.CLOSED, title="建议一", **kw)  # answered on time, satisfied
    suggestion_in_state(State.REDO, title="建议二", **kw)  # answered on time, unsatisfied
    suggestion_in_state(State.ASSIGNED, title="建议三", assigned_on=dt.date(2026, 2, 25), **kw)  # overdue
    suggestion_in_state(State.SUBMITTED, title="建议四", **kw)

    # Three rectification items from one inspection: one past its due date, one not yet due, one closed
    # by a look-back (回头看) that found it done.
    stage = keyworks.add_stage(
        project=keyworks.create_key_project(
            by=cast.staff, town=town, year=2026, name="老旧小区综合整治", lead_department=cast.department
        ),
        name="管线改造",
        planned_start=dt.date(2026, 3, 1),
        planned_end=dt.date(2026, 6, 30),
    )
    inspection = keyworks.record_inspection(
        by=cast.deputy_user, stage=stage, inspected_on=dt.date(2026, 4, 10), deputies=[cast.deputy],
        notes="沟槽未设围挡", reported_by="城建办", report_summary="燃气管线完成六成",
        suggestions=["加设围挡", "夜间警示灯", "清理渣土"],
    )  # fmt: skip
    items = [
        keyworks.rectify_suggestion(by=cast.staff, suggestion=s, owner_department=cast.department, due_on=due)
        for s, due in zip(
            inspection.suggestions.order_by("pk"),
            (dt.date(2026, 5, 31), dt.date(2026, 7, 31), dt.date(2026, 5, 31)),
            strict=True,
        )
    ]
    keyworks.record_look_back(
        by=cast.deputy_user, item=items[2], checked_on=dt.date(2026, 6, 10), verdict=LookBack.Verdict.DONE,
        deputies=[cast.deputy], evidence="渣土已清运",
    )  # fmt: skip
    return {
        "households": h,
        "roads": roads,
        "water": water,
        "red": red,
        "green": green,
        "unreviewed": unreviewed,
        "rectifications": items,
    }


def review(round_, project, *, planned, actual, light):
    reasons = {"red": "far_behind", "yellow": "behind", "green": "on_track"}
    return ProjectReviewFactory(
        round=round_,
        project=project,
        planned_percent=planned,
        actual_percent=actual,
        light=light,
        light_reason=reasons[light],
        reviewed_at=dt.datetime(2026, 4, 20, tzinfo=dt.UTC),
    )


def figures_of(cast):
    return dashboard.town_figures(cast.chairman, cast.town, today=TODAY)


def test_tiles_match_the_hand_worked_dataset(cast, world):
    f = figures_of(cast)
    assert (f.deputies_met_month, f.deputies_serving_month, f.quota_percent) == (1, 2, 50.0)
    assert (f.households_visited, f.households_total, f.coverage_percent) == (3, 5, 60.0)
    assert f.lights == {"green": 1, "yellow": 0, "red": 1, "none": 1}
    assert (f.overdue_targets, f.overdue_target_projects) == (2, 2)
    assert f.on_time_percent == 66.7  # two first answers on time, of two answered and one overdue unanswered
    assert f.satisfied_percent == 50.0
    assert f.suggestions_overdue == 2  # the assigned one and the redone one, both past their due date
    assert (f.rectifications_open, f.rectifications_overdue) == (2, 1)  # the third was closed by a look-back
    # The checklist's 19 lines on 15 June: the vote (projects adopted) and April's review round are done;
    # February's session and its four reports and February's round are overdue; the rest are due or await
    # records the portal does not keep yet (evaluations, law inspections, key projects).
    assert (f.checklist_done, f.checklist_total, f.checklist_percent) == (2, 19, 10.5)


def test_tiles_match_direct_counts(cast, world):
    f = figures_of(cast)
    resident = Household.objects.filter(town=cast.town, status="resident")
    assert f.households_total == resident.count()
    assert f.households_visited == resident.filter(visits__visited_on__year=2026).distinct().count()
    assert (
        f.overdue_targets
        == MonthlyTarget.objects.filter(
            project__town=cast.town,
            project__status__in=["adopted", "in_progress"],
            completed_on=None,
            month__lt=dt.date(2026, 6, 1),
        ).count()
    )
    assert (
        f.suggestions_overdue
        == Suggestion.objects.filter(town=cast.town, state__in=["assigned", "redo"], due_on__lt=TODAY).count()
    )
    assert f.rectifications_open == Rectification.objects.filter(town=cast.town, closed_on=None).count()
    assert (
        f.rectifications_overdue
        == Rectification.objects.filter(town=cast.town, closed_on=None, due_on__lt=TODAY).count()
    )
    checklist = records.checklist(town=cast.town, year=2026, today=TODAY)
    assert f.checklist_done == sum(1 for line in checklist.lines if line.status == "done")
    assert f.checklist_total == len(checklist.lines)
    of_year = Suggestion.objects.filter(town=cast.town, year=2026, lead_department__isnull=False)
    first = SuggestionAnswer.objects.filter(round=1, suggestion__in=of_year)
    in_time = first.filter(answered_on__lte=models_f("due_on")).count()
    overdue_unanswered = of_year.filter(state="assigned", due_on__lt=TODAY).count()
    assert f.on_time_percent == round(100 * in_time / (first.count() + overdue_unanswered), 1)
    rated = of_year.exclude(rating="")
    satisfied = rated.filter(rating__in=["satisfied", "basically_satisfied"]).count()
    assert f.satisfied_percent == round(100 * satisfied / rated.count(), 1)


def models_f(name):
    from django.db.models import F

    return F(name)


def test_charts_match_the_dataset(cast, world):
    f = figures_of(cast)
    months = f.chart("visits_by_month").series
    assert months[0]["name"] == "2025" and months[0]["data"][2] == 1 and sum(months[0]["data"]) == 1
    assert months[1]["data"][2] == 1 and months[1]["data"][5] == 3 and sum(months[1]["data"]) == 4
    coverage = f.chart("coverage")
    assert coverage.categories == ["北房村", "宰相庄村"]
    assert coverage.series[0]["data"] == [2, 1] and coverage.series[1]["data"] == [1, 1]
    deputies = f.chart("deputies")
    assert deputies.categories == [cast.deputy.name, cast.other_deputy.name]
    assert deputies.series[0]["data"] == [2, 1] and deputies.series[1]["data"] == [50, 50]
    projects = f.chart("projects")
    assert projects.categories == [world["red"].name, world["green"].name]
    assert projects.series[0]["data"] == [40, 50] and projects.series[1]["data"] == [10, 50]
    states = dict(zip(f.chart("suggestions").categories, f.chart("suggestions").series[0]["data"], strict=True))
    assert sum(states.values()) == 4 and max(states.values()) == 1
    expected = dict(
        Suggestion.objects.filter(town=cast.town, year=2026)
        .exclude(state="draft")
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    assert f.chart("suggestions").series[0]["data"] == [
        expected.get(value, 0) for value, _l in State.choices if value != "draft"
    ]
    opinions = f.chart("opinions")
    assert opinions.categories == ["交通出行", "饮水安全"] and opinions.series[0]["data"] == [2, 1]


def rows_on(client, url, pattern):
    response = client.get(url)
    assert response.status_code == 200
    return len(re.findall(pattern, response.content.decode()))


def test_every_tile_link_lists_what_it_counts(client, cast, world):
    client.force_login(cast.chairman)
    f = figures_of(cast)
    links = f.links()
    households = rows_on(client, links["coverage"], r'href="/visits/households/\d+/"')
    assert households == f.households_visited
    for light in ("green", "red", "none"):
        listed = rows_on(client, links[f"light_{light}"], r'href="/supervision/projects/\d+/"')
        assert listed == f.lights[light], light
    assert rows_on(client, links["overdue_targets"], r'href="/supervision/projects/\d+/"') == f.overdue_target_projects
    assert rows_on(client, links["suggestions_overdue"], r'href="/suggestions/\d+/"') == f.suggestions_overdue
    rectifications = rows_on(client, links["rectifications"], r'href="/supervision/rectifications/\d+/"')
    assert rectifications == f.rectifications_open
    assert rows_on(client, links["checklist"], r'class="checklist-done"') == f.checklist_done


def test_every_chart_element_link_lists_its_records(client, cast, world):
    client.force_login(cast.chairman)
    f = figures_of(cast)
    visit_row = r'href="/visits/\d+/"'
    for series in f.chart("visits_by_month").series:
        for n, url in zip(series["data"], series["links"], strict=True):
            if n:
                assert rows_on(client, url, visit_row) == n, url
    coverage = f.chart("coverage")
    for series in coverage.series:
        for n, url in zip(series["data"], series["links"], strict=True):
            assert rows_on(client, url, r'href="/visits/households/\d+/"') == n, url
    deputies = f.chart("deputies").series[0]
    assert rows_on(client, deputies["links"][0], visit_row) == 2
    suggestions = f.chart("suggestions").series[0]
    for n, url in zip(suggestions["data"], suggestions["links"], strict=True):
        assert rows_on(client, url, r'href="/suggestions/\d+/"') == n, url
    opinions = f.chart("opinions").series[0]
    # The ledger lists the visits carrying the category's opinions (two opinions on one visit here).
    assert rows_on(client, opinions["links"][0], visit_row) == 1
    assert rows_on(client, opinions["links"][1], visit_row) == 1


def test_chairman_sees_the_dashboard_with_its_chart_data(client, cast, world):
    client.force_login(cast.chairman)
    response = client.get(reverse("dashboard:town"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="dashboard-charts"' in body and "echarts.min.js" in body and "dashboard.js" in body
    assert 'data-tile="quota"' in body and 'data-value="50.0"' in body
    assert "<script>" not in body and "style=" not in body


def test_the_figures_follow_the_users_scope(cast, world):
    # The outsider's town has none of this data; the district user reads the town through the district.
    district = dashboard.town_figures(cast.district_user, cast.town, today=TODAY)
    assert district.households_visited == figures_of(cast).households_visited


def town_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow(cast, n):
    for i in range(n):
        deputy = core.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
        household = HouseholdFactory(town=cast.town, village=cast.village)
        visit = VisitFactory(
            town=cast.town,
            household=household,
            visited_on=dt.date(2026, 5, 1 + i % 28),
            deputies=[deputy],
            recorded_by=cast.staff,
        )
        OpinionFactory(visit=visit, category=OpinionCategoryFactory(town=cast.town, name=f"类别{i % 7}"))
        project = LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, supervisors=[deputy])
        MonthlyTargetFactory(project=project, month=dt.date(2026, 4, 1))
        review(_round(cast), project, planned=50, actual=i % 100, light="green")
        Rectification.objects.create(
            town=cast.town,
            source=Rectification.Source.KEY_PROJECT,
            key_project=_key_project(cast),
            description=f"整改事项{i}",
            owner_department=cast.department,
            due_on=dt.date(2026, 5, 1 + i % 28),
            created_by=cast.staff,
        )


def _key_project(cast):
    return KeyProject.objects.get_or_create(
        town=cast.town, year=2026, name="老旧小区综合整治", defaults={"created_by": cast.staff}
    )[0]


def _round(cast):
    from supervision.models import ReviewRound

    return ReviewRound.objects.get_or_create(town=cast.town, year=2026, month=4, defaults={"opened_by": cast.staff})[0]


@pytest.mark.parametrize(
    "url_name, user",
    [
        ("dashboard:town", "chairman"),
        ("home", "chairman"),
        ("home", "staff"),
        ("home", "deputy_user"),
        ("dashboard:district", "district_user"),
    ],
)
def test_query_count_does_not_grow_with_the_data(client, cast, frozen, url_name, user):
    client.force_login(getattr(cast, user))
    grow(cast, 5)
    small = town_queries(client, reverse(url_name))
    grow(cast, 45)
    assert town_queries(client, reverse(url_name)) == small


def test_deputy_home_shows_my_quota_and_suggestions(client, cast, world):
    panel = dashboard.deputy_panel(cast.deputy_user, cast.deputy, today=TODAY)
    values = {str(f.label): f.value for f in panel["figures"]}
    assert list(values.values())[:2] == ["2 / 2", "2 / 50"]
    assert (
        sum(f.value for f in panel["suggestion_states"])
        == Suggestion.objects.filter(proposer=cast.deputy).exclude(state="draft").count()
    )
    assert values["我的未读提醒"] == 0
    notify(recipient=cast.deputy_user, kind="test", subject="deputy:1", period="2026-06", title="走访提醒")
    panel = dashboard.deputy_panel(cast.deputy_user, cast.deputy, today=TODAY)
    assert {str(f.label): f.value for f in panel["figures"]}["我的未读提醒"] == 1
    assert [p.pk for p in panel["projects"]] == [world["red"].pk]
    assert panel["projects"][0].current_light == "red"
    client.force_login(cast.deputy_user)
    assert client.get(reverse("home")).status_code == 200


def test_staff_home_shows_todays_work(client, cast, world):
    figures = dashboard.staff_panel(cast.staff, cast.town, today=TODAY)
    values = [f.value for f in figures]
    assert values == [
        2,  # February's and June's review rounds (April's was opened)
        MonthlyTarget.objects.filter(
            project__town=cast.town, project__status="in_progress", month=dt.date(2026, 6, 1), completed_on=None
        ).count(),
        2,
        Opinion.objects.filter(visit__town=cast.town, status="new").count(),
        Suggestion.objects.filter(town=cast.town, state="submitted").count(),
        2,
        Suggestion.objects.filter(town=cast.town, state="redo").count(),
        2,  # rectification items still open: awaiting a look-back
        0,  # no message of the town is unconfirmed
    ]
    assert values[1] == 1 and values[3] == 3
    client.force_login(cast.staff)
    body = client.get(reverse("home")).content.decode()
    assert 'href="/visits/opinions/?status=new"' in body


def test_district_compares_its_towns_and_opens_one_read_only(client, cast, world):
    client.force_login(cast.district_user)
    response = client.get(reverse("dashboard:district"))
    assert response.status_code == 200
    assert [f.town for f in response.context["rows"]] == [cast.town]
    detail = client.get(reverse("dashboard:town_detail", args=[cast.town.pk]))
    assert detail.status_code == 200 and detail.context["read_only"]
    assert detail.context["figures"].households_visited == 3
    assert client.get(reverse("dashboard:town_detail", args=[cast.other_town.pk])).status_code == 404


def add_town(cast, n):
    """Another town of the district with a little of everything the comparison counts."""
    town = core.TownFactory(district=cast.town.district, name=f"第{n}镇", slug=f"town-{n}")
    village = core.VillageFactory(town=town, name=f"第{n}村")
    staff = core.UserFactory(username=f"staff-{n}", role="staff", town=town)
    deputy = core.DeputyFactory(town=town, constituency=core.ConstituencyFactory(town=town, villages=[village]))
    department = core.DepartmentFactory(town=town, name=f"城建办{n}")
    household = HouseholdFactory(town=town, village=village)
    VisitFactory(town=town, household=household, visited_on=dt.date(2026, 6, 1), deputies=[deputy], recorded_by=staff)
    project = LivelihoodProjectFactory(town=town, lead_department=department)
    round_ = ReviewRoundFactory(town=town, month=4, opened_by=staff)
    review(round_, project, planned=50, actual=10, light="red")
    MonthlyTargetFactory(project=project, month=dt.date(2026, 4, 1))
    kw = {"proposer": deputy, "staff": staff, "department": department}
    suggestion_in_state(State.CLOSED, title=f"建议{n}", **kw)
    suggestion_in_state(State.ASSIGNED, title=f"逾期{n}", assigned_on=dt.date(2026, 2, 25), **kw)
    Rectification.objects.create(
        town=town,
        source=Rectification.Source.KEY_PROJECT,
        key_project=KeyProject.objects.create(town=town, year=2026, name=f"重点{n}", created_by=staff),
        description="整改",
        owner_department=department,
        due_on=dt.date(2026, 5, 1),
        created_by=staff,
    )
    return town


def test_the_district_page_reads_a_fixed_number_of_queries_whatever_the_number_of_towns(client, cast, frozen):
    client.force_login(cast.district_user)
    add_town(cast, 1)
    two_towns = town_queries(client, reverse("dashboard:district"))
    for n in range(2, 6):
        add_town(cast, n)
    response = client.get(reverse("dashboard:district"))
    assert len(response.context["rows"]) == 6
    assert town_queries(client, reverse("dashboard:district")) == two_towns


def test_the_district_rows_match_each_towns_own_dashboard(cast, world):
    for n in range(1, 3):
        add_town(cast, n)
    rows = dashboard.district_rows(cast.district_user, today=TODAY)
    assert len(rows) == 3
    for row in rows:
        alone = dashboard.town_figures(cast.district_user, row.town, today=TODAY)
        tiles = (
            "quota_percent",
            "coverage_percent",
            "lights",
            "overdue_targets",
            "on_time_percent",
            "satisfied_percent",
            "suggestions_overdue",
            "rectifications_open",
        )
        assert {t: getattr(row, t) for t in tiles} == {t: getattr(alone, t) for t in tiles}, row.town
    other = next(r for r in rows if r.town != cast.town)
    assert (other.lights["red"], other.suggestions_overdue, other.rectifications_open) == (1, 1, 1)


def test_a_town_opened_from_the_district_links_to_lists_of_that_town_alone(client, cast, world):
    other = add_town(cast, 1)
    client.force_login(cast.district_user)
    response = client.get(reverse("dashboard:town_detail", args=[cast.town.pk]))
    links = response.context["links"]
    f = response.context["figures"]
    assert rows_on(client, links["coverage"], r'href="/visits/households/\d+/"') == f.households_visited == 3
    assert rows_on(client, links["light_red"], r'href="/supervision/projects/\d+/"') == f.lights["red"] == 1
    assert rows_on(client, links["suggestions_overdue"], r'href="/suggestions/\d+/"') == f.suggestions_overdue
    assert rows_on(client, links["rectifications"], r'href="/supervision/rectifications/\d+/"') == 2
    # Without the town the district user's lists hold both towns.
    assert rows_on(client, link_without_town(links["light_red"]), r'href="/supervision/projects/\d+/"') == 2
    checklist = client.get(links["checklist"]).content.decode()
    assert cast.town.name in checklist and other.name not in checklist
    quota = client.get(links["quota"])
    assert {d.town_id for d, _q in quota.context["rows"]} == {cast.town.pk}
    ledger = client.get(links["ledger"])
    assert {v.town_id for v in ledger.context["page"].object_list} == {cast.town.pk}
    statistics = client.get(links["on_time"])
    assert {r.town for r in statistics.context["rows"]} == {cast.town.name}


def test_a_town_outside_the_users_scope_lists_nothing(client, cast, world):
    client.force_login(cast.chairman)
    url = dashboard.link("visits:household_list", town=cast.other_town.pk)
    assert rows_on(client, url, r'href="/visits/households/\d+/"') == 0


def link_without_town(url):
    return re.sub(r"&?town=\d+", "", url)


def test_each_charts_data_table_opens_the_same_lists_as_its_chart(client, cast, world):
    client.force_login(cast.chairman)
    response = client.get(reverse("dashboard:town"))
    body = response.content.decode()
    for chart in response.context["charts"]:
        table = re.search(rf'<table class="table table-sm" data-table="{chart.key}">(.*?)</table>', body, re.S)
        assert table, chart.key
        hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', table.group(1))]
        expected = [url for _c, values in chart.rows() for _v, url in values]
        assert hrefs == expected and hrefs, chart.key


def test_a_list_narrowed_to_a_town_says_so_and_offers_every_town(client, cast, world):
    add_town(cast, 1)
    client.force_login(cast.district_user)
    url = dashboard.link("supervision:project_list", year=2026, light="red", town=cast.town.pk)
    body = client.get(url).content.decode()
    notice = re.search(r'<p class="alert[^"]*" id="chosen-town">(.*?)</p>', body, re.S)
    assert notice and cast.town.name in notice.group(1)
    every = re.search(r'href="([^"]+)">', notice.group(1)).group(1).replace("&amp;", "&")
    assert "town=" not in every and "light=red" in every
    assert "chosen-town" not in client.get(dashboard.link("supervision:project_list", year=2026)).content.decode()


def test_each_district_figure_opens_the_towns_list_behind_it(client, cast, world):
    other = add_town(cast, 1)
    client.force_login(cast.district_user)
    body = client.get(reverse("dashboard:district")).content.decode()
    row = re.search(rf'<tr data-town="{other.pk}">(.*?)</tr>', body, re.S).group(1)
    red = dashboard.link("supervision:project_list", year=2026, light="red", town=other.pk)
    assert red.replace("&", "&amp;") in row
    assert rows_on(client, red, r'href="/supervision/projects/\d+/"') == 1
    assert len(re.findall(r"<a href=", row)) == 8  # the town's name and its seven figures


def test_the_checklist_on_the_dashboard_reads_the_same_quotas_as_the_checklist_alone(cast, world):
    figures = dashboard.town_figures(cast.chairman, cast.town, today=TODAY)
    given = records.checklist(town=cast.town, year=2026, today=TODAY, plan=figures.plan, quotas=figures.quotas)
    alone = records.checklist(town=cast.town, year=2026, today=TODAY)

    def lines(checklist):
        return [(line.key, line.status, line.detail) for line in checklist.lines]

    assert lines(given) == lines(alone)
    serving = Deputy.objects.filter(town=cast.town).serving_in_year(2026).count()
    (quota_line,) = [line for line in alone.lines if line.key == "visit_quota"]
    assert serving > 1 and quota_line.detail.endswith(f"/ {serving}")
    assert sorted(figures.quotas) == sorted(Deputy.objects.filter(town=cast.town).values_list("pk", flat=True))


def test_the_checklists_counts_are_read_together_and_match_direct_counts(cast, frozen):
    LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, year=2026, status="adopted")
    LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, year=2026, status="candidate")
    LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, year=2025, status="adopted")
    LivelihoodProjectFactory(town=cast.other_town, year=2026, status="adopted")
    _key_project(cast)
    KeyProject.objects.create(town=cast.other_town, year=2026, name="别镇重点工作", created_by=cast.staff)
    checklist = records.checklist(town=cast.town, year=2026, today=TODAY)
    details = {line.key: line.detail for line in checklist.lines}

    assert details["project_vote"].startswith("1 / ")
    assert details["key_projects"].startswith("1 / ")


def test_the_chairmans_dashboard_reads_at_most_15_statements(client, cast, frozen):
    """Session, the user with its town and unread count, and the figures; the checklist reads the round months
    and the rectification tiles in its statement of counts, and shares the quota's plan and reads."""
    client.force_login(cast.chairman)
    grow(cast, 5)
    assert town_queries(client, reverse("dashboard:town")) <= 15


def test_an_overdue_suggestion_of_last_year_counts_as_overdue_but_not_in_this_years_states(cast, world):
    before = dashboard.town_figures(cast.chairman, cast.town, today=TODAY)
    old = suggestion_in_state(State.ASSIGNED, proposer=cast.deputy, staff=cast.staff, department=cast.department)
    Suggestion.objects.filter(pk=old.pk).update(year=2025, due_on=dt.date(2025, 12, 1))

    after = dashboard.town_figures(cast.chairman, cast.town, today=TODAY)

    assert after.suggestions_overdue == before.suggestions_overdue + 1
    assert after.chart("suggestions").series[0]["data"] == before.chart("suggestions").series[0]["data"]
    (row,) = [r for r in dashboard.district_rows(cast.district_user, today=TODAY) if r.town == cast.town]
    assert row.suggestions_overdue == after.suggestions_overdue


def test_the_towns_written_plan_is_read_once_and_used_for_the_quota_and_the_checklist(cast, world):
    from visits.quota import quota

    plan = core.AnnualPlanFactory(town=cast.town, year=2026, visits_per_month=1, households_per_year=2)
    figures = dashboard.town_figures(cast.chairman, cast.town, today=TODAY)
    serving = list(Deputy.objects.filter(town=cast.town).serving_in_year(2026))
    alone = quota(serving, 2026, today=TODAY)

    assert figures.plan is not None and figures.plan.pk == plan.pk
    assert figures.quotas == alone
    assert {q.household_target for q in alone.values()} == {2}
    met = sum(1 for q in alone.values() if q.month(6).served and q.month(6).state == "met")
    assert (figures.deputies_met_month, figures.deputies_serving_month) == (
        met,
        sum(1 for q in alone.values() if q.month(6).served),
    )
    checklist = records.checklist(town=cast.town, year=2026, today=TODAY)
    assert figures.checklist_done == sum(1 for line in checklist.lines if line.status == "done")
