import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from tests import factories as tests_factories
from tests.visits import factories
from visits.models import Opinion, Visit

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC)


def visit_post(cast, household, categories, **overrides):
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "deputies": [cast.deputy.pk],
        "visited_on": "2026-03-10",
        "method": "household",
        "village": cast.village.pk,
        "household": household.pk,
        "voter_name": "",
        "notes": "老人身体不错",
        "opinions-TOTAL_FORMS": "3",
        "opinions-INITIAL_FORMS": "0",
        "opinions-MIN_NUM_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "30",
        "opinions-0-category": categories[2].pk,
        "opinions-0-text": "希望村口公交站加个雨棚",
        "opinions-0-urgency": "normal",
        "opinions-1-category": categories[6].pk,
        "opinions-1-text": "老年餐桌能否送餐上门",
        "opinions-1-urgency": "pressing",
        "opinions-2-category": "",
        "opinions-2-text": "",
        "opinions-2-urgency": "normal",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOON, tick=False)
def test_staff_record_a_visit_with_two_opinions(client, cast, household, categories):
    client.force_login(cast.staff)
    response = client.post(reverse("visits:visit_create"), visit_post(cast, household, categories))
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert list(visit.deputies.all()) == [cast.deputy]
    assert visit.opinions.count() == 2


@time_machine.travel(NOON, tick=False)
def test_a_double_submit_of_the_form_stores_one_visit(client, cast, household, categories):
    client.force_login(cast.staff)
    data = visit_post(cast, household, categories)
    client.post(reverse("visits:visit_create"), data)
    response = client.post(reverse("visits:visit_create"), data)
    assert response.status_code == 302
    assert Visit.objects.count() == 1
    assert Opinion.objects.count() == 2


@time_machine.travel(NOON, tick=False)
def test_a_future_date_is_a_field_error(client, cast, household, categories):
    client.force_login(cast.staff)
    response = client.post(
        reverse("visits:visit_create"), visit_post(cast, household, categories, visited_on="2026-03-11")
    )
    assert response.status_code == 200
    assert "visited_on" in response.context["form"].errors
    assert not Visit.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_an_opinion_without_a_category_is_a_field_error(client, cast, household, categories):
    client.force_login(cast.staff)
    data = visit_post(cast, household, categories, **{"opinions-0-category": ""})
    response = client.post(reverse("visits:visit_create"), data)
    assert "category" in response.context["formset"].forms[0].errors
    assert not Visit.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_a_deputys_own_login_prefills_themselves_and_today(client, cast):
    client.force_login(cast.deputy_user)
    response = client.get(reverse("visits:visit_create"))
    form = response.context["form"]
    assert form.initial["deputies"] == [cast.deputy.pk]
    assert form.initial["visited_on"] == dt.date(2026, 3, 10)


@time_machine.travel(NOON, tick=False)
def test_a_deputy_naming_only_a_colleague_is_refused(client, cast, household, categories):
    client.force_login(cast.deputy_user)
    data = visit_post(cast, household, categories, deputies=[cast.other_deputy.pk])
    response = client.post(reverse("visits:visit_create"), data)
    assert "deputies" in response.context["form"].errors
    assert not Visit.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_cadre_cannot_pick_a_household_of_another_village(client, cast, categories):
    elsewhere = factories.HouseholdFactory(town=cast.town, village=cast.other_village)
    client.force_login(cast.cadre)
    data = visit_post(cast, elsewhere, categories, village=cast.village.pk)
    response = client.post(reverse("visits:visit_create"), data)
    assert "household" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_household_search_finds_by_pinyin_initials(client, cast, household):
    factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="李桂兰")
    client.force_login(cast.staff)
    response = client.get(reverse("visits:household_search"), {"q": "zxm", "village": cast.village.pk})
    assert response.context["results"] == [household]


def test_household_search_stays_in_the_cadres_village(client, cast, household):
    factories.HouseholdFactory(town=cast.town, village=cast.other_village, head_name="张晓敏")
    client.force_login(cast.cadre)
    response = client.get(reverse("visits:household_search"), {"q": "zx"})
    assert response.context["results"] == [household]


def test_another_opinion_row_comes_with_the_next_form_count(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("visits:opinion_form"), {"index": "3"})
    assert response.context["row"].prefix == "opinions-3"
    assert response.context["next_index"] == 4


def test_roles_that_do_not_record_visits_get_403(client, cast):
    client.force_login(cast.department_user)
    assert client.get(reverse("visits:visit_create")).status_code == 403


def deputy_names(choices):
    return [choice.widget.choice_label for choice in choices]


def test_the_cadres_form_shows_the_deputies_of_their_village_first(client, cast):
    elsewhere = tests_factories.ConstituencyFactory(town=cast.town, villages=[])
    far = tests_factories.DeputyFactory(town=cast.town, constituency=elsewhere, name="王建国")
    client.force_login(cast.cadre)
    picker = client.get(reverse("visits:visit_create")).context["form"].deputy_picker()
    assert deputy_names(picker.near) == [cast.deputy.name, cast.other_deputy.name]
    assert deputy_names(picker.others) == [far.name]


def test_a_ticked_deputy_from_elsewhere_stays_in_view_when_the_form_comes_back(client, cast, household, categories):
    elsewhere = tests_factories.ConstituencyFactory(town=cast.town, villages=[])
    far = tests_factories.DeputyFactory(town=cast.town, constituency=elsewhere, name="王建国")
    client.force_login(cast.staff)
    data = visit_post(cast, household, categories, deputies=[far.pk], visited_on="")
    picker = client.post(reverse("visits:visit_create"), data).context["form"].deputy_picker()
    assert far.name in deputy_names(picker.near)
    ticked = [choice.widget.data["selected"] for choice in picker.near if choice.widget.choice_label == far.name]
    assert ticked == [True]
