"""Form cases of the deputies' year: activities, reception days, receptions and the turn of the year."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import AnnualPlan, Attachment, Deputy
from duty import forms as f
from duty import services as svc
from duty.models import Activity, ReceptionDuty
from tests.security.form_cases import FormCase, bind_files
from tests.security.forms_supervision import png
from visits.models import OpinionCategory, Visit


def _duty(o: SimpleNamespace) -> ReceptionDuty:
    """The cast's deputy on duty at the cast's station (made once per test)."""
    if not hasattr(o, "duty"):
        o.duty = svc.set_reception_duty(by=o.staff, venue=o.venue, on_date=dt.date(2025, 11, 15), deputies=[o.deputy])
    return o.duty


def _activity(o: SimpleNamespace) -> dict[str, Activity]:
    activity = svc.record_activity(
        by=o.staff, kind="research", title="调研村级养老驿站", held_on=dt.date(2025, 6, 1), participants=[o.deputy]
    )
    return {"activity": activity}


def _plan_2025(o: SimpleNamespace) -> dict[str, int]:
    AnnualPlan.objects.get_or_create(town=o.town, year=2025)
    return {"action": "copy", "from_year": 2025, "to_year": 2024}


FORMS: list[FormCase] = [
    FormCase(
        name="activity_create",
        url="activities:create",
        form=lambda o, data: f.ActivityForm(data, town=o.town),
        valid=lambda o: {
            "kind": "research",
            "title": "调研养老驿站",
            "held_on": "2025-06-01",
            "participants": [o.deputy.pk],
        },
        created=lambda o: Activity.objects.filter(title="调研养老驿站"),
        shown_on=("activities:list",),
        writable=("created_at",),
    ),
    FormCase(
        name="duty_create",
        url="activities:duty_create",
        form=lambda o, data: f.DutyForm(data, town=o.town),
        valid=lambda o: {"venue": o.venue.pk, "on_date": "2025-11-20", "deputies": [o.deputy.pk]},
        created=lambda o: ReceptionDuty.objects.filter(venue=o.venue, on_date=dt.date(2025, 11, 20)),
        shown_on=("activities:roster",),
    ),
    FormCase(
        name="reception",
        url="activities:reception",
        kwargs=lambda o: {"pk": _duty(o).pk},
        form=lambda o, data: f.ReceptionForm(
            data, deputies=_duty(o).deputies.all(), categories=OpinionCategory.objects.for_town(o.town).active()
        ),
        valid=lambda o: {"deputies": [o.deputy.pk], "voter_name": "王大爷", "idempotency_key": str(uuid.uuid4())},
        created=lambda o: Visit.objects.filter(voter_name="王大爷"),
        writable=("recorded_at", "method", "visited_on", "village", "household"),
    ),
    FormCase(
        name="copy_plan",
        url="activities:turn",
        form=lambda o, data: f.CopyPlanForm(data),
        valid=_plan_2025,
        created=lambda o: AnnualPlan.objects.filter(town=o.town, year=2024),
        form_in=lambda context: context.get("copy_form"),
    ),
    FormCase(
        name="activity_photo",
        url="activities:photo",
        setup=_activity,
        kwargs=lambda o: {"pk": o.activity.pk},
        form=lambda o, data: f.PhotoForm(*bind_files(data)),
        valid=lambda o: {"photo": SimpleUploadedFile("调研.png", png(), content_type="image/png")},
        created=lambda o: Attachment.objects.filter(object_id=o.activity.pk, original_name="调研.png"),
        writable=("file", "token", "uploaded_at"),  # each stored file gets a new random name and token
    ),
    FormCase(
        name="change_term",
        url="activities:turn",
        form=lambda o, data: f.ChangeTermForm(data, town=o.town),
        valid=lambda o: {"action": "term", "last_day": "2026-12-31", "new_term": 19, "reelected": [o.deputy.pk]},
        created=lambda o: Deputy.objects.filter(town=o.town, term=19),
        form_in=lambda context: context.get("term_form"),
    ),
]
