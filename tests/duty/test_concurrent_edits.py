"""Two people putting deputies on duty at the same station on the same day: the roster of the day is one
set, so the second is told who the first put on duty and nothing is replaced silently. The simultaneous
requests run in two threads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from congress.roles import Role
from duty import services as svc
from duty.models import ReceptionDuty
from tests import factories
from tests.concurrency import post_together
from tests.figures import report

# Real commits: two connections save the same day at once; each must meet the other's committed row.
pytestmark = pytest.mark.django_db(transaction=True)

DAY = dt.date(2026, 11, 20)


def day_form(venue, deputies, **extra):
    return {"venue": venue.pk, "on_date": DAY.isoformat(), "deputies": [d.pk for d in deputies], **extra}


def on_duty():
    return list(ReceptionDuty.objects.get(on_date=DAY).deputies.all())


def test_two_rosters_of_one_day_keep_the_first_and_tell_the_second(cast, client):
    venue = factories.VenueFactory(town=cast.town, village=cast.village)
    colleague = factories.UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("activities:duty_create")
    responses = post_together(
        [(cast.staff, url, day_form(venue, [cast.deputy])), (colleague, url, day_form(venue, [cast.other_deputy]))]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert ReceptionDuty.objects.count() == 1
    kept = on_duty()
    assert kept in ([cast.deputy], [cast.other_deputy])
    loser = cast.other_deputy if kept == [cast.deputy] else cast.deputy
    refused = next(r for r in responses if r.status_code == 200)
    message = " ".join(refused.context["form"].non_field_errors())
    assert "其他人已保存了这条记录" in refused.content.decode()
    assert f"值班代表：已保存的是“{kept[0].name}”，您填写的是“{loser.name}”" in message
    # Having read who is on duty, the second saves again on purpose: their roster of the day is kept now.
    client.force_login(colleague if refused is responses[1] else cast.staff)
    version = refused.context["form"]["version"].value()
    assert client.post(url, day_form(venue, [loser], version=version)).status_code == 302
    assert on_duty() == [loser]
    assert ReceptionDuty.objects.get().version == 2
    report("2 simultaneous rosters of one reception day: 1 saved, 1 shown the conflict, 0 replaced silently")


def test_a_new_roster_of_a_day_already_set_is_a_conflict_not_a_replacement(cast, client):
    venue = factories.VenueFactory(town=cast.town, village=cast.village)
    svc.set_reception_duty(by=cast.staff, venue=venue, on_date=DAY, deputies=[cast.deputy])
    client.force_login(cast.staff)
    response = client.post(reverse("activities:duty_create"), day_form(venue, [cast.other_deputy]))
    assert response.status_code == 200
    assert f"值班代表：已保存的是“{cast.deputy.name}”" in " ".join(response.context["form"].non_field_errors())
    assert on_duty() == [cast.deputy]


def test_a_double_submit_of_a_roster_is_saved_once_without_a_conflict(cast):
    venue = factories.VenueFactory(town=cast.town, village=cast.village)
    url = reverse("activities:duty_create")
    data = day_form(venue, [cast.deputy, cast.other_deputy])
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    duty = ReceptionDuty.objects.get()
    assert (set(duty.deputies.all()), duty.version) == ({cast.deputy, cast.other_deputy}, 1)
