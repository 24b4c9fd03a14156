"""Matrix rows for the supervision (supervision:) URLs: livelihood projects, targets, review rounds,
circulars and the division-of-labour table."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from supervision import services
from supervision.models import LivelihoodProject, ProblemMeeting
from tests.security.matrix import (
    FORBIDDEN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Row,
    granted,
    obj,
    pk,
    signed_in,
)

NA = METHOD_NOT_ALLOWED
# Reading: staff, chairman, district, deputies and departments (each in their scope); village cadres have no part.
VIEWERS = ("staff", "chairman", "deputy_user", "other_deputy_user", "department_user", "outsider_staff",
           "district_user", "superuser")  # fmt: skip


def viewers(outcome, **overrides):
    """`outcome` for every role that reads supervision pages, village cadres refused, with overrides."""
    return granted(outcome, VIEWERS, **overrides)


READ_LIST = viewers(OK)
READ_ONLY_POST = viewers(NA)
# The project the cast's deputy supervises and the cast's department leads.
PROJECT_SEEN = {"other_deputy_user": NOT_FOUND, "outsider_staff": NOT_FOUND}
# Managing: staff of the town and superusers; the outsider cannot see the town's records.
MANAGE_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=NOT_FOUND, superuser=OK)
MANAGE_POST = signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT)
POST_ONLY_STAFF_GET = signed_in(FORBIDDEN, staff=NA, outsider_staff=NA, superuser=NA)


def world(cast):
    """A project under way with targets, reviewed in April (circular published) and June (draft)."""
    staff = cast.staff
    project = services.create_project(
        by=staff, town=cast.town, year=2026, name="北房村乡村公路大修", content="大修村道3公里",
        start=dt.date(2026, 3, 1), deadline=dt.date(2026, 8, 31), lead_department=cast.department,
        supervisors=[cast.deputy],
    )  # fmt: skip
    services.adopt_project(project=project, by=staff)
    services.start_project(project=project, by=staff)
    services.save_targets(project=project, by=staff, rows=services.proposed_targets(project))
    april = services.open_round(town=cast.town, year=2026, month=4, by=staff)
    services.record_review(review=april.reviews.get(), by=staff, actual_percent=30, today=dt.date(2026, 4, 15))
    published = services.publish_circular(circular=services.draft_circular(round_=april, by=staff), by=cast.chairman)
    june = services.open_round(town=cast.town, year=2026, month=6, by=staff)
    draft = services.draft_circular(round_=june, by=staff)
    photo = SimpleUploadedFile("现场.png", real_png())
    attachment = services.attach_to_review(review=april.reviews.get(), by=staff, upload=photo)
    problem = services.record_problem(
        project=project, by=staff, description="征地补偿未谈妥", review=april.reviews.get()
    )
    meeting = services.record_meeting(
        problem=problem, by=staff, kind="onsite", held_on=dt.date(2026, 4, 20), participants="副镇长、城建办",
        decisions=[{"text": "一周内拿出方案", "owner_name": "城建办主任", "due_on": dt.date(2026, 4, 27)}],
    )  # fmt: skip
    note = services.add_inspection_note(
        project=project, deputy=cast.deputy, inspected_on=dt.date(2026, 4, 2), notes="路基已压实",
        photo=SimpleUploadedFile("现场.png", real_png()),
    )  # fmt: skip
    return {
        "note": note,
        "problem": problem,
        "meeting": meeting,
        "decision": meeting.decisions.get(),
        "attachment": attachment,
        "project": LivelihoodProject.objects.get(pk=project.pk),
        "target": project.targets.order_by("month").first(),
        "round": june,
        "review": june.reviews.get(),
        "draft": draft,
        "published": published,
    }


def real_png():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


def project_data(o):
    p = o.project
    return {
        "year": p.year, "position": p.position, "name": "改名的项目", "content": p.content, "investment": "99",
        "lead_department": p.lead_department_id, "supervisors": [o.deputy.pk], "version": p.version,
    }  # fmt: skip


def targets_data(o):
    rows = list(o.project.targets.order_by("month"))
    version = LivelihoodProject.objects.get(pk=o.project.pk).targets_version
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "version": version}
    # April was reviewed: March and April keep their percentages; the rest rises more steeply.
    for i, (row, percent) in enumerate(zip(rows, [row.planned_percent for row in rows[:2]] + [40, 60, 80, 100],
                                          strict=True)):  # fmt: skip
        data |= {
            f"form-{i}-month": row.month.isoformat(),
            f"form-{i}-target": "改",
            f"form-{i}-planned_percent": percent,
        }
    return data


def meeting_data(o, decision_id=""):
    return {
        "kind": "consultation", "held_on": "2026-05-06", "place": "镇政府", "participants": "各部门负责人",
        "notes": "", "decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "1" if decision_id else "0",
        "decisions-0-id": decision_id, "decisions-0-text": "改由财政所牵头", "decisions-0-owner_name": "财政所所长",
        "decisions-0-owner_department": "", "decisions-0-due_on": "2026-05-20",
    }  # fmt: skip


ROWS = [
    Row(url="supervision:project_list", setup=world, query="?year=2026", get=READ_LIST, post=READ_ONLY_POST),
    Row(
        url="supervision:project_create",
        get=signed_in(FORBIDDEN, staff=OK, outsider_staff=OK),
        # The outsider's form refuses the cast town's department; superusers have no home town.
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=OK),
        data=lambda o: {
            "year": 2026,
            "position": 1,
            "name": "路灯安装",
            "content": "安装路灯120盏",
            "investment": "80",
            "lead_department": o.department.pk,
            "start": "2026-03-01",
            "deadline": "2026-06-30",
        },
    ),
    Row(
        url="supervision:project_detail",
        setup=world,
        kwargs=pk("project"),
        target=obj("project"),
        get=viewers(OK, **PROJECT_SEEN),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:project_edit",
        setup=world,
        kwargs=pk("project"),
        target=obj("project"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=project_data,
    ),
    Row(
        url="supervision:project_transition",
        setup=world,
        kwargs=pk("project"),
        target=obj("project"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
        data=lambda o: {"to": "completed"},
    ),
    Row(
        url="supervision:project_targets",
        setup=world,
        kwargs=pk("project"),
        target=obj("target"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=targets_data,
    ),
    Row(
        url="supervision:project_deadline",
        setup=world,
        kwargs=pk("project"),
        target=obj("project"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {"deadline": "2026-10-31", "deadline_text": "10月底前", "confirm": "1"},
    ),
    Row(
        url="supervision:note_create",
        setup=world,
        kwargs=pk("project"),
        target=obj("project"),
        get=signed_in(FORBIDDEN, deputy_user=NA, other_deputy_user=NA, superuser=NA),
        # Only the project's own deputy supervisor; a superuser sees the project but is nobody's deputy.
        post=signed_in(FORBIDDEN, deputy_user=REDIRECT, other_deputy_user=NOT_FOUND),
        data=lambda o: {"inspected_on": "2026-04-02", "notes": "路基已压实"},
    ),
    Row(
        url="supervision:note_photo",
        setup=world,
        kwargs=pk("note"),
        target=obj("note"),
        # Whoever sees the project: its supervising deputy and lead department too.
        get=viewers(OK, **PROJECT_SEEN),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:target_progress",
        setup=world,
        kwargs=pk("target"),
        target=obj("target"),
        get=signed_in(FORBIDDEN, staff=OK, department_user=OK, outsider_staff=NOT_FOUND, superuser=OK),
        post=signed_in(
            FORBIDDEN, staff=REDIRECT, department_user=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT
        ),
        data=lambda o: {
            "reported_percent": 17,
            "progress_notes": "设计完成",
            "completed_on": "2026-03-28",
            "version": o.target.version,
        },
    ),
    Row(
        url="supervision:problem_create",
        setup=world,
        kwargs=pk("project"),
        target=obj("project"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {"description": "施工围挡影响通行"},
    ),
    Row(
        url="supervision:problem_detail",
        setup=world,
        kwargs=pk("problem"),
        target=obj("problem"),
        # Whoever sees the project: its supervising deputy and lead department too.
        get=viewers(OK, **PROJECT_SEEN),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:problem_edit",
        setup=world,
        kwargs=pk("problem"),
        target=obj("problem"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {"description": "征地补偿已谈妥一半"},
    ),
    Row(
        url="supervision:meeting_create",
        setup=world,
        kwargs=pk("problem"),
        target=obj("problem"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=meeting_data,
    ),
    Row(
        url="supervision:meeting_edit",
        setup=world,
        kwargs=pk("meeting"),
        target=obj("meeting"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {
            **meeting_data(o, decision_id=o.decision.pk),
            "version": ProblemMeeting.objects.get(pk=o.meeting.pk).version,
        },
    ),
    Row(
        url="supervision:decision_done",
        setup=world,
        kwargs=pk("decision"),
        target=obj("decision"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
        data=lambda o: {"done_on": "2026-04-26"},
    ),
    Row(url="supervision:round_list", setup=world, get=READ_LIST, post=READ_ONLY_POST),
    Row(
        url="supervision:round_open",
        get=POST_ONLY_STAFF_GET,
        # Each staff member opens a round of their own town; superusers have none.
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=REDIRECT),
        data=lambda o: {"year": 2026, "month": 8},
    ),
    Row(
        url="supervision:round_detail",
        setup=world,
        kwargs=pk("round"),
        target=obj("round"),
        get=viewers(OK, outsider_staff=NOT_FOUND),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:review_edit",
        setup=world,
        kwargs=pk("review"),
        target=obj("review"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {
            "actual_percent": 60,
            "quality": "合格",
            "problems": "",
            "measures": "",
            "next_steps": "",
            "version": o.review.version,
        },
    ),
    Row(
        url="supervision:circular_draft",
        setup=world,
        kwargs=pk("round"),
        target=obj("draft"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
    ),
    Row(
        url="supervision:attachment_add",
        setup=world,
        kwargs=pk("review"),
        target=obj("review"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
        data=lambda o: {"file": SimpleUploadedFile("b.png", real_png())},
    ),
    Row(url="supervision:circular_list", setup=world, get=READ_LIST, post=READ_ONLY_POST),
    Row(
        url="supervision:circular_detail",
        setup=world,
        kwargs=pk("draft"),
        target=obj("draft"),
        # A draft stays with the office and the chairman until published.
        get=viewers(NOT_FOUND, staff=OK, chairman=OK, superuser=OK),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:circular_print",
        setup=world,
        kwargs=pk("draft"),
        target=obj("draft"),
        # Like the circular itself: a draft is printed only by the office and the chairman.
        get=viewers(NOT_FOUND, staff=OK, chairman=OK, superuser=OK),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:circular_xlsx",
        setup=world,
        kwargs=pk("published"),
        target=obj("published"),
        get=viewers(OK, outsider_staff=NOT_FOUND),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:circular_pdf",
        setup=world,
        kwargs=pk("published"),
        target=obj("published"),
        # Like the .xlsx: everyone who reads the town's circulars; the PDF exists once published.
        get=viewers(OK, outsider_staff=NOT_FOUND),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:circular_publish",
        setup=world,
        kwargs=pk("draft"),
        target=obj("draft"),
        get=signed_in(FORBIDDEN, chairman=NA, superuser=NA),
        post=signed_in(FORBIDDEN, chairman=REDIRECT, superuser=REDIRECT),
    ),
    Row(
        url="supervision:circular_correct",
        setup=world,
        kwargs=pk("published"),
        target=obj("published"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
    ),
    Row(url="supervision:division_table", setup=world, query="?year=2026", get=READ_LIST, post=READ_ONLY_POST),
    Row(url="supervision:division_table_xlsx", setup=world, query="?year=2026", get=READ_LIST, post=READ_ONLY_POST),
]
