"""Two people saving the same mediation case at once: its deputies take part in the version check, so
the second is told what the first saved and nothing is overwritten silently. Requests run in two threads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congress.roles import Role
from tests.concurrency import post_together
from tests.factories import UserFactory
from tests.figures import report
from tests.visits import factories
from visits.models import MediationCase

# Real commits: two connections save the same case at once; each must meet the other's committed row.
pytestmark = pytest.mark.django_db(transaction=True)


def a_case(cast):
    return factories.MediationCaseFactory(town=cast.town, village=cast.village, occurred_on="2026-04-02")


def mediation(case, cast, deputies, version=1):
    return {
        "village": cast.village.pk,
        "occurred_on": "2026-04-02",
        "dispute": case.dispute,
        "outcome": "in_progress",
        "deputies": [d.pk for d in deputies],
        "version": version,
    }


def test_two_edits_of_a_mediations_deputies_keep_the_first_and_tell_the_second(cast, client):
    case = a_case(cast)
    colleague = UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("visits:mediation_edit", args=[case.pk])
    responses = post_together(
        [
            (cast.staff, url, mediation(case, cast, [cast.deputy])),
            (colleague, url, mediation(case, cast, [cast.other_deputy])),
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    case.refresh_from_db()
    assert case.version == 2
    kept = list(case.deputies.all())
    assert kept in ([cast.deputy], [cast.other_deputy])
    loser = cast.other_deputy if kept == [cast.deputy] else cast.deputy
    refused = next(r for r in responses if r.status_code == 200)
    message = " ".join(refused.context["form"].non_field_errors())
    assert "其他人已保存了这条记录" in refused.content.decode()
    assert f"代表：已保存的是“{kept[0].name}”，您填写的是“{loser.name}”" in message
    # Having read it, the second editor saves again on purpose: their choice is kept now.
    user = colleague if refused is responses[1] else cast.staff
    client.force_login(user)
    version = refused.context["form"]["version"].value()
    assert client.post(url, mediation(case, cast, [loser], version=version)).status_code == 302
    case.refresh_from_db()
    assert (list(case.deputies.all()), case.version) == ([loser], 3)
    report("2 simultaneous edits of a mediation case's deputies: 1 saved, 1 shown the conflict, 0 overwritten")


def test_a_double_submit_of_a_mediation_is_saved_once_without_a_conflict(cast):
    case = a_case(cast)
    url = reverse("visits:mediation_edit", args=[case.pk])
    data = mediation(case, cast, [cast.deputy, cast.other_deputy])
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    case = MediationCase.objects.get(pk=case.pk)
    assert (set(case.deputies.all()), case.version) == ({cast.deputy, cast.other_deputy}, 2)


def test_the_edit_page_of_a_mediation_carries_its_version(cast, client):
    case = a_case(cast)
    client.force_login(cast.staff)
    html = client.get(reverse("visits:mediation_edit", args=[case.pk])).content.decode()
    assert 'name="version" value="1"' in html
    assert 'name="version"' not in client.get(reverse("visits:mediation_create")).content.decode()
