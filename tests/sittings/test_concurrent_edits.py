"""Two people saving a session's attendance, or a budget report with its figures, at once: each page is
one set of its session or item, so the second is told what the first saved and nothing is overwritten
silently. The simultaneous requests run in two threads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congress.roles import Role
from sittings.models import AgendaItem, Attendance, BudgetLine, Session
from tests.concurrency import post_together
from tests.factories import UserFactory
from tests.figures import report
from tests.sittings.factories import session

# Real commits: two connections save the same session at once; each must meet the other's committed row.
pytestmark = pytest.mark.django_db(transaction=True)


def conflict_text(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].non_field_errors())


def attendance(cast, other_status, version=1):
    return {f"deputy_{cast.deputy.pk}": "present", f"deputy_{cast.other_deputy.pk}": other_status, "version": version}


def test_two_saves_of_a_sessions_attendance_keep_the_first_and_tell_the_second(cast, client):
    s = session(cast.town, cast.staff)
    colleague = UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("sessions:attendance", args=[s.pk])
    responses = post_together(
        [(cast.staff, url, attendance(cast, "leave")), (colleague, url, attendance(cast, "absent"))]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert Session.objects.get(pk=s.pk).version == 2
    kept = Attendance.objects.get(session=s, deputy=cast.other_deputy).status
    shown = {"leave": "请假", "absent": "缺席"}
    loser = "absent" if kept == "leave" else "leave"
    refused = next(r for r in responses if r.status_code == 200)
    message = conflict_text(refused)
    assert "其他人已保存了这条记录" in refused.content.decode()
    assert f"李桂兰的出席情况：已保存的是“{shown[kept]}”，您填写的是“{shown[loser]}”" in message
    assert "张晓明" not in message  # the same choice on both pages is no difference
    # Having read it, the second editor saves again on purpose: their choice is kept now.
    client.force_login(colleague)
    again = client.post(url, attendance(cast, loser, version=refused.context["form"]["version"].value()))
    assert again.status_code == 302
    assert Attendance.objects.get(session=s, deputy=cast.other_deputy).status == loser
    assert Session.objects.get(pk=s.pk).version == 3
    report("2 simultaneous saves of one session's attendance: 1 saved, 1 shown the conflict, 0 overwritten")


def test_a_double_submit_of_the_attendance_is_saved_once_without_a_conflict(cast):
    s = session(cast.town, cast.staff)
    url = reverse("sessions:attendance", args=[s.pk])
    data = attendance(cast, "leave")
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    assert Session.objects.get(pk=s.pk).version == 2
    assert dict(Attendance.objects.values_list("deputy__name", "status")) == {"张晓明": "present", "李桂兰": "leave"}


PREFIX = "budget_lines"


def budget(item, this_year, *, version, line=None):
    data = {
        "title": item.title,
        "reporter": "财政所所长",
        "document": "",
        "deliberation_opinions": "",
        "resolution": "",
        "version": version,
        f"{PREFIX}-TOTAL_FORMS": "1",
        f"{PREFIX}-INITIAL_FORMS": "1" if line else "0",
        f"{PREFIX}-0-side": "revenue",
        f"{PREFIX}-0-category": "合计",
        f"{PREFIX}-0-is_total": "on",
        f"{PREFIX}-0-last_year": "5200",
        f"{PREFIX}-0-this_year": this_year,
    }
    if line:
        data[f"{PREFIX}-0-id"] = line.pk
    return data


def a_budget_report(cast, client):
    s = session(cast.town, cast.staff)
    item = s.items.get(kind=AgendaItem.Kind.BUDGET_REPORT)
    client.force_login(cast.staff)
    assert client.post(reverse("sessions:item", args=[item.pk]), budget(item, "5600", version=1)).status_code == 302
    return item, BudgetLine.objects.get(item=item)


def test_two_saves_of_a_budget_reports_figures_keep_the_first_and_tell_the_second(cast, client):
    item, line = a_budget_report(cast, client)
    colleague = UserFactory(username="staff2", role=Role.STAFF, town=cast.town)
    url = reverse("sessions:item", args=[item.pk])
    responses = post_together(
        [
            (cast.staff, url, budget(item, "5700", version=2, line=line)),
            (colleague, url, budget(item, "5800", version=2, line=line)),
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 302]
    line.refresh_from_db()
    assert AgendaItem.objects.get(pk=item.pk).version == 3
    kept = f"{line.this_year:.2f}"
    loser = "5800" if kept == "5700.00" else "5700"
    refused = next(r for r in responses if r.status_code == 200)
    message = conflict_text(refused)
    assert "其他人已保存了这条记录" in refused.content.decode()
    assert (
        f"预算数据：已保存的是“收入·合计（上年5200.00，本年{kept}）”，您填写的是“收入·合计（上年5200.00，本年{loser}.00）”"
        in message
    )
    client.force_login(colleague)
    version = refused.context["form"]["version"].value()
    assert client.post(url, budget(item, loser, version=version, line=line)).status_code == 302
    line.refresh_from_db()
    assert (f"{line.this_year:.0f}", AgendaItem.objects.get(pk=item.pk).version) == (loser, 4)
    report("2 simultaneous saves of a budget report's figures: 1 saved, 1 shown the conflict, 0 overwritten")


def test_a_double_submit_of_the_budget_figures_is_saved_once_without_a_conflict(cast, client):
    item, line = a_budget_report(cast, client)
    url = reverse("sessions:item", args=[item.pk])
    data = budget(item, "5700", version=2, line=line)
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    assert AgendaItem.objects.get(pk=item.pk).version == 3
    assert list(BudgetLine.objects.filter(item=item).values_list("this_year", flat=True)) == [5700]


def test_the_attendance_and_item_pages_carry_the_version_they_were_drawn_from(cast, client):
    s = session(cast.town, cast.staff)
    item = s.items.get(kind=AgendaItem.Kind.BUDGET_REPORT)
    client.force_login(cast.staff)
    for url in (reverse("sessions:attendance", args=[s.pk]), reverse("sessions:item", args=[item.pk])):
        assert 'name="version" value="1"' in client.get(url).content.decode(), url
