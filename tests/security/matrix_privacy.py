"""Matrix rows for the personal data requests (个人信息查阅、更正、删除请求)."""

from __future__ import annotations

from tests import factories
from tests.security.matrix import FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, pk, signed_in


def open_request(cast):
    return {"data_request": factories.PersonalDataRequestFactory(town=cast.town, recorded_by=cast.staff)}


# Read by the town's staff and chairman (the outsider reads their own town's) and superusers.
LIST_GET = signed_in(FORBIDDEN, staff=OK, chairman=OK, outsider_staff=OK, superuser=OK)
LIST_POST = signed_in(
    FORBIDDEN,
    staff=METHOD_NOT_ALLOWED,
    chairman=METHOD_NOT_ALLOWED,
    outsider_staff=METHOD_NOT_ALLOWED,
    superuser=METHOD_NOT_ALLOWED,
)

ROWS = [
    Row("congress:data_requests", get=LIST_GET, post=LIST_POST),
    # Recorded by staff in their home town; a superuser has none.
    Row(
        "congress:data_request_create",
        get=signed_in(FORBIDDEN, staff=OK, outsider_staff=OK),
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=REDIRECT),
        data=lambda o: {
            "requester": "李桂兰",
            "kind": "correct",
            "received_on": "2026-11-03",
            "request": "电话号码有误",
        },
    ),
    # Read by staff and the chairman of the town; answered by its staff (and superusers).
    Row(
        "congress:data_request_answer",
        setup=open_request,
        kwargs=pk("data_request"),
        get=signed_in(FORBIDDEN, staff=OK, chairman=OK, outsider_staff=NOT_FOUND, superuser=OK),
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT),
        data=lambda o: {"answer": "已当面出示登记信息", "answered_on": "2026-11-05"},
        target=lambda o: o.data_request,
    ),
]
