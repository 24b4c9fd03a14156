"""Form cases of the deputies' year: activities, reception days, receptions and the turn of the year."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

from congress import activities as svc
from congress import forms_activities as f
from congress.models import Activity, AnnualPlan, ReceptionDuty
from tests.security.form_cases import FormCase
from visits.models import OpinionCategory, Visit


def _duty(o: SimpleNamespace) -> ReceptionDuty:
    """The cast's deputy on duty at the cast's station (made once per test)."""
    if not hasattr(o, "duty"):
        o.duty = svc.set_reception_duty(by=o.staff, venue=o.venue, on_date=dt.date(2025, 11, 15), deputies=[o.deputy])
    return o.duty


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
    ),
]
