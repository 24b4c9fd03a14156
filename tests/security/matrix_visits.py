"""Matrix rows for the visits app (visits: URLs); see tests/security/matrix.py for the row format.

Who may do what (congress.access.PERMISSIONS, visits.*): staff, cadres and deputies record visits;
the ledger is read in each role's scope (departments not at all); the household register is read by
every role but departments, kept by staff and cadres, imported by staff; quotas are read by staff,
chairman and district; triage, pairs, categories and the full export are staff work. Superusers pass every
action check but have no home town, so pages that create a town's records refuse them (403).
Read-only pages take no POST (405); action URLs take no GET (405).
"""

from __future__ import annotations

import uuid

from django.utils import timezone

from congress.models import VisitMethod
from tests.security.matrix import (
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Row,
    granted,
    pk,
)
from tests.visits import factories
from visits.models import MediationCase, Opinion, OpinionCategory, SummaryItem

TOWN_STAFF = ("staff", "outsider_staff")
RECORDERS = ("staff", "cadre", "deputy_user", "other_deputy_user", "outsider_staff")
LEDGER_READERS = (
    "staff",
    "cadre",
    "chairman",
    "deputy_user",
    "other_deputy_user",
    "outsider_staff",
    "district_user",
    "superuser",
)
REGISTER_READERS = LEDGER_READERS
QUOTA_READERS = ("staff", "chairman", "outsider_staff", "district_user", "superuser")
SUMMARY_READERS = (
    "staff",
    "chairman",
    "deputy_user",
    "other_deputy_user",
    "department_user",
    "outsider_staff",
    "district_user",
    "superuser",
)
LEDGER_EXPORTERS = ("staff", "cadre", "chairman", "outsider_staff", "district_user", "superuser")


def allowed(outcome, personas, **overrides):
    """`outcome` for the personas, 403 for other signed-in personas, then any overrides."""
    return granted(outcome, personas, **overrides)


def household(cast):
    return {
        "household": factories.HouseholdFactory(
            town=cast.town, village=cast.village, head_name="王守田", address="北街9号", phone="13811112222"
        )
    }


def visit(cast):
    home = factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="刘玉珍", address="南街3号")
    seen = factories.VisitFactory(
        town=cast.town, household=home, village=cast.village, deputies=[cast.deputy], recorded_by=cast.staff
    )
    return {"visit": seen, "opinion": factories.OpinionFactory(visit=seen)}


def summary(cast):
    found = visit(cast)
    item = factories.SummaryItemFactory(town=cast.town, category=found["opinion"].category, created_by=cast.staff)
    return {**found, "item": item}


def pairing(cast):
    elderly = factories.HouseholdFactory(town=cast.town, village=cast.village, lives_alone_elderly=True)
    return {
        "elderly": elderly,
        "pairing": factories.PairingFactory(town=cast.town, deputy=cast.deputy, household=elderly),
    }


def mediation(cast):
    return {
        "case": factories.MediationCaseFactory(
            town=cast.town,
            village=cast.village,
            deputies=[cast.deputy],
            recorded_by=cast.staff,
            occurred_on=timezone.localdate(),
        )
    }


def visit_data(o):
    return {
        "idempotency_key": str(uuid.uuid4()),
        "deputies": [o.deputy.pk],
        "visited_on": timezone.localdate().isoformat(),
        "method": VisitMethod.HOUSEHOLD,
        "village": o.village.pk,
        "household": o.household.pk,
        "notes": "",
        "opinions-TOTAL_FORMS": "1",
        "opinions-INITIAL_FORMS": "0",
        "opinions-MIN_NUM_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "30",
        "opinions-0-category": "",
        "opinions-0-text": "",
        "opinions-0-urgency": "normal",
    }


def mediation_data(o):
    return {
        "village": o.village.pk,
        "occurred_on": timezone.localdate().isoformat(),
        "dispute": "相邻两户排水纠纷",
        "outcome": MediationCase.Outcome.RESOLVED,
        "deputies": [o.deputy.pk],
    }


ROWS = [
    # Recording a visit: the deputy must be among the deputies, the outsider cannot pick this village.
    Row(
        url="visits:visit_create",
        setup=household,
        get=allowed(OK, RECORDERS),
        post=allowed(REDIRECT, ("staff", "cadre", "deputy_user"), other_deputy_user=OK, outsider_staff=OK),
        data=visit_data,
    ),
    Row(
        url="visits:opinion_form",
        query="?index=2",
        get=allowed(OK, RECORDERS),
        post=allowed(METHOD_NOT_ALLOWED, RECORDERS, superuser=METHOD_NOT_ALLOWED),
    ),
    Row(
        url="visits:household_search",
        setup=household,
        query="?q=wst",
        get=allowed(OK, RECORDERS, superuser=OK),
        post=allowed(METHOD_NOT_ALLOWED, RECORDERS, superuser=METHOD_NOT_ALLOWED),
    ),
    # The ledger and its export.
    Row(
        url="visits:ledger",
        setup=visit,
        get=allowed(OK, LEDGER_READERS),
        post=allowed(METHOD_NOT_ALLOWED, LEDGER_READERS),
    ),
    Row(
        url="visits:ledger_export",
        setup=visit,
        get=allowed(OK, LEDGER_EXPORTERS),
        post=allowed(METHOD_NOT_ALLOWED, LEDGER_EXPORTERS),
    ),
    Row(
        url="visits:visit_detail",
        setup=visit,
        kwargs=pk("visit"),
        target=lambda o: o.visit,
        get=allowed(OK, LEDGER_READERS, other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND),
        post=allowed(
            METHOD_NOT_ALLOWED, LEDGER_READERS, other_deputy_user=METHOD_NOT_ALLOWED, outsider_staff=METHOD_NOT_ALLOWED
        ),
    ),
    Row(
        url="visits:household_detail",
        setup=household,
        kwargs=pk("household"),
        target=lambda o: o.household,
        get=allowed(OK, REGISTER_READERS, outsider_staff=NOT_FOUND),
        post=allowed(METHOD_NOT_ALLOWED, REGISTER_READERS),
    ),
    # Quotas: the deputy's own page, the overview grid and its export.
    Row(
        url="visits:my_duty",
        get=allowed(OK, ("deputy_user", "other_deputy_user"), superuser=NOT_FOUND),
        post=allowed(METHOD_NOT_ALLOWED, ("deputy_user", "other_deputy_user", "superuser")),
    ),
    Row(
        url="visits:quota_overview",
        get=allowed(OK, QUOTA_READERS),
        post=allowed(METHOD_NOT_ALLOWED, QUOTA_READERS),
    ),
    Row(
        url="visits:quota_export",
        get=allowed(OK, QUOTA_READERS),
        post=allowed(METHOD_NOT_ALLOWED, QUOTA_READERS),
    ),
    # The household register.
    Row(
        url="visits:household_list",
        setup=household,
        get=allowed(OK, REGISTER_READERS),
        post=allowed(METHOD_NOT_ALLOWED, REGISTER_READERS),
    ),
    Row(
        url="visits:household_export",
        setup=household,
        # The export holds what the list shows; a district user's is recorded in each town it holds.
        get=allowed(OK, REGISTER_READERS),
        post=allowed(METHOD_NOT_ALLOWED, REGISTER_READERS),
    ),
    Row(
        url="visits:household_create",
        get=allowed(OK, ("staff", "cadre", "outsider_staff", "superuser")),
        post=allowed(REDIRECT, ("staff", "cadre"), outsider_staff=OK),
        data=lambda o: {
            "village": o.village.pk,
            "address": "西街1号",
            "head_name": "周文华",
            "size": 2,
            "status": "resident",
        },
    ),
    Row(
        url="visits:household_edit",
        setup=household,
        kwargs=pk("household"),
        target=lambda o: o.household,
        get=allowed(OK, ("staff", "cadre", "superuser"), outsider_staff=NOT_FOUND),
        post=allowed(REDIRECT, ("staff", "cadre"), outsider_staff=NOT_FOUND),
        data=lambda o: {
            "village": o.village.pk,
            "address": "北街10号",
            "head_name": "王守田",
            "size": 4,
            "status": "resident",
            "phone": "13811112222",
        },
    ),
    Row(
        url="visits:household_import",
        get=allowed(OK, ("staff", "outsider_staff", "superuser")),
        post=allowed(OK, ("staff", "outsider_staff", "superuser")),  # no file: the form asks for one
    ),
    # Opinion triage and summary items.
    Row(
        url="visits:opinion_triage",
        setup=visit,
        get=allowed(OK, TOWN_STAFF),
        post=allowed(METHOD_NOT_ALLOWED, TOWN_STAFF, superuser=METHOD_NOT_ALLOWED),
    ),
    Row(
        url="visits:opinion_merge",
        setup=visit,
        target=lambda o: o.opinion,
        get=allowed(METHOD_NOT_ALLOWED, (*TOWN_STAFF, "superuser")),
        # The outsider's POST finds none of the opinions and comes back with an error message.
        post=allowed(REDIRECT, TOWN_STAFF),
        data=lambda o: {"opinions": [o.opinion.pk], "merge-title": "路灯", "merge-reason": "同类诉求"},
    ),
    Row(
        url="visits:opinion_settle",
        setup=visit,
        target=lambda o: o.opinion,
        get=allowed(METHOD_NOT_ALLOWED, (*TOWN_STAFF, "superuser")),
        post=allowed(REDIRECT, TOWN_STAFF),
        data=lambda o: {
            "opinions": [o.opinion.pk],
            "settle-status": Opinion.Status.ANSWERED,
            "settle-reason": "已当场答复",
        },
    ),
    Row(
        url="visits:summary_list",
        setup=summary,
        get=allowed(OK, SUMMARY_READERS),
        post=allowed(METHOD_NOT_ALLOWED, SUMMARY_READERS),
    ),
    Row(
        url="visits:summary_detail",
        setup=summary,
        kwargs=pk("item"),
        target=lambda o: o.item,
        # A department sees an item only once it is referred to them.
        get=allowed(OK, SUMMARY_READERS, department_user=NOT_FOUND, outsider_staff=NOT_FOUND),
        post=allowed(METHOD_NOT_ALLOWED, SUMMARY_READERS),
    ),
    Row(
        url="visits:summary_settle",
        setup=summary,
        kwargs=pk("item"),
        target=lambda o: o.item,
        get=allowed(METHOD_NOT_ALLOWED, (*TOWN_STAFF, "superuser")),
        post=allowed(REDIRECT, ("staff",), outsider_staff=NOT_FOUND),
        data=lambda o: {"status": SummaryItem.Status.CANDIDATE, "reason": "列入候选项目"},
    ),
    # Pairing assistance.
    Row(
        url="visits:pair_list",
        setup=pairing,
        get=allowed(OK, REGISTER_READERS),
        post=allowed(METHOD_NOT_ALLOWED, REGISTER_READERS),
    ),
    Row(
        url="visits:pair_create",
        setup=lambda cast: {
            "elderly": factories.HouseholdFactory(town=cast.town, village=cast.village, limited_mobility=True)
        },
        get=allowed(OK, (*TOWN_STAFF, "superuser")),
        post=allowed(REDIRECT, ("staff",), outsider_staff=OK),
        data=lambda o: {
            "deputy": o.deputy.pk,
            "household": o.elderly.pk,
            "started_on": timezone.localdate().isoformat(),
        },
    ),
    Row(
        url="visits:pair_end",
        setup=pairing,
        kwargs=pk("pairing"),
        target=lambda o: o.pairing,
        get=allowed(METHOD_NOT_ALLOWED, (*TOWN_STAFF, "superuser")),
        post=allowed(REDIRECT, ("staff",), outsider_staff=NOT_FOUND),
    ),
    # Mediation cases.
    Row(
        url="visits:mediation_list",
        setup=mediation,
        get=allowed(OK, REGISTER_READERS),
        post=allowed(METHOD_NOT_ALLOWED, REGISTER_READERS),
    ),
    Row(
        url="visits:mediation_create",
        get=allowed(OK, RECORDERS),
        post=allowed(REDIRECT, ("staff", "cadre", "deputy_user"), other_deputy_user=OK, outsider_staff=OK),
        data=mediation_data,
    ),
    Row(
        url="visits:mediation_edit",
        setup=mediation,
        kwargs=pk("case"),
        target=lambda o: o.case,
        get=allowed(OK, ("staff", "cadre", "deputy_user"), other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND),
        post=allowed(
            REDIRECT, ("staff", "cadre", "deputy_user"), other_deputy_user=NOT_FOUND, outsider_staff=NOT_FOUND
        ),
        data=lambda o: {
            **mediation_data(o),
            "outcome": MediationCase.Outcome.TRANSFERRED,
            "version": MediationCase.objects.get(pk=o.case.pk).version,
        },
    ),
    # The town's opinion categories.
    Row(
        url="visits:category_list",
        get=allowed(OK, TOWN_STAFF),
        post=allowed(REDIRECT, TOWN_STAFF),
        data=lambda o: {"name": "文化体育", "position": 20, "is_active": "on"},
    ),
    Row(
        url="visits:category_edit",
        setup=lambda cast: {"category": OpinionCategory.objects.for_town(cast.town).first()},
        kwargs=pk("category"),
        target=lambda o: o.category,
        get=allowed(OK, ("staff", "superuser"), outsider_staff=NOT_FOUND),
        post=allowed(REDIRECT, ("staff",), outsider_staff=NOT_FOUND),
        data=lambda o: {"name": "就业创业", "position": 0, "is_active": "on"},
    ),
]
