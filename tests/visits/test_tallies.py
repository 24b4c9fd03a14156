"""The quota's counters: kept up with every recorded visit, equal to a recount, rebuilt by a command."""

import datetime as dt
import uuid

import pytest
from django.core.management import call_command

from congress.models import VisitMethod
from tests import factories as core
from tests.visits import factories
from visits import tallies
from visits.models import DeputyHouseholdTally, DeputyMonthTally, Visit
from visits.quota import quota
from visits.services import record_visit

pytestmark = pytest.mark.django_db


def snapshot():
    months = set(DeputyMonthTally.objects.values_list("deputy_id", "month", "method", "visits"))
    households = set(DeputyHouseholdTally.objects.values_list("deputy_id", "household_id", "year", "method", "visits"))
    return months, households


def record(cast, day, deputies, household=None, method=VisitMethod.HOUSEHOLD, **kw):
    return record_visit(
        by=cast.staff,
        idempotency_key=uuid.uuid4(),
        visited_on=day,
        method=method,
        deputies=deputies,
        household=household,
        village=cast.village,
        **kw,
    )


@pytest.fixture
def visits(cast):
    """Visits of two deputies across months, years and methods, a household visited twice."""
    first, second = (factories.HouseholdFactory(town=cast.town, village=cast.village) for _ in range(2))
    both = [cast.deputy, cast.other_deputy]
    record(cast, dt.date(2025, 12, 31), both, first)
    record(cast, dt.date(2026, 1, 1), both, first)
    record(cast, dt.date(2026, 1, 20), [cast.deputy], first)
    record(cast, dt.date(2026, 3, 5), [cast.deputy], second)
    record(cast, dt.date(2026, 3, 6), [cast.deputy], method=VisitMethod.PHONE, household=second)
    record(cast, dt.date(2026, 3, 7), [cast.other_deputy], method=VisitMethod.STATION, voter_name="赵某")
    record(cast, dt.date(2026, 3, 8), [], second)  # cadres alone: credits nobody


def test_each_recorded_visit_is_counted_for_its_deputies_by_month_and_method(cast, visits):
    months = {(d, m, method): n for d, m, method, n in snapshot()[0]}

    assert months[(cast.deputy.pk, dt.date(2026, 1, 1), "household")] == 2
    assert months[(cast.deputy.pk, dt.date(2026, 3, 1), "phone")] == 1
    assert months[(cast.other_deputy.pk, dt.date(2026, 3, 1), "station")] == 1
    assert months[(cast.other_deputy.pk, dt.date(2025, 12, 1), "household")] == 1


def test_a_household_visited_twice_in_a_year_is_one_row_with_two_visits(cast, visits):
    rows = DeputyHouseholdTally.objects.filter(deputy=cast.deputy, year=2026, method="household")

    assert sorted(rows.values_list("visits", flat=True)) == [1, 2]


def test_the_kept_up_counters_equal_a_recount(cast, visits):
    kept = snapshot()

    tallies.rebuild()

    assert snapshot() == kept
    assert kept[0] and kept[1]


def test_a_double_submit_counts_once(cast):
    household = factories.HouseholdFactory(town=cast.town, village=cast.village)
    key = uuid.uuid4()
    for _ in range(2):
        record_visit(
            by=cast.staff, idempotency_key=key, visited_on=dt.date(2026, 3, 5), method=VisitMethod.HOUSEHOLD,
            deputies=[cast.deputy], household=household,
        )  # fmt: skip

    assert DeputyMonthTally.objects.get(deputy=cast.deputy).visits == 1


def test_the_command_rebuilds_counters_after_a_bulk_load(cast, visits):
    Visit.objects.bulk_create(
        [Visit(town=cast.town, village=cast.village, household=factories.HouseholdFactory(town=cast.town,
               village=cast.village), visited_on=dt.date(2026, 4, 2), method="household", recorded_by=cast.staff,
               idempotency_key=uuid.uuid4())]
    )  # fmt: skip
    loaded = Visit.objects.get(visited_on=dt.date(2026, 4, 2))
    Visit.deputies.through.objects.create(visit=loaded, deputy=cast.deputy)
    assert not DeputyMonthTally.objects.filter(month=dt.date(2026, 4, 1)).exists()

    call_command("rebuild_visit_tallies", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert DeputyMonthTally.objects.get(deputy=cast.deputy, month=dt.date(2026, 4, 1)).visits == 1
    before = snapshot()
    tallies.rebuild()
    assert snapshot() == before


def test_quota_from_the_counters_equals_quota_from_the_visits(cast, visits):
    """A deputy in office all year is read from the counters; one who took office in it, from the
    visits. Give the second deputy the same visits and a mid-year start: the figures of the months
    both served must agree."""
    late = core.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, served_from=dt.date(2026, 1, 1))
    late.served_from = dt.date(2026, 1, 2)  # a term starting within the year: asked of the visits
    late.save(update_fields=["served_from"])
    for visit in cast.deputy.visits.all():
        visit.deputies.add(late)

    figures = quota([cast.deputy, late], 2026, today=dt.date(2026, 12, 31))
    whole, partly = figures[cast.deputy.pk], figures[late.pk]

    assert [m.visits for m in whole.months][1:] == [m.visits for m in partly.months][1:]
    assert whole.month(3).visits == 1  # the phone call is not counted by default
    assert whole.households == partly.households == 2


def test_the_admin_lists_visits_but_cannot_change_them(cast, visits, client):
    from django.urls import reverse

    visit = Visit.objects.filter(household__isnull=False).first()
    client.force_login(core.UserFactory(is_superuser=True, is_staff=True))

    listing = client.get(reverse("admin:visits_visit_changelist"))
    delete = client.post(reverse("admin:visits_visit_delete", args=[visit.pk]), {"post": "yes"})

    assert listing.status_code == 200
    assert delete.status_code == 403
    assert Visit.objects.filter(pk=visit.pk).exists()
