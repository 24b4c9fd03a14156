import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congress.models import AuditAction, AuditEvent, VisitMethod
from tests.visits import factories
from tests.visits.conftest import count_queries

pytestmark = pytest.mark.django_db


def make_visit(cast, day, deputies=(), village=None, **kw):
    village = village or cast.village
    household = kw.pop("household", None) or factories.HouseholdFactory(town=cast.town, village=village)
    return factories.VisitFactory(
        town=cast.town,
        household=household,
        village=village,
        visited_on=day,
        deputies=list(deputies),
        recorded_by=cast.staff,
        **kw,
    )


def listed(response):
    return [v.pk for v in response.context["page"].object_list]


def test_ledger_filters_by_village_deputy_method_and_dates(client, cast):
    a = make_visit(cast, dt.date(2026, 3, 1), [cast.deputy])
    b = make_visit(cast, dt.date(2026, 4, 1), [cast.other_deputy], village=cast.other_village)
    c = make_visit(cast, dt.date(2026, 5, 1), [cast.deputy], method=VisitMethod.PHONE)
    client.force_login(cast.staff)
    url = reverse("visits:ledger")
    assert listed(client.get(url, {"village": cast.other_village.pk})) == [b.pk]
    assert listed(client.get(url, {"deputy": cast.deputy.pk})) == [c.pk, a.pk]
    assert listed(client.get(url, {"method": "phone"})) == [c.pk]
    assert listed(client.get(url, {"date_from": "2026-03-15", "date_to": "2026-04-30"})) == [b.pk]


def test_ledger_filters_visits_with_opinions(client, cast):
    quiet = make_visit(cast, dt.date(2026, 3, 1))
    talkative = make_visit(cast, dt.date(2026, 3, 2))
    factories.OpinionFactory(visit=talkative)
    client.force_login(cast.staff)
    assert listed(client.get(reverse("visits:ledger"), {"with_opinions": "true"})) == [talkative.pk]
    assert listed(client.get(reverse("visits:ledger"), {"with_opinions": "false"})) == [quiet.pk]


def test_ledger_sorts_oldest_first_on_request(client, cast):
    late = make_visit(cast, dt.date(2026, 5, 1))
    early = make_visit(cast, dt.date(2026, 3, 1))
    client.force_login(cast.staff)
    assert listed(client.get(reverse("visits:ledger"))) == [late.pk, early.pk]
    assert listed(client.get(reverse("visits:ledger"), {"sort": "date"})) == [early.pk, late.pk]


def test_ledger_pages_by_twenty_five(client, cast):
    for i in range(30):
        make_visit(cast, dt.date(2026, 3, 1) + dt.timedelta(days=i))
    client.force_login(cast.staff)
    assert len(listed(client.get(reverse("visits:ledger"), {"page": 2}))) == 5


def test_deputy_sees_only_their_visits_in_the_ledger(client, cast):
    mine = make_visit(cast, dt.date(2026, 3, 1), [cast.deputy, cast.other_deputy])
    make_visit(cast, dt.date(2026, 3, 2), [cast.other_deputy])
    client.force_login(cast.deputy_user)
    assert listed(client.get(reverse("visits:ledger"))) == [mine.pk]


def test_cadre_sees_only_their_villages_visits(client, cast):
    mine = make_visit(cast, dt.date(2026, 3, 1))
    make_visit(cast, dt.date(2026, 3, 2), village=cast.other_village)
    client.force_login(cast.cadre)
    assert listed(client.get(reverse("visits:ledger"))) == [mine.pk]


@pytest.mark.parametrize("persona", ["staff", "deputy_user"])
def test_ledger_queries_do_not_grow_with_rows(client, cast, persona):
    def add(n):
        for i in range(n):
            visit = make_visit(cast, dt.date(2026, 1, 1) + dt.timedelta(days=i), [cast.deputy, cast.other_deputy])
            factories.OpinionFactory(visit=visit)

    client.force_login(getattr(cast, persona))
    add(5)
    few = count_queries(client, reverse("visits:ledger"))
    add(45)
    assert count_queries(client, reverse("visits:ledger")) == few


def test_ledger_export_has_title_rows_and_totals(client, cast):
    first = make_visit(cast, dt.date(2026, 3, 1), [cast.deputy])
    factories.OpinionFactory(visit=first)
    factories.OpinionFactory(visit=first)
    make_visit(cast, dt.date(2026, 3, 9), [cast.deputy], household=first.household)
    client.force_login(cast.staff)
    response = client.get(reverse("visits:ledger_export"), {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "北房镇" in rows[0][0] and "2026-03-01" in rows[0][0] and "2026-03-31" in rows[0][0]
    assert len(rows) == 2 + 2 + 1
    assert rows[2][3] == first.household.head_name
    assert rows[-1][6] == 2  # opinions in the totals row


def test_export_is_refused_to_deputies(client, cast):
    client.force_login(cast.deputy_user)
    assert client.get(reverse("visits:ledger_export")).status_code == 403


def test_another_towns_visit_is_a_404(client, cast):
    visit = make_visit(cast, dt.date(2026, 3, 1))
    client.force_login(cast.outsider_staff)
    assert client.get(reverse("visits:visit_detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("visits:household_detail", args=[visit.household_id])).status_code == 404


def test_household_history_lists_its_visits(client, cast, household):
    visits = [make_visit(cast, dt.date(2026, m, 1), household=household) for m in (3, 5)]
    make_visit(cast, dt.date(2026, 4, 1))
    client.force_login(cast.staff)
    response = client.get(reverse("visits:household_detail", args=[household.pk]))
    assert [v.pk for v in response.context["visits"]] == [visits[1].pk, visits[0].pk]


@pytest.mark.parametrize(
    ("persona", "may_reveal"),
    [("staff", True), ("cadre", True), ("chairman", False), ("deputy_user", False)],
)
def test_household_phone_is_masked_and_only_staff_and_its_cadre_may_reveal_it(
    client, cast, household, persona, may_reveal
):
    client.force_login(getattr(cast, persona))
    page = client.get(reverse("visits:household_detail", args=[household.pk]))
    assert (page.context["phone"], page.context["can_reveal"]) == ("138****5678", may_reveal)
    revealed = client.post(reverse("visits:household_reveal_phone", args=[household.pk]))
    if may_reveal:
        assert revealed.context["phone"] == "13812345678"
        [event] = AuditEvent.objects.filter(action=AuditAction.REVEAL)
        assert (event.user, event.target, event.detail) == (
            getattr(cast, persona),
            f"visits.household:{household.pk}",
            "phone",
        )
    else:
        assert revealed.status_code == 403
        assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()
        assert b"13812345678" not in revealed.content


def test_a_paired_deputy_may_reveal_the_phone(client, cast, household):
    factories.PairingFactory(town=cast.town, deputy=cast.deputy, household=household, started_on=dt.date(2020, 1, 1))
    client.force_login(cast.deputy_user)
    response = client.post(reverse("visits:household_reveal_phone", args=[household.pk]))
    assert response.context["phone"] == "13812345678"
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL, user=cast.deputy_user).count() == 1


def test_cadre_gets_404_for_a_household_of_another_village(client, cast):
    other = factories.HouseholdFactory(town=cast.town, village=cast.other_village)
    client.force_login(cast.cadre)
    assert client.get(reverse("visits:household_detail", args=[other.pk])).status_code == 404
