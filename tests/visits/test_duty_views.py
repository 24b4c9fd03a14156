import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from congress.models import VisitMethod
from tests import factories as core
from tests.visits import factories
from tests.visits.conftest import count_queries
from visits.models import Opinion
from visits.quota import Pace

pytestmark = pytest.mark.django_db

JUNE = dt.datetime(2026, 6, 20, 4, 0, tzinfo=dt.UTC)


def visit(cast, day, deputies, household=None, method=VisitMethod.HOUSEHOLD):
    household = household or factories.HouseholdFactory(town=cast.town, village=cast.village)
    return factories.VisitFactory(
        town=cast.town,
        household=household,
        village=household.village,
        visited_on=day,
        method=method,
        deputies=deputies,
        recorded_by=cast.staff,
    )


@time_machine.travel(JUNE, tick=False)
def test_my_duty_shows_this_months_visits_and_this_years_households(client, cast):
    visit(cast, dt.date(2026, 6, 2), [cast.deputy])
    visit(cast, dt.date(2026, 3, 2), [cast.deputy])
    visit(cast, dt.date(2026, 6, 3), [cast.other_deputy])
    client.force_login(cast.deputy_user)
    response = client.get(reverse("visits:my_duty"))
    assert response.context["month"].visits == 1
    assert response.context["result"].households == 2
    assert response.context["result"].household_target == 50


@time_machine.travel(JUNE, tick=False)
def test_my_duty_lists_constituency_households_nobody_visited_this_year(client, cast):
    seen = factories.HouseholdFactory(town=cast.town, village=cast.village)
    visit(cast, dt.date(2026, 2, 1), [cast.other_deputy], household=seen)
    seen_last_year = factories.HouseholdFactory(town=cast.town, village=cast.village)
    visit(cast, dt.date(2025, 2, 1), [cast.deputy], household=seen_last_year)
    far = core.VillageFactory(town=cast.town)
    factories.HouseholdFactory(town=cast.town, village=far)
    client.force_login(cast.deputy_user)
    response = client.get(reverse("visits:my_duty"))
    assert list(response.context["page"].object_list) == [seen_last_year]


@time_machine.travel(JUNE, tick=False)
def test_my_duty_counts_the_opinions_collected_by_status(client, cast):
    v = visit(cast, dt.date(2026, 6, 2), [cast.deputy])
    factories.OpinionFactory(visit=v)
    factories.OpinionFactory(visit=v, status=Opinion.Status.CLOSED, reason="已当场答复")
    factories.OpinionFactory(visit=visit(cast, dt.date(2026, 6, 2), [cast.other_deputy]))
    client.force_login(cast.deputy_user)
    statuses = client.get(reverse("visits:my_duty")).context["statuses"]
    assert [n for _label, n in statuses] == [1, 0, 0, 0, 0, 1]


def test_my_duty_is_for_deputies_only(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("visits:my_duty")).status_code == 403


@time_machine.travel(JUNE, tick=False)
def test_my_duty_queries_do_not_grow_with_households(client, cast):
    client.force_login(cast.deputy_user)

    def add(n):
        for _ in range(n):
            factories.HouseholdFactory(town=cast.town, village=cast.village)
            factories.OpinionFactory(visit=visit(cast, dt.date(2026, 5, 1), [cast.deputy]))

    add(5)
    few = count_queries(client, reverse("visits:my_duty"))
    add(45)
    assert count_queries(client, reverse("visits:my_duty")) == few


@time_machine.travel(JUNE, tick=False)
def test_overview_grid_marks_each_month_for_every_deputy(client, cast):
    visit(cast, dt.date(2026, 3, 2), [cast.deputy])
    visit(cast, dt.date(2026, 3, 9), [cast.deputy])
    client.force_login(cast.staff)
    rows = client.get(reverse("visits:quota_overview")).context["rows"]
    by_deputy = {d.pk: r for d, r in rows}
    assert set(by_deputy) == {cast.deputy.pk, cast.other_deputy.pk}
    assert by_deputy[cast.deputy.pk].month(3).met is True
    assert by_deputy[cast.other_deputy.pk].month(3).met is False


@time_machine.travel(JUNE, tick=False)
def test_overview_sorts_by_shortfall(client, cast):
    for i in range(10):
        visit(cast, dt.date(2026, 1 + i % 5, 2), [cast.deputy])
    client.force_login(cast.staff)
    rows = client.get(reverse("visits:quota_overview"), {"sort": "shortfall"}).context["rows"]
    assert [d.pk for d, _r in rows] == [cast.other_deputy.pk, cast.deputy.pk]


@time_machine.travel(JUNE, tick=False)
def test_overview_filters_by_constituency_and_village(client, cast):
    far = core.VillageFactory(town=cast.town)
    elsewhere = core.DeputyFactory(
        town=cast.town, constituency=core.ConstituencyFactory(town=cast.town, villages=[far])
    )
    client.force_login(cast.staff)
    url = reverse("visits:quota_overview")
    rows = client.get(url, {"constituency": elsewhere.constituency_id}).context["rows"]
    assert [d.pk for d, _r in rows] == [elsewhere.pk]
    rows = client.get(url, {"village": far.pk}).context["rows"]
    assert [d.pk for d, _r in rows] == [elsewhere.pk]


def test_overview_is_refused_to_deputies_and_cadres(client, cast):
    for user in (cast.deputy_user, cast.cadre):
        client.force_login(user)
        assert client.get(reverse("visits:quota_overview")).status_code == 403


@time_machine.travel(JUNE, tick=False)
def test_overview_queries_do_not_grow_with_deputies(client, cast):
    client.force_login(cast.staff)

    def add(n):
        for _ in range(n):
            deputy = core.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
            visit(cast, dt.date(2026, 2, 1), [deputy])

    add(3)
    few = count_queries(client, reverse("visits:quota_overview"))
    add(45)
    assert count_queries(client, reverse("visits:quota_overview")) == few


@time_machine.travel(JUNE, tick=False)
def test_quota_figures_agree_across_page_overview_export_and_sql(client, cast):
    shared = factories.HouseholdFactory(town=cast.town, village=cast.village)
    visit(cast, dt.date(2026, 2, 3), [cast.deputy], household=shared)
    visit(cast, dt.date(2026, 4, 3), [cast.deputy, cast.other_deputy], household=shared)
    visit(cast, dt.date(2026, 4, 5), [cast.deputy])
    visit(cast, dt.date(2026, 4, 6), [cast.deputy], method=VisitMethod.PHONE)
    visit(cast, dt.date(2025, 12, 31), [cast.deputy])

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(DISTINCT v.id), COUNT(DISTINCT v.household_id)
            FROM visits_visit v JOIN visits_visit_deputies vd ON vd.visit_id = v.id
            WHERE vd.deputy_id = %s AND v.visited_on BETWEEN '2026-01-01' AND '2026-12-31'
              AND v.method IN ('household', 'station', 'forum')
            """,
            [cast.deputy.pk],
        )
        sql_visits, sql_households = cursor.fetchone()
    assert (sql_visits, sql_households) == (3, 2)

    client.force_login(cast.deputy_user)
    mine = client.get(reverse("visits:my_duty")).context["result"]
    client.force_login(cast.staff)
    overview = {d.pk: r for d, r in client.get(reverse("visits:quota_overview")).context["rows"]}[cast.deputy.pk]
    sheet = load_workbook(io.BytesIO(client.get(reverse("visits:quota_export")).content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == cast.deputy.name)

    assert (mine.visits, mine.households) == (overview.visits, overview.households) == (sql_visits, sql_households)
    assert (row[15], row[16], row[17]) == (sql_visits, sql_households, mine.household_target)
    assert overview.pace == Pace.BEHIND


@time_machine.travel(JUNE, tick=False)
def test_quota_export_has_a_title_row_and_a_totals_row(client, cast):
    visit(cast, dt.date(2026, 2, 3), [cast.deputy, cast.other_deputy])
    client.force_login(cast.staff)
    sheet = load_workbook(io.BytesIO(client.get(reverse("visits:quota_export")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "北房镇" in rows[0][0] and "2026" in rows[0][0]
    assert len(rows) == 1 + 1 + 2 + 1
    assert rows[-1][15] == 2 and rows[-1][16] == 2


def test_my_duty_leads_the_deputy_to_the_suggestion_form(client, cast):
    client.force_login(cast.deputy_user)
    response = client.get(reverse("visits:my_duty"))
    assert response.context["may_suggest"] is True
    assert f'href="{reverse("suggestions:create")}"' in response.content.decode()
