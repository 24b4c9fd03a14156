"""A suggestion saved twice at once: a double submit of the web form stores one suggestion, and of two
edits of one draft the second is told what the first changed. Requests run in two threads."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from suggestions.models import Suggestion, SuggestionEvent
from tests import factories
from tests.concurrency import post_together
from tests.factories import DeputyFactory
from tests.figures import report
from tests.suggestions.test_views import FORM

State = Suggestion.State

# Real commits: two connections save the same suggestion at once; each must meet the other's committed row.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_submit_of_a_new_suggestion_stores_and_numbers_one(cast):
    data = {**FORM, "form_key": str(uuid.uuid4()), "submit": "1"}
    url = reverse("suggestions:create")
    responses = post_together([(cast.deputy_user, url, data), (cast.deputy_user, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    s = Suggestion.objects.get()
    assert (s.state, s.number) == (State.SUBMITTED, 1)
    assert SuggestionEvent.objects.filter(suggestion=s, action="draft").count() == 1
    assert responses[0]["Location"] == responses[1]["Location"] == s.get_absolute_url()
    report("a new suggestion submitted twice at once: 1 stored, 1 number given")


def test_two_forms_of_a_new_suggestion_store_two(cast, client):
    client.force_login(cast.deputy_user)
    for title in ("建议村里安装路灯", "建议修缮村委会活动室"):
        client.post(reverse("suggestions:create"), {**FORM, "title": title, "form_key": str(uuid.uuid4())})
    assert Suggestion.objects.count() == 2


def test_the_second_of_two_edits_of_a_draft_is_told_what_changed(cast, client):
    client.force_login(cast.deputy_user)
    client.post(reverse("suggestions:create"), {**FORM, "form_key": str(uuid.uuid4())})
    s = Suggestion.objects.get()
    url = reverse("suggestions:edit", args=[s.pk])
    responses = post_together(
        [
            (cast.deputy_user, url, {**FORM, "title": "建议主街安装路灯", "version": 1}),
            (cast.deputy_user, url, {**FORM, "title": "建议北街安装路灯", "version": 1}),
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    s.refresh_from_db()
    assert s.version == 2
    refused = next(r for r in responses if r.status_code == 200)
    yours = "建议北街安装路灯" if s.title == "建议主街安装路灯" else "建议主街安装路灯"
    message = " ".join(refused.context["form"].non_field_errors())
    assert "其他人已保存了这条记录" in refused.content.decode()
    assert f"标题：已保存的是“{s.title}”，您填写的是“{yours}”" in message


def test_the_new_suggestion_form_carries_a_fresh_key_and_the_edit_form_its_version(cast, client):
    client.force_login(cast.deputy_user)
    keys = [
        re.search(
            r'name="form_key" value="([0-9a-f-]{36})"', client.get(reverse("suggestions:create")).content.decode()
        )
        for _ in range(2)
    ]
    assert all(keys) and keys[0].group(1) != keys[1].group(1)
    client.post(reverse("suggestions:create"), {**FORM, "form_key": keys[0].group(1)})
    edit = client.get(reverse("suggestions:edit", args=[Suggestion.objects.get().pk])).content.decode()
    assert 'name="version" value="1"' in edit


def a_draft(cast, client):
    client.force_login(cast.deputy_user)
    client.post(reverse("suggestions:create"), {**FORM, "form_key": str(uuid.uuid4())})
    return Suggestion.objects.get()


def joint(s):
    return set(s.proposer_links.filter(is_lead=False).values_list("deputy__name", flat=True))


def test_two_edits_of_a_drafts_joint_proposers_keep_the_first_and_tell_the_second(cast, client):
    s = a_draft(cast, client)
    third = DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, name="王建国")
    url = reverse("suggestions:edit", args=[s.pk])
    responses = post_together(
        [
            (cast.deputy_user, url, {**FORM, "joint_proposers": [cast.other_deputy.pk], "version": 1}),
            (cast.deputy_user, url, {**FORM, "joint_proposers": [third.pk], "version": 1}),
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    s.refresh_from_db()
    assert s.version == 2
    kept = joint(s)
    assert kept in ({"李桂兰"}, {"王建国"})
    loser = third if kept == {"李桂兰"} else cast.other_deputy
    refused = next(r for r in responses if r.status_code == 200)
    message = " ".join(refused.context["form"].non_field_errors())
    assert "其他人已保存了这条记录" in refused.content.decode()
    assert f"联名代表：已保存的是“{kept.pop()}”，您填写的是“{loser.name}”" in message
    version = refused.context["form"]["version"].value()
    again = client.post(url, {**FORM, "joint_proposers": [loser.pk], "version": version})
    assert again.status_code == 302
    s.refresh_from_db()
    assert (joint(s), s.version) == ({loser.name}, 3)
    assert s.proposer_links.get(is_lead=True).deputy == cast.deputy
    report("2 simultaneous edits of a draft's joint proposers: 1 saved, 1 shown the conflict, 0 overwritten")


def test_a_double_submit_of_a_drafts_joint_proposers_is_saved_once_without_a_conflict(cast, client):
    s = a_draft(cast, client)
    url = reverse("suggestions:edit", args=[s.pk])
    data = {**FORM, "joint_proposers": [cast.other_deputy.pk], "version": 1}
    responses = post_together([(cast.deputy_user, url, data), (cast.deputy_user, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    s.refresh_from_db()
    assert (joint(s), s.version) == ({"李桂兰"}, 2)


def test_a_versioned_save_keeps_the_change_history_with_who_made_it(cast, client):
    s = a_draft(cast, client)
    url = reverse("suggestions:edit", args=[s.pk])
    assert client.post(url, {**FORM, "title": "建议主街安装路灯", "version": 1}).status_code == 302
    latest = s.history.order_by("-history_id").first()
    assert (latest.history_type, latest.title, latest.version, latest.history_user) == (
        "~",
        "建议主街安装路灯",
        2,
        cast.deputy_user,
    )


def test_the_second_of_two_edits_of_a_constituencys_villages_is_told_what_changed(cast, client):
    constituency = cast.deputy.constituency
    third = factories.VillageFactory(town=cast.town, name="南房村")
    url = reverse("congress:constituency_edit", args=[constituency.pk])
    data = {"number": constituency.number, "name": constituency.name, "seats": constituency.seats, "version": 1}
    client.force_login(cast.staff)
    assert client.post(url, {**data, "villages": [cast.village.pk]}).status_code == 302

    refused = client.post(url, {**data, "villages": [cast.village.pk, cast.other_village.pk, third.pk]})

    assert refused.status_code == 200
    message = " ".join(refused.context["form"].non_field_errors())
    assert "所辖村（社区）" in message and "北房村" in message and "南房村" in message
    constituency.refresh_from_db()
    assert list(constituency.villages.all()) == [cast.village]
    assert constituency.version == 2
    # Saving again after reading the differences keeps the second editor's villages.
    again = {**data, "villages": [cast.village.pk, third.pk], "version": refused.context["form"]["version"].value()}
    assert client.post(url, again).status_code == 302
    assert set(constituency.villages.all()) == {cast.village, third}


def test_saving_a_constituency_unchanged_twice_is_no_conflict(cast, client):
    constituency = cast.deputy.constituency
    url = reverse("congress:constituency_edit", args=[constituency.pk])
    data = {"number": constituency.number, "name": constituency.name, "seats": constituency.seats, "version": 1,
            "villages": [v.pk for v in constituency.villages.all()]}  # fmt: skip
    client.force_login(cast.staff)
    assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
