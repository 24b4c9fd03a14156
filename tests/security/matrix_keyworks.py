"""Matrix rows for whole-process supervision (supervision: key projects, stage inspections,
rectification items and look-backs, department evaluations, law-enforcement inspections)."""

from __future__ import annotations

import datetime as dt

from supervision.models import KeyProjectAssignment
from supervision.services import keyworks
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


def viewers(outcome, **overrides):
    """`outcome` for every role that reads these pages, village cadres refused, with overrides."""
    return granted(outcome, VIEWERS, **overrides)


READ_LIST = viewers(OK)
READ_ONLY_POST = viewers(NA)
# The key project the cast's deputy follows and the cast's department is responsible for.
PROJECT_SEEN = {"other_deputy_user": NOT_FOUND, "outsider_staff": NOT_FOUND}
TOWN_SEEN = {"outsider_staff": NOT_FOUND}
MANAGE_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=NOT_FOUND, superuser=OK)
MANAGE_POST = signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT)
POST_ONLY_STAFF_GET = signed_in(FORBIDDEN, staff=NA, outsider_staff=NA, superuser=NA)
# Creating: staff of a town (the outsider in their own); superusers have no home town.
CREATE_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=OK)


def world(cast):
    """A key project with a stage inspected (one suggestion made an item), an evaluation and a law inspection."""
    staff = cast.staff
    project = keyworks.create_key_project(
        by=staff, town=cast.town, year=2026, name="老旧小区综合整治", lead_department=cast.department
    )
    assignment = keyworks.assign_deputy(project=project, deputy=cast.deputy, tier=KeyProjectAssignment.Tier.LEAD)
    stage = keyworks.add_stage(
        project=project, name="管线改造", planned_start=dt.date(2026, 4, 1), planned_end=dt.date(2026, 6, 30)
    )
    inspection = keyworks.record_inspection(
        by=staff,
        stage=stage,
        inspected_on=dt.date(2026, 5, 10),
        deputies=[cast.deputy],
        notes="沟槽未设围挡",
        suggestions=["加设围挡", "夜间警示灯"],
    )
    first, second = inspection.suggestions.order_by("pk")
    item = keyworks.rectify_suggestion(
        by=staff, suggestion=first, owner_department=cast.department, due_on=dt.date(2026, 6, 30)
    )
    evaluation = keyworks.create_evaluation(by=staff, town=cast.town, year=2026, department=cast.department)
    keyworks.add_rectification(
        by=staff,
        origin=evaluation,
        description="窗口服务时间公示",
        owner_department=cast.department,
        due_on=dt.date(2026, 9, 30),
    )
    law = keyworks.create_law_inspection(by=staff, town=cast.town, year=2026, law="《食品安全法》")
    return {
        "key_project": project,
        "assignment": assignment,
        "stage": stage,
        "inspection": inspection,
        "suggestion": second,
        "item": item,
        "evaluation": evaluation,
        "law": law,
    }


ROWS = [
    Row(url="supervision:keyproject_list", setup=world, query="?year=2026", get=READ_LIST, post=READ_ONLY_POST),
    Row(
        url="supervision:keyproject_create",
        get=CREATE_GET,
        # The outsider's form refuses the cast town's department.
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=OK),
        data=lambda o: {"year": 2026, "name": "污水管网改造", "lead_department": o.department.pk},
    ),
    Row(
        url="supervision:keyproject_detail",
        setup=world,
        kwargs=pk("key_project"),
        target=obj("key_project"),
        get=viewers(OK, **PROJECT_SEEN),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:stage_add",
        setup=world,
        kwargs=pk("key_project"),
        target=obj("key_project"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
        data=lambda o: {"name": "竣工验收", "planned_start": "2026-07-01", "planned_end": "2026-07-31"},
    ),
    Row(
        url="supervision:assignment_add",
        setup=world,
        kwargs=pk("key_project"),
        target=obj("assignment"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
        data=lambda o: {"deputy": o.deputy.pk, "tier": "member"},
    ),
    Row(
        url="supervision:assignment_remove",
        setup=world,
        kwargs=pk("assignment"),
        target=obj("assignment"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
    ),
    Row(
        url="supervision:inspection_create",
        setup=world,
        kwargs=pk("stage"),
        target=obj("stage"),
        get=signed_in(
            FORBIDDEN, staff=OK, deputy_user=OK, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND, superuser=OK
        ),
        post=signed_in(
            FORBIDDEN,
            staff=REDIRECT,
            deputy_user=REDIRECT,
            other_deputy_user=NOT_FOUND,
            outsider_staff=NOT_FOUND,
            superuser=REDIRECT,
        ),
        data=lambda o: {"inspected_on": "2026-05-20", "deputies": [o.deputy.pk], "notes": "围挡已设置"},
    ),
    Row(
        url="supervision:inspection_detail",
        setup=world,
        kwargs=pk("inspection"),
        target=obj("inspection"),
        get=viewers(OK, **PROJECT_SEEN),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:suggestion_rectify",
        setup=world,
        kwargs=pk("suggestion"),
        target=obj("suggestion"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {"description": "夜间警示灯", "owner_department": o.department.pk, "due_on": "2026-07-31"},
    ),
    Row(url="supervision:rectification_list", setup=world, query="?all=1", get=READ_LIST, post=READ_ONLY_POST),
    Row(
        url="supervision:rectification_add",
        setup=world,
        kwargs=lambda o: {"kind": "law", "pk": o.law.pk},
        target=obj("law"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {"description": "建立进货台账", "owner_name": "市场监管所", "due_on": "2026-08-31"},
    ),
    Row(
        url="supervision:rectification_detail",
        setup=world,
        kwargs=pk("item"),
        target=obj("item"),
        get=viewers(OK, **PROJECT_SEEN),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:rectification_answer",
        setup=world,
        kwargs=pk("item"),
        target=obj("item"),
        get=signed_in(FORBIDDEN, staff=NA, department_user=NA, outsider_staff=NA, superuser=NA),
        post=signed_in(
            FORBIDDEN, staff=REDIRECT, department_user=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT
        ),
        data=lambda o: {"response": "围挡已设置完毕"},
    ),
    Row(
        url="supervision:look_back_create",
        setup=world,
        kwargs=pk("item"),
        target=obj("item"),
        get=signed_in(
            FORBIDDEN, staff=OK, deputy_user=OK, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND, superuser=OK
        ),
        post=signed_in(
            FORBIDDEN,
            staff=REDIRECT,
            deputy_user=REDIRECT,
            other_deputy_user=NOT_FOUND,
            outsider_staff=NOT_FOUND,
            superuser=REDIRECT,
        ),
        data=lambda o: {"checked_on": "2026-07-05", "verdict": "done", "deputies": [o.deputy.pk]},
    ),
    Row(url="supervision:evaluation_list", setup=world, query="?year=2026", get=READ_LIST, post=READ_ONLY_POST),
    Row(
        url="supervision:evaluation_create",
        get=CREATE_GET,
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=OK),
        data=lambda o: {"year": 2026, "department": o.department.pk},
    ),
    Row(
        url="supervision:evaluation_detail",
        setup=world,
        kwargs=pk("evaluation"),
        target=obj("evaluation"),
        get=viewers(OK, **TOWN_SEEN),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:evaluation_steps",
        setup=world,
        kwargs=pk("evaluation"),
        target=obj("evaluation"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {"survey_on": "2026-04-10", "survey_notes": "走访群众", "meeting_on": "2026-05-15"},
    ),
    Row(
        url="supervision:evaluation_vote",
        setup=world,
        kwargs=pk("evaluation"),
        target=obj("evaluation"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
        data=lambda o: {"satisfied": 30, "basically": 15, "unsatisfied": 5},
    ),
    Row(url="supervision:law_list", setup=world, query="?year=2026", get=READ_LIST, post=READ_ONLY_POST),
    Row(
        url="supervision:law_create",
        get=CREATE_GET,
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=REDIRECT),
        data=lambda o: {"year": 2026, "law": "《大气污染防治法》"},
    ),
    Row(
        url="supervision:law_detail",
        setup=world,
        kwargs=pk("law"),
        target=obj("law"),
        get=viewers(OK, **TOWN_SEEN),
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:law_activity_add",
        setup=world,
        kwargs=pk("law"),
        target=obj("law"),
        get=POST_ONLY_STAFF_GET,
        post=MANAGE_POST,
        data=lambda o: {"held_on": "2026-05-20", "description": "检查农贸市场", "deputies": [o.deputy.pk]},
    ),
    Row(
        url="supervision:law_findings",
        setup=world,
        kwargs=pk("law"),
        target=obj("law"),
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {"findings": "部分摊位无进货台账", "reported_on": "2026-06-05"},
    ),
]
