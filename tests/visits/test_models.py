import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from congress.models import VisitMethod
from tests import factories as core
from tests.visits import factories
from visits.models import DEFAULT_OPINION_CATEGORIES, Household, Opinion, OpinionCategory, Pairing, SummaryItem, Visit

pytestmark = pytest.mark.django_db


def violates_constraint(factory, **kw) -> bool:
    try:
        with transaction.atomic():
            factory(**kw)
    except IntegrityError:
        return True
    return False


def test_household_search_finds_by_pinyin_initials_name_and_address(cast):
    zhang = factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="张晓明", address="北街5号")
    factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="李桂兰", address="南街1号")
    assert list(Household.objects.search("zxm")) == [zhang]
    assert list(Household.objects.search("晓明")) == [zhang]
    assert list(Household.objects.search("北街")) == [zhang]


def test_households_sort_in_pinyin_order(cast):
    for name in ["张三", "安平", "北辰", "李四"]:
        factories.HouseholdFactory(town=cast.town, village=cast.village, head_name=name)
    names = list(Household.objects.in_pinyin_order().values_list("head_name", flat=True))
    assert names == ["安平", "北辰", "李四", "张三"]


def test_household_size_must_be_positive(cast):
    assert violates_constraint(factories.HouseholdFactory, town=cast.town, village=cast.village, size=0)


def test_same_head_at_same_address_is_registered_once(cast):
    factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="王五", address="1号")
    assert violates_constraint(
        factories.HouseholdFactory, town=cast.town, village=cast.village, head_name="王五", address="1号"
    )


def test_household_village_must_be_in_its_town(cast):
    household = factories.HouseholdFactory.build(town=cast.other_town, village=cast.village)
    with pytest.raises(ValidationError) as info:
        household.full_clean()
    assert "village" in info.value.message_dict


def test_household_visit_needs_a_household(cast):
    assert violates_constraint(
        factories.VisitFactory, town=cast.town, household=None, village=cast.village, method=VisitMethod.HOUSEHOLD
    )


def test_unregistered_voter_only_at_a_station(cast):
    assert violates_constraint(
        factories.VisitFactory,
        town=cast.town,
        household=None,
        village=cast.village,
        method=VisitMethod.FORUM,
        voter_name="赵六",
    )
    visit = factories.VisitFactory(
        town=cast.town, household=None, village=cast.village, method=VisitMethod.STATION, voter_name="赵六"
    )
    assert visit.pk


def test_visit_idempotency_key_is_unique(cast):
    visit = factories.VisitFactory(town=cast.town)
    assert violates_constraint(factories.VisitFactory, town=cast.town, idempotency_key=visit.idempotency_key)


def test_visit_household_must_be_in_the_visits_village(cast):
    household = factories.HouseholdFactory(town=cast.town, village=cast.village)
    visit = factories.VisitFactory.build(town=cast.town, household=household, village=cast.other_village)
    with pytest.raises(ValidationError) as info:
        visit.full_clean(exclude=["recorded_by"])
    assert "household" in info.value.message_dict


def test_visit_querysets_filter_by_month_and_opinions(cast):
    march = factories.VisitFactory(town=cast.town, visited_on=dt.date(2026, 3, 31))
    factories.VisitFactory(town=cast.town, visited_on=dt.date(2026, 4, 1))
    factories.OpinionFactory(visit=march)
    assert list(Visit.objects.in_month(2026, 3)) == [march]
    assert list(Visit.objects.with_opinions()) == [march]


def test_opinion_categories_are_seeded_per_town_on_first_use(cast):
    names = list(OpinionCategory.objects.for_town(cast.town).values_list("name", flat=True))
    assert names == DEFAULT_OPINION_CATEGORIES
    OpinionCategory.objects.for_town(cast.town)
    assert OpinionCategory.objects.filter(town=cast.town).count() == len(DEFAULT_OPINION_CATEGORIES)
    assert not OpinionCategory.objects.filter(town=cast.other_town).exists()


def test_triaged_opinion_needs_a_reason(cast):
    opinion = factories.OpinionFactory(visit__town=cast.town)
    opinion.status = Opinion.Status.CLOSED
    with pytest.raises(IntegrityError), transaction.atomic():
        opinion.save()


def test_merged_opinion_needs_a_summary_item(cast):
    opinion = factories.OpinionFactory(visit__town=cast.town)
    opinion.status, opinion.reason = Opinion.Status.MERGED, "同类诉求"
    with pytest.raises(IntegrityError), transaction.atomic():
        opinion.save()


def test_referred_summary_item_names_a_department(cast):
    assert violates_constraint(
        factories.SummaryItemFactory, town=cast.town, status=SummaryItem.Status.REFERRED, reason="职责所在"
    )


def test_a_deputy_has_one_open_pair_with_a_household(cast):
    pair = factories.PairingFactory(town=cast.town, deputy=cast.deputy)
    assert violates_constraint(factories.PairingFactory, town=cast.town, deputy=cast.deputy, household=pair.household)
    pair.ended_on = dt.date(2026, 6, 30)
    pair.save()
    assert not violates_constraint(
        factories.PairingFactory, town=cast.town, deputy=cast.deputy, household=pair.household
    )


def test_pairing_is_overdue_when_no_visit_within_its_frequency(cast):
    visited = factories.PairingFactory(town=cast.town, deputy=cast.deputy, started_on=dt.date(2026, 1, 1))
    factories.VisitFactory(
        town=cast.town, household=visited.household, visited_on=dt.date(2026, 3, 1), deputies=[cast.deputy]
    )
    neglected = factories.PairingFactory(town=cast.town, deputy=cast.deputy, started_on=dt.date(2026, 1, 1))
    # A visit by another deputy does not keep this pair up to date.
    factories.VisitFactory(
        town=cast.town, household=neglected.household, visited_on=dt.date(2026, 3, 1), deputies=[cast.other_deputy]
    )
    assert list(Pairing.objects.overdue_on(dt.date(2026, 3, 20))) == [neglected]
    pair = Pairing.objects.with_last_visit().get(pk=visited.pk)
    assert pair.last_visit_on == dt.date(2026, 3, 1)
    assert pair.next_visit_due == dt.date(2026, 3, 31)


def test_mediation_case_needs_a_description(cast):
    assert violates_constraint(factories.MediationCaseFactory, town=cast.town, dispute="")


def test_deputy_and_staff_see_households_but_cadre_only_their_villages(cast):
    from congress import access

    mine = factories.HouseholdFactory(town=cast.town, village=cast.village)
    other = factories.HouseholdFactory(town=cast.town, village=cast.other_village)
    factories.HouseholdFactory(town=cast.other_town, village=core.VillageFactory(town=cast.other_town))
    assert set(access.scope(cast.staff, Household)) == {mine, other}
    assert set(access.scope(cast.deputy_user, Household)) == {mine, other}
    assert list(access.scope(cast.cadre, Household)) == [mine]
    assert not access.scope(cast.department_user, Household).exists()


def test_deputy_sees_only_visits_they_took_part_in(cast):
    from congress import access

    mine = factories.VisitFactory(town=cast.town, deputies=[cast.deputy, cast.other_deputy])
    factories.VisitFactory(town=cast.town, deputies=[cast.other_deputy])
    assert list(access.scope(cast.deputy_user, Visit)) == [mine]
