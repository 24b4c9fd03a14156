import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from congress.models import AnnualPlan
from tests import factories as core
from tests.visits import factories
from tests.visits.conftest import count_queries
from visits.models import MediationCase, Pairing
from visits.quota import deputy_quota
from visits.services import pair_deputy

pytestmark = pytest.mark.django_db

MARCH = dt.datetime(2026, 3, 20, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def elderly(cast):
    return factories.HouseholdFactory(town=cast.town, village=cast.village, lives_alone_elderly=True)


def test_a_pair_takes_the_plans_visit_frequency_by_default(cast, elderly):
    AnnualPlan.objects.create(town=cast.town, year=2026, pairing_visit_every_days=14)
    pairing = pair_deputy(by=cast.staff, deputy=cast.deputy, household=elderly, started_on=dt.date(2026, 1, 5))
    assert pairing.expected_every_days == 14


def test_pairs_are_for_vulnerable_households(cast, household):
    with pytest.raises(ValidationError) as info:
        pair_deputy(by=cast.staff, deputy=cast.deputy, household=household, started_on=dt.date(2026, 1, 5))
    assert "household" in info.value.message_dict
    assert not Pairing.objects.exists()


def test_staff_add_a_pair_from_the_form(client, cast, elderly):
    client.force_login(cast.staff)
    data = {"deputy": cast.deputy.pk, "household": elderly.pk, "started_on": "2026-01-05"}
    assert client.post(reverse("visits:pair_create"), data).status_code == 302
    assert Pairing.objects.get().expected_every_days == 30


@time_machine.travel(MARCH, tick=False)
def test_a_visit_to_the_paired_household_counts_for_the_quota_and_the_pair(client, cast, elderly):
    pairing = factories.PairingFactory(town=cast.town, deputy=cast.deputy, household=elderly)
    factories.VisitFactory(
        town=cast.town, household=elderly, village=cast.village, visited_on=dt.date(2026, 3, 1), deputies=[cast.deputy]
    )
    assert deputy_quota(cast.deputy, 2026).households == 1
    client.force_login(cast.staff)
    page = client.get(reverse("visits:pair_list")).context["page"]
    assert [(p.pk, p.last_visit_on) for p in page] == [(pairing.pk, dt.date(2026, 3, 1))]


@time_machine.travel(MARCH, tick=False)
def test_the_overdue_list_shows_only_pairs_late_for_a_visit(client, cast, elderly):
    late = factories.PairingFactory(town=cast.town, deputy=cast.deputy, started_on=dt.date(2026, 1, 1))
    factories.PairingFactory(town=cast.town, deputy=cast.deputy, household=elderly, started_on=dt.date(2026, 3, 1))
    client.force_login(cast.staff)
    page = client.get(reverse("visits:pair_list"), {"overdue": "1"}).context["page"]
    assert [p.pk for p in page] == [late.pk]


@time_machine.travel(MARCH, tick=False)
@time_machine.travel(MARCH, tick=False)
def test_a_visit_before_the_pairing_began_does_not_count_for_it(client, cast, elderly):
    # Visited on 20 January, paired on 1 February to be visited every 30 days: due on 3 March, late now.
    factories.VisitFactory(
        town=cast.town, household=elderly, village=cast.village, visited_on=dt.date(2026, 1, 20), deputies=[cast.deputy]
    )
    pairing = factories.PairingFactory(
        town=cast.town, deputy=cast.deputy, household=elderly, started_on=dt.date(2026, 2, 1), expected_every_days=30
    )
    client.force_login(cast.staff)

    page = client.get(reverse("visits:pair_list"), {"overdue": "1"}).context["page"]

    assert [(p.pk, p.last_visit_on, p.next_visit_due) for p in page] == [(pairing.pk, None, dt.date(2026, 3, 3))]


def test_a_deputy_sees_only_their_own_pairs(client, cast, elderly):
    mine = factories.PairingFactory(town=cast.town, deputy=cast.deputy, household=elderly)
    factories.PairingFactory(town=cast.town, deputy=cast.other_deputy)
    client.force_login(cast.deputy_user)
    assert [p.pk for p in client.get(reverse("visits:pair_list")).context["page"]] == [mine.pk]


@time_machine.travel(MARCH, tick=False)
def test_ending_a_pair_keeps_it(client, cast, elderly):
    pairing = factories.PairingFactory(town=cast.town, deputy=cast.deputy, household=elderly)
    client.force_login(cast.staff)
    client.post(reverse("visits:pair_end", args=[pairing.pk]))
    pairing.refresh_from_db()
    assert pairing.ended_on == dt.date(2026, 3, 20)


@time_machine.travel(MARCH, tick=False)
def test_pair_list_queries_do_not_grow_with_rows(client, cast):
    client.force_login(cast.staff)
    factories.PairingFactory.create_batch(5, town=cast.town, deputy=cast.deputy)
    few = count_queries(client, reverse("visits:pair_list"))
    factories.PairingFactory.create_batch(45, town=cast.town, deputy=cast.deputy)
    assert count_queries(client, reverse("visits:pair_list")) == few


@time_machine.travel(MARCH, tick=False)
def test_a_deputy_records_a_mediation_case(client, cast):
    client.force_login(cast.deputy_user)
    data = {
        "village": cast.village.pk,
        "occurred_on": "2026-03-18",
        "dispute": "邻里排水沟纠纷",
        "outcome": "resolved",
        "deputies": [cast.deputy.pk],
    }
    assert client.post(reverse("visits:mediation_create"), data).status_code == 302
    case = MediationCase.objects.get()
    assert (case.town, case.recorded_by, list(case.deputies.all())) == (cast.town, cast.deputy_user, [cast.deputy])


@time_machine.travel(MARCH, tick=False)
def test_a_mediation_cannot_be_dated_in_the_future(client, cast):
    client.force_login(cast.staff)
    data = {"village": cast.village.pk, "occurred_on": "2026-03-21", "dispute": "纠纷", "outcome": "in_progress"}
    response = client.post(reverse("visits:mediation_create"), data)
    assert "occurred_on" in response.context["form"].errors
    assert not MediationCase.objects.exists()


@time_machine.travel(MARCH, tick=False)
def test_staff_update_a_mediation_outcome(client, cast):
    case = factories.MediationCaseFactory(town=cast.town, village=cast.village, deputies=[cast.deputy])
    client.force_login(cast.staff)
    data = {
        "village": cast.village.pk,
        "occurred_on": "2026-03-01",
        "dispute": case.dispute,
        "outcome": "transferred",
        "deputies": [cast.deputy.pk],
        "version": 1,
    }
    client.post(reverse("visits:mediation_edit", args=[case.pk]), data)
    case.refresh_from_db()
    assert (case.outcome, case.version) == ("transferred", 2)
    # The versioned save keeps the change history, with who made the change.
    latest = case.history.order_by("-history_id").first()
    assert (latest.history_type, latest.outcome, latest.history_user) == ("~", "transferred", cast.staff)


def test_cadre_sees_only_their_villages_mediations(client, cast):
    mine = factories.MediationCaseFactory(town=cast.town, village=cast.village)
    factories.MediationCaseFactory(town=cast.town, village=cast.other_village)
    client.force_login(cast.cadre)
    assert [c.pk for c in client.get(reverse("visits:mediation_list")).context["page"]] == [mine.pk]


def test_another_towns_mediation_is_a_404_to_edit(client, cast):
    case = factories.MediationCaseFactory(town=cast.other_town, village=core.VillageFactory(town=cast.other_town))
    client.force_login(cast.staff)
    assert client.get(reverse("visits:mediation_edit", args=[case.pk])).status_code == 404


def test_mediation_list_queries_do_not_grow_with_rows(client, cast):
    client.force_login(cast.staff)
    for _ in range(5):
        factories.MediationCaseFactory(town=cast.town, village=cast.village, deputies=[cast.deputy])
    few = count_queries(client, reverse("visits:mediation_list"))
    for _ in range(45):
        factories.MediationCaseFactory(town=cast.town, village=cast.village, deputies=[cast.deputy])
    assert count_queries(client, reverse("visits:mediation_list")) == few
