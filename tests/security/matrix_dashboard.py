"""Matrix rows for the dashboards (dashboard:): the town overview, a town opened from the district,
the district's comparison and the meeting-room display. All read-only: a POST is 405 to those who may
read and 403 to the rest."""

from __future__ import annotations

from tests.security.matrix import FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, signed_in

NA = METHOD_NOT_ALLOWED
# Users without a town of their own (district, superuser) are sent on to the district's comparison.
TOWN_GET = signed_in(FORBIDDEN, staff=OK, chairman=OK, outsider_staff=OK, district_user=REDIRECT, superuser=REDIRECT)
TOWN_POST = signed_in(FORBIDDEN, staff=NA, chairman=NA, outsider_staff=NA, district_user=NA, superuser=NA)

ROWS = [
    Row("dashboard:town", get=TOWN_GET, post=TOWN_POST),
    Row("dashboard:display", get=TOWN_GET, post=TOWN_POST),
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
]
