"""Matrix rows for the deputies' year (activities:): activities, training, reception days, receptions,
records of duty, the annual checklist and the turn of the year.

The cast's deputy took part in the activity and is on duty at a station of the cast's village.
"""

from __future__ import annotations

import datetime as dt
import uuid

from congress.models import AnnualPlan
from duty import services as svc
from tests import factories
from tests.security.matrix import FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, granted, pk, signed_in


def readers(*names: str, **others):
    """GET outcomes: OK for `names`, 403 for the rest, with overrides."""
    return granted(OK, names, **others)


def read_only_post(*names: str):
    return signed_in(FORBIDDEN, **dict.fromkeys(names, METHOD_NOT_ALLOWED))


ACTIVITY_VIEWERS = (
    "staff",
    "chairman",
    "deputy_user",
    "other_deputy_user",
    "outsider_staff",
    "district_user",
    "superuser",
)
ROSTER_VIEWERS = (*ACTIVITY_VIEWERS, "cadre")
RECORD_VIEWERS = ("staff", "chairman", "deputy_user", "other_deputy_user", "outsider_staff", "superuser")
CHECKLIST_VIEWERS = ("staff", "chairman", "outsider_staff", "district_user", "superuser")
MANAGERS = ("staff", "outsider_staff", "superuser")
# Writing in a home town: staff (the outsider in theirs); superusers have no home town.
CREATE_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=OK)


def activity(cast):
    made = svc.record_activity(
        by=cast.staff, kind="inspection", title="视察道路", held_on=dt.date(2025, 5, 8), participants=[cast.deputy]
    )
    return {"activity": made}


def duty(cast):
    venue = factories.VenueFactory(town=cast.town, village=cast.village)
    made = svc.set_reception_duty(by=cast.staff, venue=venue, on_date=dt.date(2025, 11, 15), deputies=[cast.deputy])
    return {"duty": made, "venue": venue}


def plan(cast):
    return {"plan": AnnualPlan.objects.create(town=cast.town, year=2026)}


ROWS: list[Row] = [
    Row(url="activities:list", get=readers(*ACTIVITY_VIEWERS), post=read_only_post(*ACTIVITY_VIEWERS)),
    Row(
        url="activities:create",
        get=CREATE_GET,
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=REDIRECT),
        data=lambda o: {"kind": "training", "title": "履职培训", "held_on": "2025-05-01"},
    ),
    Row(
        url="activities:detail",
        setup=activity,
        kwargs=pk("activity"),
        target=lambda o: o.activity,
        get=readers(*ACTIVITY_VIEWERS, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND),
        post=read_only_post(*ACTIVITY_VIEWERS),
    ),
    Row(
        url="activities:photo",
        setup=activity,
        kwargs=pk("activity"),
        target=lambda o: o.activity,
        get=read_only_post(*MANAGERS),
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT),
    ),
    Row(url="activities:training", get=readers(*ACTIVITY_VIEWERS), post=read_only_post(*ACTIVITY_VIEWERS)),
    Row(url="activities:roster", get=readers(*ROSTER_VIEWERS), post=read_only_post(*ROSTER_VIEWERS)),
    Row(url="activities:roster_print", get=readers(*ROSTER_VIEWERS), post=read_only_post(*ROSTER_VIEWERS)),
    Row(
        url="activities:duty_create",
        setup=duty,
        get=CREATE_GET,
        # The outsider's form offers only their own town's stations: the cast's is refused.
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=OK),
        data=lambda o: {"venue": o.venue.pk, "on_date": "2025-11-20", "deputies": [o.deputy.pk]},
    ),
    Row(
        url="activities:reception",
        setup=duty,
        kwargs=pk("duty"),
        target=lambda o: o.duty,
        get=signed_in(
            FORBIDDEN, staff=OK, cadre=OK, deputy_user=OK, other_deputy_user=OK, outsider_staff=NOT_FOUND, superuser=OK
        ),
        # The other deputy is not on duty (their form refuses the cast's deputy); a superuser records
        # no visits, having no town.
        post=signed_in(
            FORBIDDEN,
            staff=REDIRECT,
            cadre=REDIRECT,
            deputy_user=REDIRECT,
            other_deputy_user=OK,
            outsider_staff=NOT_FOUND,
        ),
        data=lambda o: {"deputies": [o.deputy.pk], "voter_name": "王大爷", "idempotency_key": str(uuid.uuid4())},
    ),
    Row(
        url="activities:records",
        get=readers(*RECORD_VIEWERS, deputy_user=REDIRECT, other_deputy_user=REDIRECT),
        post=read_only_post(*RECORD_VIEWERS),
    ),
    Row(
        url="activities:record",
        kwargs=pk("deputy"),
        target=lambda o: o.deputy,
        get=readers(*RECORD_VIEWERS, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND),
        post=read_only_post(*RECORD_VIEWERS),
    ),
    Row(
        url="activities:record_print",
        kwargs=pk("deputy"),
        target=lambda o: o.deputy,
        get=readers(*RECORD_VIEWERS, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND),
        post=read_only_post(*RECORD_VIEWERS),
    ),
    Row(url="activities:checklist", get=readers(*CHECKLIST_VIEWERS), post=read_only_post(*CHECKLIST_VIEWERS)),
    Row(
        url="activities:turn",
        setup=plan,
        get=CREATE_GET,
        # The outsider's town has no 2026 plan to copy: the page shows why.
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=OK),
        data=lambda o: {"action": "copy", "from_year": 2026, "to_year": 2027},
    ),
]
