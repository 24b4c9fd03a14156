import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import Notification, VisitMethod
from tests import factories as core
from tests.visits import factories
from visits.models import Opinion, OpinionCategory, Visit
from visits.services import OpinionData, record_visit

pytestmark = pytest.mark.django_db

# 17:00 UTC on 10 March is already 11 March in Beijing.
EVENING_UTC = dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)


def record(by, **kw):
    kw.setdefault("idempotency_key", uuid.uuid4())
    kw.setdefault("visited_on", dt.date(2026, 3, 1))
    kw.setdefault("method", VisitMethod.HOUSEHOLD)
    return record_visit(by=by, **kw)


@pytest.fixture
def household(cast):
    return factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="王大爷")


@pytest.fixture
def category(cast):
    return OpinionCategory.objects.for_town(cast.town).get(name="交通出行")


def test_staff_record_a_visit_with_deputies_and_opinions(cast, household, category):
    visit = record(
        cast.staff,
        household=household,
        deputies=[cast.deputy, cast.other_deputy],
        opinions=[OpinionData(category, "修路"), OpinionData(category, "路灯", Opinion.Urgency.URGENT)],
    )
    visit.refresh_from_db()
    assert visit.village == cast.village
    assert set(visit.deputies.all()) == {cast.deputy, cast.other_deputy}
    assert sorted(visit.opinions.values_list("text", "urgency")) == [("修路", "normal"), ("路灯", "urgent")]


def test_double_submit_stores_one_visit(cast, household, category):
    key = uuid.uuid4()
    first = record(cast.staff, household=household, idempotency_key=key, opinions=[OpinionData(category, "修路")])
    second = record(cast.staff, household=household, idempotency_key=key, opinions=[OpinionData(category, "修路")])
    assert first.pk == second.pk
    assert Visit.objects.count() == 1
    assert Opinion.objects.count() == 1


def test_someone_else_reusing_a_form_key_is_refused(cast, household):
    key = uuid.uuid4()
    record(cast.staff, household=household, idempotency_key=key)
    with pytest.raises(ValidationError):
        record(cast.cadre, household=household, idempotency_key=key)
    assert Visit.objects.get().recorded_by == cast.staff


@time_machine.travel(EVENING_UTC, tick=False)
def test_today_is_counted_in_beijing_time(cast, household):
    visit = record(cast.staff, household=household, visited_on=dt.date(2026, 3, 11))
    assert visit.visited_on == dt.date(2026, 3, 11)


@time_machine.travel(EVENING_UTC, tick=False)
def test_a_visit_cannot_be_dated_in_the_future(cast, household):
    with pytest.raises(ValidationError) as info:
        record(cast.staff, household=household, visited_on=dt.date(2026, 3, 12))
    assert "visited_on" in info.value.message_dict
    assert not Visit.objects.exists()


def test_cadre_cannot_record_a_visit_to_another_villages_household(cast):
    elsewhere = factories.HouseholdFactory(town=cast.town, village=cast.other_village)
    with pytest.raises(ValidationError) as info:
        record(cast.cadre, household=elsewhere)
    assert "household" in info.value.message_dict
    assert not Visit.objects.exists()


def test_staff_cannot_record_a_visit_to_another_towns_household(cast):
    foreign = factories.HouseholdFactory(town=cast.other_town)
    with pytest.raises(ValidationError) as info:
        record(cast.staff, household=foreign)
    assert "household" in info.value.message_dict


def test_deputies_of_another_town_cannot_be_credited(cast, household):
    foreign = core.DeputyFactory(town=cast.other_town)
    with pytest.raises(ValidationError) as info:
        record(cast.staff, household=household, deputies=[foreign])
    assert "deputies" in info.value.message_dict


def test_a_deputy_out_of_office_that_day_cannot_be_credited(cast, household):
    cast.deputy.served_until = dt.date(2026, 2, 1)
    cast.deputy.save()
    with pytest.raises(ValidationError) as info:
        record(cast.staff, household=household, deputies=[cast.deputy])
    assert "deputies" in info.value.message_dict


def test_a_deputy_records_visits_they_took_part_in(cast, household):
    with pytest.raises(ValidationError) as info:
        record(cast.deputy_user, household=household, deputies=[cast.other_deputy])
    assert "deputies" in info.value.message_dict
    visit = record(cast.deputy_user, household=household, deputies=[cast.deputy, cast.other_deputy])
    assert visit.deputies.count() == 2


def test_a_visit_by_cadres_alone_is_allowed(cast, household):
    visit = record(cast.cadre, household=household)
    assert not visit.deputies.exists()


def test_a_station_reception_may_name_a_voter_not_in_the_register(cast):
    visit = record(
        cast.staff, method=VisitMethod.STATION, village=cast.village, voter_name="赵六", deputies=[cast.deputy]
    )
    assert visit.household is None and visit.voter_name == "赵六"


def test_a_household_visit_without_a_household_is_rejected(cast):
    with pytest.raises(ValidationError) as info:
        record(cast.staff, village=cast.village)
    assert "household" in info.value.message_dict


def test_an_invalid_opinion_stores_nothing(cast, household, category):
    with pytest.raises(ValidationError) as info:
        record(cast.staff, household=household, opinions=[OpinionData(category, "修路"), OpinionData(category, " ")])
    assert "opinions" in info.value.message_dict
    assert not Visit.objects.exists() and not Opinion.objects.exists()


def test_roles_that_do_not_record_visits_are_refused(cast, household):
    with pytest.raises(PermissionDenied):
        record(cast.chairman, household=household)


def test_an_urgent_opinion_tells_the_towns_staff_once(cast, household, category):
    key = uuid.uuid4()
    opinions = [
        OpinionData(category, "修路"),
        OpinionData(category, "路灯不亮，夜里有老人摔倒", Opinion.Urgency.URGENT),
        OpinionData(category, "积水", Opinion.Urgency.PRESSING),
    ]
    visit = record(cast.cadre, household=household, idempotency_key=key, opinions=opinions)
    record(cast.cadre, household=household, idempotency_key=key, opinions=opinions)  # a double submit

    (note,) = Notification.objects.filter(kind="visits.urgent_opinion")
    assert (note.recipient, note.subject, note.url) == (cast.staff, f"visit:{visit.pk}", visit.get_absolute_url())
    assert "王大爷" in note.title
    assert "路灯不亮" in note.body and "修路" not in note.body and "积水" not in note.body


def test_a_visit_without_urgent_opinions_tells_nobody(cast, household, category):
    record(cast.staff, household=household, opinions=[OpinionData(category, "积水", Opinion.Urgency.PRESSING)])

    assert not Notification.objects.exists()
