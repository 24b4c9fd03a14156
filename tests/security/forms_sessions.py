"""Form cases of the congress session pages (sessions:); see tests/security/form_cases.py."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.urls import reverse

from sittings import services as session_svc
from sittings.forms import AgendaItemForm, AttendanceForm, NewAgendaItemForm, SessionForm
from sittings.models import AgendaItem, Attendance, Session
from tests.security.form_cases import FormCase
from tests.sittings.factories import session


def held_session(o: SimpleNamespace) -> dict[str, Any]:
    s = session(o.town, o.staff)
    session_svc.record_attendance(by=o.staff, session=s, statuses={o.deputy.pk: Attendance.Status.LEAVE})
    return {
        "session": s,
        "attendance": Attendance.objects.get(session=s, deputy=o.deputy),
        "item": s.items.get(kind=AgendaItem.Kind.GOVERNMENT_REPORT),
    }


def attendance_form(o: SimpleNamespace, data: dict[str, Any] | None) -> AttendanceForm:
    deputies = list(session_svc.deputies_in_office(o.session).select_related("constituency"))
    current = dict(Attendance.objects.filter(session=o.session).values_list("deputy_id", "status"))
    return AttendanceForm(data, deputies=deputies, current=current, version=o.session.version)


def session_page(o: SimpleNamespace) -> str:
    return reverse("sessions:detail", kwargs={"pk": o.session.pk})


FORMS = [
    FormCase(
        name="session_create",
        url="sessions:create",
        form=lambda o, data: SessionForm(data),
        valid=lambda o: {
            "kind": "extra",
            "title": "临时会议",
            "starts_on": "2026-11-10",
            "ends_on": "2026-11-10",
            "place": "镇政府三楼",
        },
        created=lambda o: Session.objects.filter(town=o.town, title="临时会议"),
        shown_on=("sessions:list",),
        # The service sets the town, year and status; the agenda follows from the kind.
        writable=("year", "created_at", "updated_at"),
    ),
    FormCase(
        name="session_attendance",
        url="sessions:attendance",
        setup=held_session,
        kwargs=lambda o: {"pk": o.session.pk},
        form=attendance_form,
        valid=lambda o: {
            **{name: "present" for name in attendance_form(o, None).fields if name != "version"},
            "version": o.session.version,
        },
        target=lambda o: o.attendance,
        shown_on=(session_page,),
        writable=("status", "updated_at"),
    ),
    FormCase(
        name="session_item_add",
        url="sessions:item_add",
        setup=held_session,
        kwargs=lambda o: {"pk": o.session.pk},
        form=lambda o, data: NewAgendaItemForm(data),
        valid=lambda o: {"kind": "other", "title": "补选代表", "reporter": "主任"},
        created=lambda o: AgendaItem.objects.filter(session=o.session, title="补选代表"),
        shown_on=(session_page,),
        writable=("order",),
    ),
    FormCase(
        name="session_item_edit",
        url="sessions:item",
        setup=held_session,
        kwargs=lambda o: {"pk": o.item.pk},
        form=lambda o, data: AgendaItemForm(data, instance=o.item),
        valid=lambda o: {
            "title": o.item.title,
            "reporter": "镇长",
            "document": "报告全文",
            "deliberation_opinions": "",
            "resolution": "会议批准",
            "version": o.item.version,
        },
        target=lambda o: o.item,
        shown_on=(session_page, lambda o: reverse("sessions:results", kwargs={"pk": o.session.pk})),
    ),
]
