"""Meeting-room display links (数据大屏): staff make and revoke them; the wall they open needs no sign-in,
creates no session, shows the dashboard and nothing more, and is a 404 once revoked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.display_links import active_link, create_display_link, revoke_display_link, token_hash
from congress.models import DisplayLink
from duty import dashboard
from tests.visits.factories import HouseholdFactory, VisitFactory

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def visited(cast, frozen):
    """Two households of the town, one visited this year."""
    seen = HouseholdFactory(town=cast.town, village=cast.village, head_name="王秀英", phone="13912340001")
    HouseholdFactory(town=cast.town, village=cast.other_village, head_name="赵德明", phone="13912340002")
    VisitFactory(
        town=cast.town, household=seen, visited_on=dt.date(2026, 6, 2), deputies=[cast.deputy], recorded_by=cast.staff
    )
    return seen


def wall_url(token):
    return reverse("display_wall", args=[token])


def test_staff_make_a_link_shown_once_and_only_its_hash_is_kept(client, cast, frozen):
    client.force_login(cast.staff)
    response = client.post(reverse("dashboard:display_links"), {"label": "三楼会议室"})
    assert response.status_code == 200
    page = response.content.decode()
    shown = re.search(r'id="new-display-link".*?href="(http://testserver/display/([^/"]+)/)"', page, re.S)
    assert shown, "the new link's address is on the page"
    token = shown.group(2)
    link = DisplayLink.objects.get()
    assert (link.town, link.label, link.created_by, link.revoked_at) == (cast.town, "三楼会议室", cast.staff, None)
    assert link.token_hash == token_hash(token) and token not in str(DisplayLink.objects.values().get())
    assert len(token) >= 40
    # The list shows it from then on, without its address.
    listed = client.get(reverse("dashboard:display_links")).content.decode()
    assert "三楼会议室" in listed and token not in listed


def test_a_blank_place_is_refused_with_a_message_and_no_link(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("dashboard:display_links"), {"label": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["label"] == ["这个字段是必填项。"]
    assert not DisplayLink.objects.exists()


def test_the_wall_opens_without_signing_in_and_creates_no_session(client, cast, visited):
    _link, token = create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    sessions = Session.objects.count()
    response = client.get(wall_url(token))
    assert response.status_code == 200
    assert not response.cookies, f"the wall set cookies: {list(response.cookies)}"
    assert Session.objects.count() == sessions
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"


def test_the_wall_shows_the_towns_dashboard_dark_refreshing_every_five_minutes(client, cast, visited):
    _link, token = create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    body = client.get(wall_url(token)).content.decode()
    chairman = dashboard.town_figures(cast.chairman, cast.town, today=TODAY)
    assert 'data-refresh-seconds="300"' in body and 'data-bs-theme="dark"' in body
    assert 'data-tile="coverage"' in body and f'data-value="{chairman.households_visited}"' in body
    assert chairman.households_visited == 1
    assert 'id="dashboard-charts"' in body and "echarts.min.js" in body and "dashboard.js" in body
    # The CSP forbids inline scripts and styles; the page has none.
    assert "<script>" not in body and "style=" not in body


def test_the_wall_shows_no_personal_data_and_no_way_into_the_portal(client, cast, visited):
    _link, token = create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    body = client.get(wall_url(token)).content.decode()
    for private in ("王秀英", "赵德明", "13912340001", visited.address, cast.staff.username):
        assert private not in body, private
    assert not re.search(r'href="/(visits|supervision|suggestions|duty|congress|dashboard)/', body)
    assert '"links": ["' not in body
    assert "csrfmiddlewaretoken" not in body and "logout" not in body


def test_a_revoked_link_is_a_404_from_its_next_refresh(client, cast, visited):
    link, token = create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    assert client.get(wall_url(token)).status_code == 200
    staff = cast.staff
    client.force_login(staff)
    response = client.post(reverse("dashboard:display_link_revoke", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == staff
    client.logout()
    assert client.get(wall_url(token)).status_code == 404


def test_revoking_twice_keeps_the_first_revocation(cast, frozen):
    link, _token = create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    revoke_display_link(by=cast.staff, link=link)
    first = DisplayLink.objects.values("revoked_at", "revoked_by").get()
    revoke_display_link(by=cast.chairman, link=DisplayLink.objects.get())
    assert DisplayLink.objects.values("revoked_at", "revoked_by").get() == first


@pytest.mark.parametrize("token", ["unknown", "x" * 43, "a" * 500, "%00"])
def test_an_unknown_token_is_a_404(client, cast, token):
    create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    assert client.get(f"/display/{token}/").status_code == 404
    assert active_link(token) is None


def test_staff_see_and_revoke_only_their_towns_links(client, cast):
    mine, _t = create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    theirs, _t = create_display_link(by=cast.outsider_staff, town=cast.other_town, label="溪翁庄大厅")
    client.force_login(cast.staff)
    listed = client.get(reverse("dashboard:display_links")).content.decode()
    assert "三楼会议室" in listed and "溪翁庄大厅" not in listed
    assert client.post(reverse("dashboard:display_link_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and mine.is_active


def test_the_chairman_cannot_make_a_link(client, cast):
    client.force_login(cast.chairman)
    assert client.post(reverse("dashboard:display_links"), {"label": "三楼会议室"}).status_code == 403
    assert not DisplayLink.objects.exists()
    dashboard_page = client.get(reverse("dashboard:town")).content.decode()
    assert reverse("dashboard:display_links") not in dashboard_page


def test_the_wall_reads_a_fixed_number_of_queries(client, cast, frozen):
    _link, token = create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    with CaptureQueriesContext(connection) as small:
        client.get(wall_url(token))
    for i in range(20):
        household = HouseholdFactory(town=cast.town, village=cast.village)
        VisitFactory(
            town=cast.town, household=household, visited_on=dt.date(2026, 5, 1 + i), deputies=[cast.deputy],
            recorded_by=cast.staff,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        client.get(wall_url(token))
    assert len(large) == len(small)


def test_a_posted_token_hash_or_town_is_ignored(client, cast):
    client.force_login(cast.staff)
    chosen = "0" * 64
    client.post(
        reverse("dashboard:display_links"),
        {"label": "三楼会议室", "token_hash": chosen, "town": cast.other_town.pk, "revoked_at": "2026-01-01 00:00"},
    )
    link = DisplayLink.objects.get()
    assert link.token_hash != chosen and link.town == cast.town and link.revoked_at is None
