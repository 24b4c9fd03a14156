"""Rectification reminders (整改提醒): due within 7 days and overdue, to the responsible department and
the town's staff, until a look-back closes the item."""

from __future__ import annotations

import datetime as dt

import pytest

from congress.models import Notification
from congress.reminders import run_sweep
from supervision.models import LookBack
from supervision.services import keyworks
from supervision.tasks import rectification_reminders

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 6, 30)


def _item(cast, *, owner_department=True, owner_name="", description="施工沟槽加设围挡和夜间警示灯"):
    project = keyworks.create_key_project(
        by=cast.staff, town=cast.town, year=2026, name="北房镇老旧小区综合整治", lead_department=cast.department
    )
    return keyworks.add_rectification(
        by=cast.staff,
        origin=project,
        description=description,
        owner_department=cast.department if owner_department else None,
        owner_name=owner_name,
        due_on=DUE,
    )


def keys(found):
    return sorted((r.recipient.username, r.kind, r.period) for r in found)


def test_an_item_due_in_8_days_is_not_yet_reminded(cast):
    _item(cast)

    assert rectification_reminders(DUE - dt.timedelta(days=8)) == []


def test_an_item_due_in_7_days_reminds_the_department_and_staff(cast):
    item = _item(cast)

    found = rectification_reminders(DUE - dt.timedelta(days=7))

    assert keys(found) == [
        ("department", "supervision.rectification_due", "2026-06-30"),
        ("staff", "supervision.rectification_due", "2026-06-30"),
    ]
    assert {r.subject for r in found} == {f"rectification:{item.pk}"}
    assert "期限为2026-06-30，还剩7天" in found[0].body
    assert found[0].url == item.get_absolute_url()


def test_on_its_due_day_the_item_is_due_not_overdue(cast):
    _item(cast)

    assert {r.kind for r in rectification_reminders(DUE)} == {"supervision.rectification_due"}


def test_the_day_after_its_due_date_the_item_is_overdue_once_a_month(cast):
    _item(cast)

    assert keys(rectification_reminders(DUE + dt.timedelta(days=1))) == [
        ("department", "supervision.rectification_overdue", "2026-07"),
        ("staff", "supervision.rectification_overdue", "2026-07"),
    ]
    assert {r.period for r in rectification_reminders(dt.date(2026, 7, 31))} == {"2026-07"}
    assert {r.period for r in rectification_reminders(dt.date(2026, 8, 1))} == {"2026-08"}


def test_the_departments_answer_does_not_stop_the_reminders(cast):
    item = _item(cast)
    keyworks.answer_rectification(item=item, by=cast.department_user, response="已加设围挡")

    assert len(rectification_reminders(DUE + dt.timedelta(days=1))) == 2


def test_a_look_back_that_closes_the_item_ends_the_reminders(cast):
    item = _item(cast)
    keyworks.record_look_back(by=cast.staff, item=item, checked_on=DUE, verdict=LookBack.Verdict.DONE)

    assert rectification_reminders(DUE) == []
    assert rectification_reminders(DUE + dt.timedelta(days=40)) == []


def test_a_partial_look_back_reminds_again_before_the_new_due_date(cast):
    item = _item(cast)
    new_due = dt.date(2026, 9, 15)
    keyworks.record_look_back(
        by=cast.staff, item=item, checked_on=DUE, verdict=LookBack.Verdict.PARTIAL, new_due_on=new_due
    )

    assert rectification_reminders(DUE + dt.timedelta(days=1)) == []
    assert {r.period for r in rectification_reminders(new_due - dt.timedelta(days=7))} == {"2026-09-15"}


def test_an_item_owned_by_a_named_person_reminds_the_staff_and_names_them(cast):
    _item(cast, owner_department=False, owner_name="城建办 王主任")

    found = rectification_reminders(DUE + dt.timedelta(days=3))

    assert keys(found) == [("staff", "supervision.rectification_overdue", "2026-07")]
    assert "责任人：城建办 王主任" in found[0].body
    assert "已超期3天" in found[0].body


def test_a_long_description_is_given_in_full_in_the_body(cast):
    long = "小区东侧施工沟槽未设围挡，夜间无警示灯，居民出行存在安全隐患，请于整改期限内加设围挡和夜间警示灯并清理渣土"
    _item(cast, description=long)

    (first, *_) = rectification_reminders(DUE)

    assert long[:50] in first.title and long not in first.title
    assert long in first.body


def test_the_sweep_sends_the_rectification_reminders_once(cast):
    _item(cast)
    day = DUE + dt.timedelta(days=2)

    run_sweep(day)
    run_sweep(day)

    assert Notification.objects.filter(kind="supervision.rectification_overdue").count() == 2
