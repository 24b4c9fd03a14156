"""Staff keep their town's reference data through the portal's own pages, scoped by access.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.forms.reference import AnnualPlanForm
from congress.models import AnnualPlan, Constituency, Department, Deputy, User, Venue, Village
from congress.roles import Role
from tests import factories


@pytest.fixture
def staff_client(client, cast):
    client.force_login(cast.staff)
    return client


def post(client, name, data, **kwargs):
    return client.post(reverse(name, kwargs=kwargs or None), data)


# Create and edit, one kind at a time


def test_staff_create_a_village_in_their_own_town(staff_client, cast):
    response = post(staff_client, "congress:village_create", {"name": "梨园庄村", "kind": "village", "town": "x"})
    assert response.status_code == 302
    assert Village.objects.get(name="梨园庄村").town == cast.town


def test_staff_edit_a_village(staff_client, cast):
    post(staff_client, "congress:village_edit", {"name": "北房社区", "kind": "community"}, pk=cast.village.pk)
    cast.village.refresh_from_db()
    assert (cast.village.name, cast.village.kind) == ("北房社区", "community")


def test_a_village_name_used_in_the_town_is_a_field_error(staff_client, cast):
    response = post(staff_client, "congress:village_create", {"name": "北房村", "kind": "village"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Village.objects.filter(name="北房村").count() == 1


def test_staff_create_a_constituency_covering_villages(staff_client, cast):
    data = {"number": 7, "name": "第七选区", "villages": [cast.village.pk], "seats": 3}
    assert post(staff_client, "congress:constituency_create", data).status_code == 302
    constituency = Constituency.objects.get(number=7)
    assert constituency.town == cast.town
    assert list(constituency.villages.all()) == [cast.village]
    assert constituency.seats == 3


def test_a_constituency_cannot_cover_another_towns_village(staff_client, cast):
    foreign = factories.VillageFactory(town=cast.other_town)
    data = {"number": 7, "name": "第七选区", "villages": [foreign.pk], "seats": 1}
    response = post(staff_client, "congress:constituency_create", data)
    assert "villages" in response.context["form"].errors
    assert not Constituency.objects.filter(number=7).exists()


def test_a_constituency_elects_one_to_three_deputies(staff_client, cast):
    data = {"number": 7, "name": "第七选区", "villages": [cast.village.pk], "seats": 4}
    response = post(staff_client, "congress:constituency_create", data)
    assert "seats" in response.context["form"].errors


def test_staff_edit_a_constituency(staff_client, cast):
    constituency = cast.deputy.constituency
    data = {
        "number": constituency.number,
        "name": "北房选区",
        "villages": [cast.other_village.pk],
        "seats": 1,
        "version": 1,
    }
    assert post(staff_client, "congress:constituency_edit", data, pk=constituency.pk).status_code == 302
    constituency.refresh_from_db()
    assert constituency.name == "北房选区"
    assert list(constituency.villages.all()) == [cast.other_village]


def deputy_data(cast, **overrides):
    data = {
        "name": "王建国",
        "gender": "M",
        "birth_year": 1975,
        "phone": "13900000000",
        "constituency": cast.deputy.constituency_id,
        "term": 18,
        "expertise": "农业",
        "served_from": "2022-01-01",
    }
    return {**data, **overrides}


def test_staff_create_a_deputy(staff_client, cast):
    assert post(staff_client, "congress:deputy_create", deputy_data(cast)).status_code == 302
    deputy = Deputy.objects.get(name="王建国")
    assert (deputy.town, deputy.constituency, deputy.served_until) == (cast.town, cast.deputy.constituency, None)


def test_staff_edit_a_deputy(staff_client, cast):
    data = deputy_data(cast, name="张晓明", phone="13911112222")
    assert post(staff_client, "congress:deputy_edit", data, pk=cast.deputy.pk).status_code == 302
    cast.deputy.refresh_from_db()
    assert cast.deputy.phone == "13911112222"


def test_a_deputy_cannot_be_put_in_another_towns_constituency(staff_client, cast):
    foreign = factories.ConstituencyFactory(town=cast.other_town)
    response = post(staff_client, "congress:deputy_create", deputy_data(cast, constituency=foreign.pk))
    assert "constituency" in response.context["form"].errors
    assert not Deputy.objects.filter(name="王建国").exists()


def test_leaving_office_keeps_the_deputy_with_the_last_day(staff_client, cast):
    response = post(staff_client, "congress:deputy_leave", {"served_until": "2026-03-31"}, pk=cast.deputy.pk)
    assert response.status_code == 302
    cast.deputy.refresh_from_db()
    assert cast.deputy.served_until == dt.date(2026, 3, 31)


def test_leaving_office_before_taking_it_is_a_field_error(staff_client, cast):
    response = post(staff_client, "congress:deputy_leave", {"served_until": "2020-01-01"}, pk=cast.deputy.pk)
    assert "served_until" in response.context["form"].errors
    cast.deputy.refresh_from_db()
    assert cast.deputy.served_until is None


def test_staff_create_and_edit_a_department(staff_client, cast):
    assert post(staff_client, "congress:department_create", {"name": "城建科", "is_active": "on"}).status_code == 302
    department = Department.objects.get(name="城建科")
    assert department.town == cast.town
    post(staff_client, "congress:department_edit", {"name": "城建科"}, pk=department.pk)
    department.refresh_from_db()
    assert department.is_active is False


def test_staff_create_and_edit_a_venue(staff_client, cast):
    data = {"kind": "station", "name": "北房村代表联络站", "village": cast.village.pk, "address": "村委会"}
    assert post(staff_client, "congress:venue_create", data).status_code == 302
    venue = Venue.objects.get(name="北房村代表联络站")
    assert (venue.town, venue.village) == (cast.town, cast.village)
    post(staff_client, "congress:venue_edit", {**data, "reception_days": "每月15日"}, pk=venue.pk)
    venue.refresh_from_db()
    assert venue.reception_days == "每月15日"


def test_staff_cannot_edit_another_towns_record(client, cast):
    foreign = factories.VillageFactory(town=cast.other_town, name="溪翁庄村")
    client.force_login(cast.staff)
    response = post(client, "congress:village_edit", {"name": "改名村", "kind": "village"}, pk=foreign.pk)
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "溪翁庄村"


def test_choices_in_forms_are_only_the_towns_own(staff_client, cast):
    factories.VillageFactory(town=cast.other_town, name="溪翁庄村")
    form = staff_client.get(reverse("congress:venue_create")).context["form"]
    assert set(form.fields["village"].queryset) == {cast.village, cast.other_village}


# Who sees what


def test_a_deputy_asking_for_another_deputys_detail_gets_404(client, cast):
    client.force_login(cast.deputy_user)
    assert client.get(cast.other_deputy.get_absolute_url()).status_code == 404
    assert client.get(cast.deputy.get_absolute_url()).status_code == 200


def test_a_village_cadre_sees_only_their_village(client, cast):
    client.force_login(cast.cadre)
    response = client.get(reverse("congress:village_list"))
    assert list(response.context["page"]) == [cast.village]


@pytest.mark.parametrize("persona", ["staff", "chairman", "cadre", "deputy_user", "department_user"])
def test_each_role_sees_only_its_own_towns_records(client, cast, persona):
    factories.VillageFactory(town=cast.other_town, name="溪翁庄村")
    foreign_constituency = factories.ConstituencyFactory(town=cast.other_town)
    factories.DeputyFactory(town=cast.other_town, constituency=foreign_constituency)
    factories.VenueFactory(town=cast.other_town)
    factories.DepartmentFactory(town=cast.other_town)
    factories.VenueFactory(town=cast.town)
    client.force_login(getattr(cast, persona))
    seen = []
    for name in ("village_list", "constituency_list", "deputy_list", "department_list", "venue_list"):
        seen += list(client.get(reverse(f"congress:{name}")).context["page"])
    assert seen
    assert {row.town_id for row in seen} == {cast.town.pk}


def test_the_district_reads_every_town_of_its_district_but_no_other(client, cast):
    neighbour = factories.TownFactory(district=cast.town.district, name="桥梓镇")
    factories.VillageFactory(town=neighbour)
    factories.VillageFactory(town=cast.other_town)
    client.force_login(cast.district_user)
    rows = client.get(reverse("congress:village_list")).context["page"]
    assert {row.town_id for row in rows} == {cast.town.pk, neighbour.pk}


def test_deputies_can_be_searched_by_name_and_filtered(staff_client, cast):
    cast.other_deputy.served_until = dt.date(2024, 6, 30)
    cast.other_deputy.save()
    url = reverse("congress:deputy_list")
    assert list(staff_client.get(url, {"q": "晓明"}).context["page"]) == [cast.deputy]
    assert list(staff_client.get(url, {"status": "left"}).context["page"]) == [cast.other_deputy]
    assert list(staff_client.get(url, {"status": "serving"}).context["page"]) == [cast.deputy]
    other = factories.ConstituencyFactory(town=cast.town)
    assert list(staff_client.get(url, {"constituency": other.pk}).context["page"]) == []


# The annual plan


def plan_data(**overrides):
    special = {"counted_visit_methods", "review_months", "session_months", "points_table"}
    data = {name: getattr(AnnualPlan(), name) for name in AnnualPlanForm.Meta.fields if name not in special}
    data.update(
        counted_visit_methods=["household", "station"],
        review_months="2, 4, 6, 8, 10, 12",
        session_months="2，7",
        points_table='{"visit": 1}',
    )
    return {**data, **overrides}


def test_staff_write_the_plan_of_the_year(staff_client, cast):
    response = staff_client.post(reverse("congress:plan_edit") + "?year=2026", plan_data(visits_per_month=3))
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(town=cast.town, year=2026)
    assert plan.visits_per_month == 3
    assert plan.session_months == [2, 7]
    assert plan.counted_visit_methods == ["household", "station"]


def test_the_plan_rejects_bad_months_and_keeps_the_other_values(staff_client, cast):
    factories.AnnualPlanFactory(town=cast.town, year=2026)
    response = staff_client.post(
        reverse("congress:plan_edit") + "?year=2026", plan_data(visits_per_month=4, review_months="2, 13")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["review_months"]
    assert form["visits_per_month"].value() == "4"
    assert form["review_months"].value() == "2, 13"
    assert AnnualPlan.objects.get(town=cast.town, year=2026).visits_per_month == 2


def test_the_plan_reports_a_range_upside_down_on_its_field(staff_client, cast):
    response = staff_client.post(reverse("congress:plan_edit"), plan_data(key_projects_min=4, key_projects_max=3))
    assert "key_projects_max" in response.context["form"].errors
    assert not AnnualPlan.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "chairman", "district_user"])
def test_staff_chairman_and_district_read_the_plan(client, cast, persona):
    client.force_login(getattr(cast, persona))
    response = client.get(reverse("congress:plan"), {"year": 2026})
    assert response.status_code == 200
    assert [plan.town for plan in response.context["plans"]] == [cast.town]


# Accounts


def test_staff_create_a_village_cadre_account_with_a_temporary_password(staff_client, cast):
    data = {"username": "cadre2", "full_name": "赵村官", "phone": "", "role": Role.VILLAGE_CADRE}
    response = post(staff_client, "congress:account_create", {**data, "village": cast.other_village.pk})
    assert response.status_code == 200
    account = User.objects.get(username="cadre2")
    assert (account.town, account.village, account.role) == (cast.town, cast.other_village, Role.VILLAGE_CADRE)
    assert account.check_password(response.context["password"])
    assert "no-store" in response["Cache-Control"]


def test_an_account_for_a_deputy_is_linked_to_their_record(staff_client, cast):
    free = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency)
    data = {"username": "wang", "full_name": "王代表", "phone": "", "role": Role.DEPUTY, "deputy": free.pk}
    post(staff_client, "congress:account_create", data)
    free.refresh_from_db()
    assert free.user.username == "wang"


def test_a_role_without_its_scope_is_a_field_error(staff_client, cast):
    data = {"username": "dept2", "full_name": "钱科员", "phone": "", "role": Role.DEPARTMENT}
    response = post(staff_client, "congress:account_create", data)
    assert "department" in response.context["form"].errors
    assert not User.objects.filter(username="dept2").exists()


def test_staff_cannot_give_the_district_role(staff_client, cast):
    data = {"username": "dist2", "full_name": "孙区", "phone": "", "role": Role.DISTRICT}
    response = post(staff_client, "congress:account_create", data)
    assert "role" in response.context["form"].errors


def test_a_password_reset_sets_a_new_temporary_password(staff_client, cast):
    response = post(staff_client, "congress:account_password_reset", {}, pk=cast.cadre.pk)
    cast.cadre.refresh_from_db()
    assert cast.cadre.check_password(response.context["password"])


def test_staff_deactivate_an_account_but_not_their_own(staff_client, cast):
    assert post(staff_client, "congress:account_deactivate", {}, pk=cast.cadre.pk).status_code == 302
    post(staff_client, "congress:account_deactivate", {}, pk=cast.staff.pk)
    cast.cadre.refresh_from_db()
    cast.staff.refresh_from_db()
    assert (cast.cadre.is_active, cast.staff.is_active) == (False, True)


def test_the_account_list_shows_only_the_towns_accounts(staff_client, cast):
    usernames = {u.username for u in staff_client.get(reverse("congress:account_list")).context["page"]}
    assert usernames == {"staff", "cadre", "chairman", "deputy", "other_deputy", "department"}


# Query budgets: a list costs the same number of queries whatever its length


def _more_rows(cast, n):
    constituency = factories.ConstituencyFactory(town=cast.town, villages=[cast.village])
    for _ in range(n):
        village = factories.VillageFactory(town=cast.town)
        factories.VenueFactory(town=cast.town, village=village)
        factories.DepartmentFactory(town=cast.town)
        own_constituency = factories.ConstituencyFactory(town=cast.town, villages=[village])
        factories.DeputyFactory(town=cast.town, constituency=own_constituency)
        factories.DeputyFactory(town=cast.town, constituency=constituency)
        factories.UserFactory(town=cast.town, role=Role.VILLAGE_CADRE, village=village)


LISTS = ["village_list", "constituency_list", "deputy_list", "department_list", "venue_list", "account_list"]


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_cost_the_same_queries_for_5_and_50_rows(staff_client, cast, name):
    url = reverse(f"congress:{name}")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _more_rows(cast, 5)
    few = queries()
    _more_rows(cast, 45)
    assert queries() == few
