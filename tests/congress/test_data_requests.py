"""A person's requests to see, correct or delete their personal data, recorded with their answers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from congress.models import PersonalDataRequest
from congress.navigation import nav_items
from tests import factories

NEW = {"requester": "王秀英", "kind": "correct", "received_on": "2026-11-03", "request": "登记的电话号码有误"}


@pytest.fixture
def open_request(cast):
    return factories.PersonalDataRequestFactory(town=cast.town, recorded_by=cast.staff)


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))
def test_staff_record_a_request_in_their_town(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("congress:data_request_create"), {**NEW, "town": cast.other_town.pk})
    assert response.status_code == 302
    request = PersonalDataRequest.objects.get(requester="王秀英")
    assert (request.town, request.recorded_by, request.kind) == (cast.town, cast.staff, "correct")
    assert not request.is_answered
    page = client.get(reverse("congress:data_requests") + "?open=1")
    assert "王秀英" in page.content.decode()


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))
def test_a_request_from_the_future_is_refused_in_chinese(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("congress:data_request_create"), {**NEW, "received_on": "2026-12-01"})
    assert response.status_code == 200
    assert "不能" in response.context["form"].errors["received_on"][0]


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))
def test_staff_answer_once(client, cast, open_request):
    client.force_login(cast.staff)
    url = reverse("congress:data_request_answer", args=[open_request.pk])
    response = client.post(url, {"answer": "已更正电话号码", "answered_on": "2026-11-05"})
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert (open_request.answer, open_request.answered_on, open_request.answered_by) == (
        "已更正电话号码",
        dt.date(2026, 11, 5),
        cast.staff,
    )
    again = client.post(url, {"answer": "改口", "answered_on": "2026-11-06"})
    assert again.status_code == 200
    assert "已答复" in again.content.decode()
    open_request.refresh_from_db()
    assert open_request.answer == "已更正电话号码"


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC))
def test_an_answer_before_the_request_is_refused(client, cast, open_request):
    client.force_login(cast.staff)
    url = reverse("congress:data_request_answer", args=[open_request.pk])
    response = client.post(url, {"answer": "已答复", "answered_on": "2026-11-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["answered_on"]
    open_request.refresh_from_db()
    assert not open_request.is_answered


def test_the_chairman_reads_but_does_not_answer(client, cast, open_request):
    client.force_login(cast.chairman)
    url = reverse("congress:data_request_answer", args=[open_request.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"] is None
    assert client.post(url, {"answer": "x", "answered_on": "2026-11-05"}).status_code == 403


def test_another_towns_request_is_not_found(client, cast, open_request):
    client.force_login(cast.outsider_staff)
    assert client.get(reverse("congress:data_request_answer", args=[open_request.pk])).status_code == 404
    assert "王秀英" not in client.get(reverse("congress:data_requests")).content.decode()


def test_the_office_finds_the_page_in_its_menu(cast):
    assert "congress:data_requests" in {item.url_name for item in nav_items(cast.staff)}
    assert "congress:data_requests" in {item.url_name for item in nav_items(cast.chairman)}
    assert "congress:data_requests" not in {item.url_name for item in nav_items(cast.deputy_user)}
