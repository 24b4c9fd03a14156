"""Households that left are kept as long as the plan says, then their personal data is erased, in their
change history too, and every count stays what it was (visits.retention)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth

from congress.models import AnnualPlan, AuditAction, AuditEvent
from congress.privacy import erasing_history
from tests import factories as core
from tests.visits import factories
from visits.models import DeputyMonthTally, Household, Opinion, Pairing, Visit
from visits.retention import ERASED_NAME, erase_expired, erase_town
from visits.services import save_household
from visits.tasks import erase_expired_households

TODAY = dt.date(2026, 12, 7)


def left(cast, on, *, name="王秀英", status=Household.Status.MOVED_OUT, **kw):
    """A household whose personal data is in its history (added resident, then it left on `on`)."""
    kw = {"town": cast.town, "village": cast.village, **kw}
    household = factories.HouseholdFactory(head_name=name, phone="13812345678", lives_alone_elderly=True, **kw)
    household.status = status
    household.left_on = on
    household.save()
    return household


def counts(town):
    visits = Visit.objects.filter(town=town)
    per_village_month = sorted(
        visits.annotate(month=TruncMonth("visited_on")).values_list("village_id", "month").annotate(n=Count("pk"))
    )
    opinions = Opinion.objects.filter(visit__town=town).count()
    tallies = sorted(DeputyMonthTally.objects.values_list("deputy_id", "month", "method", "visits"))
    per_village = sorted(
        Household.objects.filter(town=town).values_list("village_id", "status").annotate(n=Count("pk"))
    )
    return per_village_month, opinions, tallies, per_village


@pytest.fixture
def gone(cast):
    """A household that moved out four years ago, visited with notes and paired with a note."""
    household = left(cast, dt.date(2022, 11, 1))
    visit = factories.VisitFactory(
        town=cast.town, household=household, notes="老人独居，腿脚不便", visited_on=dt.date(2022, 5, 3)
    )
    visit.notes = "儿子在外打工，电话13900001111"
    visit.save()
    factories.OpinionFactory(visit=visit)
    pairing = factories.PairingFactory(town=cast.town, household=household, deputy=cast.deputy, notes="每月送药")
    pairing.notes = "每月送药，血压高"
    pairing.save()
    return household


def test_a_household_past_retention_is_erased_with_its_history(cast, gone):
    erasure = erase_town(cast.town, TODAY)

    assert erasure.households == [gone.pk]
    gone.refresh_from_db()
    assert (gone.head_name, gone.address, gone.phone, gone.head_initials) == (ERASED_NAME, "", "", "")
    assert not gone.lives_alone_elderly
    assert gone.erased_on == TODAY
    assert (gone.status, gone.village, gone.size) == (Household.Status.MOVED_OUT, cast.village, 3)
    history = list(Household.history.filter(id=gone.pk).values_list("head_name", "address", "phone"))
    assert len(history) == 2
    assert set(history) == {(ERASED_NAME, "", "")}
    assert not Household.history.filter(id=gone.pk, lives_alone_elderly=True).exists()
    assert set(Visit.objects.filter(household=gone).values_list("notes", flat=True)) == {""}
    assert set(Visit.history.filter(household_id=gone.pk).values_list("notes", flat=True)) == {""}
    assert set(Pairing.objects.filter(household=gone).values_list("notes", flat=True)) == {""}
    assert set(Pairing.history.filter(household_id=gone.pk).values_list("notes", flat=True)) == {""}
    event = AuditEvent.objects.get(action=AuditAction.ERASE)
    assert event.town_id == cast.town.pk
    assert "households=1" in event.detail


def test_recent_and_resident_households_are_kept(cast, gone):
    recent = left(cast, dt.date(2024, 1, 1), name="赵四", status=Household.Status.DEREGISTERED)
    resident = factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="钱五")
    other_town = left(
        cast, dt.date(2020, 1, 1), name="孙六", town=cast.other_town, village=core.VillageFactory(town=cast.other_town)
    )

    erase_expired(TODAY)

    for household, name in ((recent, "赵四"), (resident, "钱五")):
        household.refresh_from_db()
        assert household.head_name == name
        assert household.erased_on is None
        assert Household.history.filter(id=household.pk, head_name=name).exists()
    # Each town by its own plan: the other town's household is past the default too.
    other_town.refresh_from_db()
    assert other_town.head_name == ERASED_NAME


def test_the_plans_retention_decides(cast, gone):
    AnnualPlan.objects.create(town=cast.town, year=TODAY.year, household_retention_months=60)
    assert erase_town(cast.town, TODAY).households == []
    gone.refresh_from_db()
    assert gone.head_name == "王秀英"


def test_counts_stay_equal(cast, gone):
    factories.VisitFactory(town=cast.town, village=cast.village, household=None, method="forum")
    before = counts(cast.town)
    erase_town(cast.town, TODAY)
    assert counts(cast.town) == before
    assert Visit.objects.filter(household=gone).count() == 1


def test_erasing_twice_changes_nothing_more(cast, gone):
    erase_town(cast.town, TODAY)
    second = erase_town(cast.town, TODAY + dt.timedelta(days=31))
    assert second.households == []
    assert AuditEvent.objects.filter(action=AuditAction.ERASE).count() == 1


def test_two_erased_households_of_one_village_do_not_collide(cast, gone):
    other = left(cast, dt.date(2021, 6, 1), name="周七", address="南街1号")
    assert sorted(erase_town(cast.town, TODAY).households) == sorted([gone.pk, other.pk])


def test_the_command_dry_run_changes_nothing(cast, gone):
    out = StringIO()
    call_command("erase_expired_households", "--date", TODAY.isoformat(), "--dry-run", stdout=out)

    assert "Would erase 1 households" in out.getvalue()
    gone.refresh_from_db()
    assert gone.head_name == "王秀英"
    assert Household.history.filter(id=gone.pk, head_name="王秀英").count() == 2
    assert not AuditEvent.objects.filter(action=AuditAction.ERASE).exists()


def test_the_command_erases(cast, gone):
    out = StringIO()
    call_command("erase_expired_households", "--date", TODAY.isoformat(), stdout=out)
    assert "Erased 1 households" in out.getvalue()
    gone.refresh_from_db()
    assert gone.head_name == ERASED_NAME


def test_the_task_erases(cast, gone):
    assert erase_expired_households(TODAY.isoformat()) == 1


def test_history_rows_stay_append_only_outside_an_erasure(cast, gone):
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.history.filter(id=gone.pk).update(head_name="改名")


def test_an_erasure_may_not_change_a_history_rows_identity(cast, gone):
    with pytest.raises(IntegrityError), transaction.atomic(), erasing_history():
        Household.history.filter(id=gone.pk).update(history_type="~")


def test_leaving_is_dated_and_an_erased_household_is_not_edited(cast):
    household = factories.HouseholdFactory(town=cast.town, village=cast.village)
    household.status = Household.Status.MOVED_OUT
    save_household(by=cast.staff, household=household)
    assert household.left_on is not None
    household.status = Household.Status.RESIDENT
    save_household(by=cast.staff, household=household)
    assert household.left_on is None

    gone = left(cast, dt.date(2020, 1, 1), name="吴八")
    erase_town(cast.town, TODAY)
    gone.refresh_from_db()
    gone.head_name = "吴八"
    with pytest.raises(ValidationError):
        save_household(by=cast.staff, household=gone)


def test_the_household_page_says_when_it_left_and_was_erased(client, cast, gone):
    erase_town(cast.town, TODAY)
    client.force_login(cast.staff)
    page = client.get(gone.get_absolute_url()).content.decode()
    assert "2022-11-01" in page
    assert TODAY.isoformat() in page
    assert ERASED_NAME in page
    assert "王秀英" not in page
