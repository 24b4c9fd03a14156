"""Matrix rows for the dashboards (dashboard:): the town overview, a town opened from the district,
the district's comparison, the meeting-room display links and the wall a link opens. The dashboards
are read-only: a POST is 405 to those who may read and 403 to the rest. The wall is public, and 200
only with a valid token (revoked and unknown tokens: tests/congress/test_display_links.py)."""

from __future__ import annotations

from congress.display_links import create_display_link
from tests.security.matrix import FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, expect, signed_in

NA = METHOD_NOT_ALLOWED
# Users without a town of their own (district, superuser) are sent on to the district's comparison.
TOWN_GET = signed_in(FORBIDDEN, staff=OK, chairman=OK, outsider_staff=OK, district_user=REDIRECT, superuser=REDIRECT)
TOWN_POST = signed_in(FORBIDDEN, staff=NA, chairman=NA, outsider_staff=NA, district_user=NA, superuser=NA)


def _display_link(cast):
    link, token = create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    return {"display_link": link, "token": token}


ROWS = [
    Row("dashboard:town", get=TOWN_GET, post=TOWN_POST),
    Row(
        "dashboard:town_detail",
        kwargs=lambda o: {"pk": o.town.pk},
        target=lambda o: o.town,
        get=signed_in(FORBIDDEN, staff=OK, chairman=OK, district_user=OK, superuser=OK, outsider_staff=NOT_FOUND),
        post=signed_in(FORBIDDEN, staff=NA, chairman=NA, district_user=NA, superuser=NA, outsider_staff=NA),
    ),
    Row(
        "dashboard:district",
        get=signed_in(FORBIDDEN, district_user=OK, superuser=OK),
        post=signed_in(FORBIDDEN, district_user=NA, superuser=NA),
    ),
    # Staff list their town's links and make one (the page shows it once: 200, not a redirect). The
    # superuser has no town to make one in.
    Row(
        "dashboard:display_links",
        get=signed_in(FORBIDDEN, staff=OK, outsider_staff=OK, superuser=OK),
        post=signed_in(FORBIDDEN, staff=OK, outsider_staff=OK),
        data=lambda o: {"label": "一楼大厅"},
    ),
    Row(
        "dashboard:display_link_revoke",
        setup=_display_link,
        kwargs=lambda o: {"pk": o.display_link.pk},
        target=lambda o: o.display_link,
        get=signed_in(FORBIDDEN, staff=NA, outsider_staff=NA, superuser=NA),
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT),
    ),
    Row(
        "display_wall",
        setup=_display_link,
        kwargs=lambda o: {"token": o.token},
        target=lambda o: o.display_link,
        get=expect(OK),
        post=expect(NA),
    ),
]
