"""Matrix rows for the root, sign-in, language, admin and core (congress:) URLs."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from congress.forms.reference import AnnualPlanForm
from congress.models import AnnualPlan
from congress.roles import Role
from congress.uploads import store_upload
from tests import factories
from tests.conftest import PASSWORD
from tests.security.matrix import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Row,
    expect,
    pk,
    signed_in,
)

# Reading reference data: every role, each in its own scope; lists and details take no POST.
READ = signed_in(OK)
READ_ONLY_POST = signed_in(METHOD_NOT_ALLOWED)
# Creating: staff, in their home town (the outsider too, in theirs). Superusers have no home town.
CREATE_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=OK)
CREATE_POST = signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=REDIRECT)
# A create whose data points at the cast's town: the outsider's form refuses the foreign choice.
CREATE_POST_LINKED = signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=OK)
# Changing a record of the cast's town: its staff and superusers; the outsider cannot see it.
EDIT_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=NOT_FOUND, superuser=OK)
EDIT_POST = signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT)
# The deputies: the deputy sees their own record; departments see none.
DEPUTY_SEEN = {"other_deputy_user": NOT_FOUND, "department_user": NOT_FOUND, "outsider_staff": NOT_FOUND}
# Files attached to the deputy's record: whoever may see the record.
FILE_GET = signed_in(OK, **DEPUTY_SEEN)
# The plan: read by staff, chairman, district (and the outsider, their own town's).
PLAN_GET = signed_in(FORBIDDEN, staff=OK, chairman=OK, outsider_staff=OK, district_user=OK, superuser=OK)
PLAN_POST = signed_in(
    FORBIDDEN, staff=METHOD_NOT_ALLOWED, chairman=METHOD_NOT_ALLOWED, outsider_staff=METHOD_NOT_ALLOWED,
    district_user=METHOD_NOT_ALLOWED, superuser=METHOD_NOT_ALLOWED,
)  # fmt: skip
# Accounts of a town: its staff (superusers read every town's list).
ACCOUNTS_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=OK, superuser=OK)
ACCOUNTS_POST = signed_in(
    FORBIDDEN, staff=METHOD_NOT_ALLOWED, outsider_staff=METHOD_NOT_ALLOWED, superuser=METHOD_NOT_ALLOWED
)
SUPERUSER_ONLY = expect(LOGIN, superuser=OK)


def deputy_data(o):
    return {
        "name": "改名代表",
        "gender": "M",
        "birth_year": 1975,
        "phone": "13900000000",
        "constituency": o.deputy.constituency_id,
        "term": 18,
        "expertise": "",
        "served_from": "2022-01-01",
    }


def plan_data(o):
    lists = {"counted_visit_methods", "review_months", "session_months", "points_table"}
    data = {name: getattr(AnnualPlan(), name) for name in AnnualPlanForm.Meta.fields if name not in lists}
    return {
        **data,
        "visits_per_month": 3,
        "counted_visit_methods": ["household"],
        "review_months": "2, 4, 6, 8, 10, 12",
        "session_months": "2, 7",
        "points_table": '{"visit": 1}',
    }


def with_venue(cast):
    return {"venue": factories.VenueFactory(town=cast.town, village=cast.village)}


def with_attachment(cast):
    upload = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    return {"attachment": store_upload(by=cast.staff, town=cast.town, owner=cast.deputy, uploaded_file=upload)}


def new_account(o):
    return {
        "username": "newcadre",
        "full_name": "新村官",
        "phone": "",
        "role": Role.VILLAGE_CADRE,
        "village": o.village.pk,
    }


ROWS = [
    # Root, sign-in and language
    Row("home", get=signed_in(OK), post=signed_in(OK)),
    # The favicon redirects everyone, signed in or not, to the static file; it shows nothing.
    Row("favicon", get=expect(REDIRECT), post=expect(METHOD_NOT_ALLOWED)),
    Row(
        "login",
        get=expect(REDIRECT, anonymous=OK),
        post=expect(REDIRECT),
        data=lambda o: {"username": "staff", "password": PASSWORD},
    ),
    Row("logout", get=expect(METHOD_NOT_ALLOWED), post=expect(REDIRECT)),
    # The administration's own login page sends everyone to the portal's login (lockout and audit there).
    Row("admin_login", get=expect(REDIRECT), post=expect(METHOD_NOT_ALLOWED)),
    Row(
        "password_change",
        get=signed_in(OK),
        post=signed_in(REDIRECT),
        data=lambda o: {
            "old_password": PASSWORD,
            "new_password1": "Beifang-new-2027",
            "new_password2": "Beifang-new-2027",
        },
    ),
    Row("password_change_done", get=signed_in(OK), post=signed_in(METHOD_NOT_ALLOWED)),
    Row("set_language", get=expect(REDIRECT), post=expect(REDIRECT), data=lambda o: {"language": "en", "next": "/"}),
    # The admin: one rule, superusers only (index and one changelist checked)
    Row("admin:index", get=SUPERUSER_ONLY, post=SUPERUSER_ONLY),
    Row("admin:auth_group_changelist", get=SUPERUSER_ONLY, post=SUPERUSER_ONLY),
    # Villages
    Row("congress:village_list", get=READ, post=READ_ONLY_POST),
    Row(
        "congress:village_create",
        get=CREATE_GET,
        post=CREATE_POST,
        data=lambda o: {"name": "新村", "kind": "village"},
    ),
    Row(
        "congress:village_edit",
        kwargs=pk("village"),
        get=EDIT_GET,
        post=EDIT_POST,
        data=lambda o: {"name": "改名村", "kind": "community"},
        target=lambda o: o.village,
    ),
    # Constituencies
    Row("congress:constituency_list", get=READ, post=READ_ONLY_POST),
    Row(
        "congress:constituency_create",
        get=CREATE_GET,
        post=CREATE_POST_LINKED,
        data=lambda o: {"number": 90, "name": "新选区", "villages": [o.village.pk], "seats": 2},
    ),
    Row(
        "congress:constituency_edit",
        kwargs=lambda o: {"pk": o.deputy.constituency_id},
        get=EDIT_GET,
        post=EDIT_POST,
        data=lambda o: {
            "number": 91,
            "name": "改名选区",
            "villages": [o.village.pk],
            "seats": 1,
            "version": o.deputy.constituency.version,
        },
        target=lambda o: o.deputy.constituency,
    ),
    # Deputies
    Row("congress:deputy_list", get=READ, post=READ_ONLY_POST),
    Row("congress:deputy_create", get=CREATE_GET, post=CREATE_POST_LINKED, data=deputy_data),
    Row(
        "congress:deputy_detail",
        kwargs=pk("deputy"),
        get=signed_in(OK, **DEPUTY_SEEN),
        post=signed_in(METHOD_NOT_ALLOWED),
        data=deputy_data,
        target=lambda o: o.deputy,
    ),
    Row(
        "congress:deputy_edit",
        kwargs=pk("deputy"),
        get=EDIT_GET,
        post=EDIT_POST,
        data=deputy_data,
        target=lambda o: o.deputy,
    ),
    Row(
        "congress:deputy_leave",
        kwargs=pk("deputy"),
        get=EDIT_GET,
        post=EDIT_POST,
        data=lambda o: {"served_until": "2026-01-31"},
        target=lambda o: o.deputy,
    ),
    # Departments
    Row("congress:department_list", get=READ, post=READ_ONLY_POST),
    Row("congress:department_create", get=CREATE_GET, post=CREATE_POST, data=lambda o: {"name": "新科室"}),
    Row(
        "congress:department_edit",
        kwargs=pk("department"),
        get=EDIT_GET,
        post=EDIT_POST,
        data=lambda o: {"name": "改名科室"},
        target=lambda o: o.department,
    ),
    # Venues
    Row("congress:venue_list", get=READ, post=READ_ONLY_POST),
    Row(
        "congress:venue_create",
        get=CREATE_GET,
        post=CREATE_POST,
        data=lambda o: {"kind": "home", "name": "代表之家", "address": "镇政府"},
    ),
    Row(
        "congress:venue_edit",
        setup=with_venue,
        kwargs=pk("venue"),
        get=EDIT_GET,
        post=EDIT_POST,
        data=lambda o: {"kind": "home", "name": "改名之家", "address": ""},
        target=lambda o: o.venue,
    ),
    # The annual plan
    Row("congress:plan", query="?year=2026", get=PLAN_GET, post=PLAN_POST),
    Row("congress:plan_edit", query="?year=2026", get=CREATE_GET, post=CREATE_POST, data=plan_data),
    # Accounts
    Row("congress:account_list", get=ACCOUNTS_GET, post=ACCOUNTS_POST),
    # A created account's temporary password is shown on the response (200), not after a redirect.
    Row("congress:account_create", get=CREATE_GET, post=CREATE_GET, data=new_account),
    Row(
        "congress:account_password_reset",
        kwargs=pk("cadre"),
        get=EDIT_GET,
        post=EDIT_GET,
        target=lambda o: o.cadre,
    ),
    Row(
        "congress:account_deactivate",
        kwargs=pk("cadre"),
        get=EDIT_GET,
        post=EDIT_POST,
        target=lambda o: o.cadre,
    ),
    # Files
    Row(
        "congress:file",
        setup=with_attachment,
        kwargs=lambda o: {"token": o.attachment.token},
        get=FILE_GET,
        post=signed_in(METHOD_NOT_ALLOWED),
        target=lambda o: o.attachment,
    ),
]
