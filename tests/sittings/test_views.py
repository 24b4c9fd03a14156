"""Session pages: scheduling, attendance, agenda items and budget figures, the results table, scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sittings.models import AgendaItem, Attendance, BudgetLine, Session
from tests.sittings.factories import attend, deputies, session


def test_staff_schedule_a_february_session_with_its_agenda(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("sessions:create"),
        {"kind": "february", "title": "", "starts_on": "2026-02-10", "ends_on": "2026-02-11", "place": "镇政府"},
    )
    s = Session.objects.get()
    assert response.status_code == 302
    assert (s.town, s.year, s.kind) == (cast.town, 2026, "february")
    assert s.items.count() == 4


def test_a_session_cannot_end_before_it_starts(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("sessions:create"), {"kind": "july", "starts_on": "2026-07-10", "ends_on": "2026-07-09"}
    )
    assert "ends_on" in response.context["form"].errors
    assert not Session.objects.exists()


def test_a_second_february_session_is_a_form_error(client, cast):
    session(cast.town, cast.staff)
    client.force_login(cast.staff)
    response = client.post(
        reverse("sessions:create"), {"kind": "february", "starts_on": "2026-02-20", "ends_on": "2026-02-20"}
    )
    assert response.context["form"].errors
    assert Session.objects.count() == 1


def test_a_deputy_may_not_schedule_a_session(client, cast):
    client.force_login(cast.deputy_user)
    response = client.post(
        reverse("sessions:create"), {"kind": "february", "starts_on": "2026-02-10", "ends_on": "2026-02-10"}
    )
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_staff_record_attendance_and_the_page_says_the_session_is_valid(client, cast):
    s = session(cast.town, cast.staff)
    (third,) = deputies(cast.town, 1)
    client.force_login(cast.staff)
    client.post(
        reverse("sessions:attendance", args=[s.pk]),
        {
            f"deputy_{cast.deputy.pk}": "present",
            f"deputy_{cast.other_deputy.pk}": "present",
            f"deputy_{third.pk}": "leave",
            "version": 1,
        },
    )
    assert dict(Attendance.objects.values_list("deputy_id", "status")) == {
        cast.deputy.pk: "present",
        cast.other_deputy.pk: "present",
        third.pk: "leave",
    }
    response = client.get(s.get_absolute_url())
    assert response.context["quorum"].valid


def test_the_page_says_when_the_session_is_not_valid(client, cast):
    s = session(cast.town, cast.staff)
    (third,) = deputies(cast.town, 1)
    attend(s, cast.staff, present=[cast.deputy], absent=[cast.other_deputy, third])
    client.force_login(cast.chairman)
    assert not client.get(s.get_absolute_url()).context["quorum"].valid


def test_a_deputy_sees_the_session_but_only_their_own_attendance(client, cast):
    s = session(cast.town, cast.staff)
    attend(s, cast.staff, present=[cast.deputy, cast.other_deputy])
    client.force_login(cast.deputy_user)
    response = client.get(s.get_absolute_url())
    assert [a.deputy for a in response.context["attendance"]] == [cast.deputy]
    assert response.context["quorum"].present == 2


def test_staff_write_the_budget_reports_figures(client, cast):
    s = session(cast.town, cast.staff)
    item = s.items.get(kind=AgendaItem.Kind.BUDGET_REPORT)
    client.force_login(cast.staff)
    prefix = "budget_lines"
    response = client.post(
        reverse("sessions:item", args=[item.pk]),
        {
            "title": item.title,
            "reporter": "财政所所长",
            "document": "2026年预算草案",
            "deliberation_opinions": "建议压减一般性支出",
            "resolution": "批准2026年预算",
            "version": 1,
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-side": "revenue",
            f"{prefix}-0-category": "合计",
            f"{prefix}-0-is_total": "on",
            f"{prefix}-0-last_year": "5200",
            f"{prefix}-0-this_year": "5600",
            f"{prefix}-1-side": "expenditure",
            f"{prefix}-1-category": "农林水支出",
            f"{prefix}-1-last_year": "1200",
            f"{prefix}-1-this_year": "1500",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.reporter, item.resolution) == ("财政所所长", "批准2026年预算")
    total = BudgetLine.objects.get(item=item, is_total=True)
    assert (total.change, total.change_percent) == (Decimal("400.00"), Decimal("7.7"))
    assert BudgetLine.objects.filter(item=item).count() == 2


def test_staff_add_an_other_item_at_the_end_of_the_agenda(client, cast):
    s = session(cast.town, cast.staff)
    client.force_login(cast.staff)
    client.post(reverse("sessions:item_add", args=[s.pk]), {"kind": "other", "title": "补选代表", "reporter": ""})
    assert s.items.order_by("order").last().title == "补选代表"
    assert s.items.order_by("order").last().order == 5


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("sessions:detail", "get", {}),
        ("sessions:results", "get", {}),
        ("sessions:attendance", "post", {}),
        ("sessions:item_add", "post", {"kind": "other", "title": "外人"}),
    ],
)
def test_an_outsider_gets_404_and_the_session_is_unchanged(client, cast, name, method, data):
    s = session(cast.town, cast.staff)
    attend(s, cast.staff, present=[cast.deputy])
    client.force_login(cast.outsider_staff)
    response = getattr(client, method)(reverse(name, args=[s.pk]), data)
    assert response.status_code == 404
    assert s.items.count() == 4
    assert Attendance.objects.get().status == "present"


def test_an_outsider_cannot_edit_an_agenda_item(client, cast):
    s = session(cast.town, cast.staff)
    item = s.items.first()
    client.force_login(cast.outsider_staff)
    response = client.post(reverse("sessions:item", args=[item.pk]), {"title": "改", "resolution": "改"})
    item.refresh_from_db()
    assert response.status_code == 404
    assert item.resolution == ""


def test_the_results_table_prints_the_agenda_and_the_quorum(client, cast):
    s = session(cast.town, cast.staff)
    attend(s, cast.staff, present=[cast.deputy, cast.other_deputy])
    client.force_login(cast.chairman)
    response = client.get(reverse("sessions:results", args=[s.pk]))
    assert response.status_code == 200
    assert len(response.context["items"]) == 4
    assert response.context["quorum"].valid


def _list_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("sessions:list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["staff", "deputy_user", "district_user"])
def test_the_session_list_takes_the_same_queries_for_5_and_50_sessions(client, cast, persona):
    def make(first, n):
        for i in range(first, first + n):
            s = session(cast.town, cast.staff, kind="extra", year=2030 + i)
            attend(s, cast.staff, present=[cast.deputy])

    user = getattr(cast, persona)
    make(0, 5)
    few = _list_queries(client, user)
    make(5, 45)
    assert Session.objects.count() == 50
    assert _list_queries(client, user) == few


def test_the_session_list_shows_only_the_users_towns(client, cast):
    session(cast.town, cast.staff)
    session(cast.other_town, cast.outsider_staff)
    client.force_login(cast.staff)
    assert [s.town for s in client.get(reverse("sessions:list")).context["sessions"]] == [cast.town]


def test_the_july_figures_show_execution_to_date(cast):
    s = session(cast.town, cast.staff, kind="july")
    item = AgendaItem.objects.create(session=s, order=9, kind="budget_report", title="预算执行情况")
    line = BudgetLine.objects.create(
        item=item, side="expenditure", category="合计", is_total=True, last_year=100, this_year=200, executed_to_date=90
    )
    assert line.executed_percent == Decimal("45.0")
    assert s.starts_on == dt.date(2026, 7, 15)
