"""Matrix rows for deputies' suggestions (suggestions:) and congress sessions (sessions:).

The cast's deputy proposes; the cast's department handles. Each object row builds its suggestion
in the state its step starts from, and names it as the target a refused POST must leave alone.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile

from sittings import services as session_svc
from sittings.models import AgendaItem, Attendance, Session
from suggestions import services as suggestion_svc
from suggestions.models import Suggestion
from tests.security.matrix import FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, pk, signed_in
from tests.sittings.factories import session
from tests.suggestions.factories import suggestion_in_state

State = Suggestion.State

# Who reads suggestions at all (suggestions.view): not village cadres.
VIEWERS = (
    "staff",
    "chairman",
    "deputy_user",
    "other_deputy_user",
    "department_user",
    "outsider_staff",
    "district_user",
    "superuser",
)
# A read-only page answers POST with 405 to whoever may read it, 403 to the rest.
READ_POST = signed_in(FORBIDDEN, **dict.fromkeys(VIEWERS, METHOD_NOT_ALLOWED))
# A suggestion assigned to the cast's department: its proposer, the department and the town's readers.
ASSIGNED_GET = signed_in(OK, cadre=FORBIDDEN, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND)
# The office's steps (suggestions.handle): staff of the town; the outsider is staff but cannot see it.
HANDLE_GET = signed_in(
    FORBIDDEN, staff=METHOD_NOT_ALLOWED, outsider_staff=METHOD_NOT_ALLOWED, superuser=METHOD_NOT_ALLOWED
)
HANDLE_POST = signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT)
# Lists and the statistics page: each persona sees their own scope (the outsider their town's).
LIST_GET = signed_in(OK, cadre=FORBIDDEN)
STATISTICS = ("staff", "chairman", "outsider_staff", "district_user", "superuser")
# A draft is its proposer's own: staff may see it exists but do not write for a deputy with a login.
DRAFT_OWNER_POST = signed_in(
    FORBIDDEN,
    deputy_user=REDIRECT,
    staff=NOT_FOUND,
    other_deputy_user=NOT_FOUND,
    outsider_staff=NOT_FOUND,
    superuser=NOT_FOUND,
)
# Writing a suggestion: deputies and staff in their home town (superusers have none).
SUBMITTERS = ("staff", "deputy_user", "other_deputy_user", "outsider_staff")


def made(state, **kw):
    """setup: a suggestion of the cast's deputy, handled by the cast's department, in `state`."""

    def setup(cast):
        s = suggestion_in_state(state, proposer=cast.deputy, staff=cast.staff, department=cast.department, **kw)
        return {"suggestion": s}

    return setup


def the_suggestion(o):
    return o.suggestion


def with_file(state):
    """setup: a suggestion of the cast's deputy with a PDF attached to the draft, then brought to `state`."""

    def setup(cast):
        s = suggestion_in_state(State.DRAFT, proposer=cast.deputy, staff=cast.staff)
        upload = SimpleUploadedFile("路灯位置图.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
        attachment = suggestion_svc.attach_file(by=cast.deputy_user, suggestion=s, uploaded_file=upload)
        if state != State.DRAFT:
            suggestion_svc.submit_suggestion(by=cast.deputy_user, suggestion=s, today=dt.date(2026, 2, 20))
            suggestion_svc.accept_suggestion(by=cast.staff, suggestion=s)
            suggestion_svc.assign_suggestion(
                by=cast.staff, suggestion=s, lead_department=cast.department, assigned_on=dt.date(2026, 3, 2)
            )
        return {"suggestion": s, "attachment": attachment}

    return setup


def step_data(step, **fields):
    return lambda o: {f"{step}-{key}": (value(o) if callable(value) else value) for key, value in fields.items()}


FORM = {
    "title": "建议村里安装路灯",
    "category": "urban",
    "content": "北房村主街夜间无照明。",
    "reasons": "",
    "proposed_solution": "",
    "submit": "1",
}


def held_session(cast):
    s = session(cast.town, cast.staff)
    session_svc.record_attendance(by=cast.staff, session=s, statuses={cast.deputy.pk: Attendance.Status.LEAVE})
    return {
        "session": s,
        "attendance": Attendance.objects.get(session=s, deputy=cast.deputy),
        "item": s.items.get(kind=AgendaItem.Kind.GOVERNMENT_REPORT),
    }


def everyone_present(o):
    deputies = session_svc.deputies_in_office(o.session).values_list("pk", flat=True)
    return {**{f"deputy_{pk}": "present" for pk in deputies}, "version": Session.objects.get(pk=o.session.pk).version}


SESSION_READ = signed_in(OK, cadre=FORBIDDEN, outsider_staff=NOT_FOUND)
SESSION_READ_POST = signed_in(
    FORBIDDEN,
    **dict.fromkeys(
        (
            "staff",
            "chairman",
            "deputy_user",
            "other_deputy_user",
            "department_user",
            "outsider_staff",
            "district_user",
            "superuser",
        ),
        METHOD_NOT_ALLOWED,
    ),
)
MANAGE_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=NOT_FOUND, superuser=OK)
MANAGE_POST = signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT)


ROWS = [
    # --- suggestions --------------------------------------------------------------------------------
    Row(url="suggestions:list", get=LIST_GET, post=READ_POST),
    Row(url="suggestions:list", query="?tab=overdue&state=assigned", get=LIST_GET, post=READ_POST),
    Row(
        url="suggestions:statistics",
        query="?year=2026",
        get=signed_in(FORBIDDEN, **dict.fromkeys(STATISTICS, OK)),
        post=signed_in(FORBIDDEN, **dict.fromkeys(STATISTICS, METHOD_NOT_ALLOWED)),
    ),
    Row(
        url="suggestions:create",
        get=signed_in(FORBIDDEN, **dict.fromkeys(SUBMITTERS, OK)),
        # Staff must name a deputy without a login: the form without one comes back (200).
        post=signed_in(FORBIDDEN, staff=OK, outsider_staff=OK, deputy_user=REDIRECT, other_deputy_user=REDIRECT),
        data=lambda o: FORM,
    ),
    Row(
        url="suggestions:attachment_remove",
        setup=with_file(State.DRAFT),
        kwargs=lambda o: {"pk": o.suggestion.pk, "attachment_pk": o.attachment.pk},
        target=lambda o: o.attachment,
        get=signed_in(FORBIDDEN, **dict.fromkeys(SUBMITTERS, METHOD_NOT_ALLOWED), superuser=METHOD_NOT_ALLOWED),
        post=DRAFT_OWNER_POST,
    ),
    # The file of an assigned suggestion: its proposer, the department it is assigned to and the town's
    # readers; never another deputy, a village cadre or another town.
    Row(
        url="congress:file",
        setup=with_file(State.ASSIGNED),
        kwargs=lambda o: {"token": o.attachment.token},
        target=lambda o: o.attachment,
        get=signed_in(OK, cadre=NOT_FOUND, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND),
        post=signed_in(METHOD_NOT_ALLOWED),
    ),
    # A draft's file: its proposers alone (the cast's other deputy is not on this draft).
    Row(
        url="congress:file",
        setup=with_file(State.DRAFT),
        kwargs=lambda o: {"token": o.attachment.token},
        target=lambda o: o.attachment,
        get=signed_in(NOT_FOUND, deputy_user=OK),
        post=signed_in(METHOD_NOT_ALLOWED),
    ),
    Row(
        url="suggestions:similar",
        query="?title=" + quote("建议村里安装路灯"),
        get=signed_in(FORBIDDEN, **dict.fromkeys(SUBMITTERS, OK)),
        post=signed_in(FORBIDDEN, superuser=METHOD_NOT_ALLOWED, **dict.fromkeys(SUBMITTERS, METHOD_NOT_ALLOWED)),
    ),
    Row(
        url="suggestions:detail",
        setup=made(State.ASSIGNED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=ASSIGNED_GET,
        post=READ_POST,
    ),
    Row(
        url="suggestions:edit",
        setup=made(State.DRAFT),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=signed_in(
            FORBIDDEN,
            deputy_user=OK,
            staff=NOT_FOUND,
            other_deputy_user=NOT_FOUND,
            outsider_staff=NOT_FOUND,
            superuser=NOT_FOUND,
        ),
        post=DRAFT_OWNER_POST,
        data=lambda o: {**FORM, "title": "改过的建议", "submit": "", "version": o.suggestion.version},
    ),
    Row(
        url="suggestions:submit",
        setup=made(State.DRAFT),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=signed_in(FORBIDDEN, **dict.fromkeys(SUBMITTERS, METHOD_NOT_ALLOWED), superuser=METHOD_NOT_ALLOWED),
        # Staff see the draft's existence only for deputies without a login: here it is someone else's step.
        post=signed_in(FORBIDDEN, deputy_user=REDIRECT, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND),
    ),
    Row(
        url="suggestions:accept",
        setup=made(State.SUBMITTED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=HANDLE_GET,
        post=HANDLE_POST,
    ),
    Row(
        url="suggestions:decline",
        setup=made(State.SUBMITTED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=HANDLE_GET,
        post=HANDLE_POST,
        data=step_data("decline", reason="属于个人诉求"),
    ),
    Row(
        url="suggestions:assign",
        setup=made(State.ACCEPTED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=HANDLE_GET,
        post=HANDLE_POST,
        data=step_data("assign", lead_department=lambda o: o.department.pk, assigned_on="2026-03-02"),
    ),
    Row(
        url="suggestions:extend",
        setup=made(State.ASSIGNED, assigned_on=dt.date(2026, 3, 2)),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=HANDLE_GET,
        post=HANDLE_POST,
        data=step_data("extend", due_on="2026-08-01", reason="需区级立项"),
    ),
    Row(
        url="suggestions:answer",
        setup=made(State.ASSIGNED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=signed_in(
            FORBIDDEN,
            staff=METHOD_NOT_ALLOWED,
            department_user=METHOD_NOT_ALLOWED,
            outsider_staff=METHOD_NOT_ALLOWED,
            superuser=METHOD_NOT_ALLOWED,
        ),
        post=signed_in(
            FORBIDDEN, staff=REDIRECT, department_user=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT
        ),
        data=step_data("answer", text="已安排施工。", result_class="A", answered_on="2026-04-01"),
    ),
    Row(
        url="suggestions:rate",
        setup=made(State.ANSWERED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=signed_in(
            FORBIDDEN,
            staff=METHOD_NOT_ALLOWED,
            deputy_user=METHOD_NOT_ALLOWED,
            other_deputy_user=METHOD_NOT_ALLOWED,
            outsider_staff=METHOD_NOT_ALLOWED,
            superuser=METHOD_NOT_ALLOWED,
        ),
        # Staff rate only for deputies without a login; this deputy has one.
        post=signed_in(FORBIDDEN, deputy_user=REDIRECT, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND),
        data=step_data("rate", rating="unsatisfied"),
    ),
    Row(
        url="suggestions:solve",
        setup=made(State.TRACKING, result_class="B"),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=HANDLE_GET,
        post=HANDLE_POST,
        data=step_data("solve", solved_on="2026-09-01", note="已通电"),
    ),
    Row(
        url="suggestions:supervise",
        setup=made(State.ASSIGNED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=signed_in(FORBIDDEN, chairman=METHOD_NOT_ALLOWED, superuser=METHOD_NOT_ALLOWED),
        post=signed_in(FORBIDDEN, chairman=REDIRECT, superuser=REDIRECT),
        data=step_data("supervise", notes="群众反映集中"),
    ),
    Row(
        url="suggestions:print_assignment",
        setup=made(State.ASSIGNED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=ASSIGNED_GET,
        post=READ_POST,
    ),
    Row(
        url="suggestions:print_answer",
        setup=made(State.ANSWERED),
        kwargs=pk("suggestion"),
        target=the_suggestion,
        get=ASSIGNED_GET,
        post=READ_POST,
    ),
    # --- sessions -----------------------------------------------------------------------------------
    Row(url="sessions:list", get=signed_in(OK, cadre=FORBIDDEN), post=SESSION_READ_POST),
    Row(
        url="sessions:create",
        get=signed_in(FORBIDDEN, staff=OK, outsider_staff=OK),
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=REDIRECT),
        data=lambda o: {"kind": "extra", "starts_on": "2026-11-10", "ends_on": "2026-11-10", "title": "", "place": ""},
    ),
    Row(
        url="sessions:detail",
        setup=held_session,
        kwargs=pk("session"),
        target=lambda o: o.session,
        get=SESSION_READ,
        post=SESSION_READ_POST,
    ),
    Row(
        url="sessions:results",
        setup=held_session,
        kwargs=pk("session"),
        target=lambda o: o.session,
        get=SESSION_READ,
        post=SESSION_READ_POST,
    ),
    Row(
        url="sessions:attendance",
        setup=held_session,
        kwargs=pk("session"),
        target=lambda o: o.attendance,
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=everyone_present,
    ),
    Row(
        url="sessions:item_add",
        setup=held_session,
        kwargs=pk("session"),
        target=lambda o: o.session,
        get=signed_in(
            FORBIDDEN, staff=METHOD_NOT_ALLOWED, outsider_staff=METHOD_NOT_ALLOWED, superuser=METHOD_NOT_ALLOWED
        ),
        post=MANAGE_POST,
        data=lambda o: {"kind": "other", "title": "补选代表", "reporter": ""},
    ),
    Row(
        url="sessions:item",
        setup=held_session,
        kwargs=pk("item"),
        target=lambda o: o.item,
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {
            "title": o.item.title,
            "reporter": "镇长",
            "document": "",
            "deliberation_opinions": "",
            "resolution": "会议批准",
            "version": AgendaItem.objects.get(pk=o.item.pk).version,
        },
    ),
]
