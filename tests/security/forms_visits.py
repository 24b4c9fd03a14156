"""Form cases of the visits app (visits:); see tests/security/form_cases.py."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from congress.models import VisitMethod
from tests.security.form_cases import FormCase, bind_files
from tests.visits import factories
from visits.forms import OpinionForm, VisitForm
from visits.models import Household, MediationCase, Opinion, OpinionCategory, Pairing, SummaryItem, Visit
from visits.register_import import COLUMNS
from visits.views.care import MediationForm, PairingForm
from visits.views.categories import CategoryForm
from visits.views.households import HouseholdForm, ImportForm
from visits.views.summaries import ChosenOpinionsForm, MergeForm, SettleItemForm, SettleOpinionsForm

KEY = "6f1c1f4e-3a55-4c1b-9d1e-0a7c2b9e5d11"


def world(o: SimpleNamespace) -> dict[str, Any]:
    """A household visited with one new opinion, an open summary item, an elderly household paired, a mediation."""
    home = factories.HouseholdFactory(town=o.town, village=o.village, head_name="刘玉珍", address="南街3号")
    seen = factories.VisitFactory(
        town=o.town, household=home, village=o.village, deputies=[o.deputy], recorded_by=o.staff
    )
    opinion = factories.OpinionFactory(visit=seen)
    elderly = factories.HouseholdFactory(town=o.town, village=o.village, head_name="孙长寿", lives_alone_elderly=True)
    return {
        "household": home,
        "opinion": opinion,
        "category": opinion.category,
        "item": factories.SummaryItemFactory(town=o.town, category=opinion.category, created_by=o.staff),
        "elderly": elderly,
        "case": factories.MediationCaseFactory(
            town=o.town, village=o.village, deputies=[o.deputy], recorded_by=o.staff, occurred_on=timezone.localdate()
        ),
    }


def visit_data(o: SimpleNamespace) -> dict[str, Any]:
    return {
        "idempotency_key": KEY,
        "deputies": [o.deputy.pk],
        "visited_on": timezone.localdate().isoformat(),
        "method": VisitMethod.HOUSEHOLD,
        "village": o.village.pk,
        "household": o.household.pk,
        "voter_name": "",
        "notes": "老人身体健康",
        "opinions-TOTAL_FORMS": "1",
        "opinions-INITIAL_FORMS": "0",
        "opinions-MIN_NUM_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "30",
        "opinions-0-category": o.category.pk,
        "opinions-0-text": "村口路灯不亮",
        "opinions-0-urgency": "normal",
    }


def register_file(head: str = "导入户主") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS.values()))
    ws.append(["北房村", "东街1号", head, "13800001234", 3, "在住", "否", "是"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("households.xlsx", buffer.getvalue())


def item_page(o: SimpleNamespace) -> str:
    return reverse("visits:summary_detail", kwargs={"pk": o.item.pk})


def household_page(o: SimpleNamespace) -> str:
    return reverse("visits:household_detail", kwargs={"pk": o.household.pk})


FORMS = [
    FormCase(
        name="visit_create",
        url="visits:visit_create",
        persona="deputy_user",
        setup=world,
        form=lambda o, data: VisitForm(data, user=o.deputy_user),
        valid=visit_data,
        created=lambda o: Visit.objects.filter(idempotency_key=KEY),
        shown_on=("visits:ledger", household_page),
        # The service records who and when, and the town of the village.
        writable=("recorded_at",),
    ),
    FormCase(
        name="visit_opinion",
        url="visits:visit_create",
        setup=world,
        form=lambda o, data: OpinionForm(
            data, prefix="opinions-0", categories=OpinionCategory.objects.for_town(o.town).active()
        ),
        valid=visit_data,
        created=lambda o: Opinion.objects.filter(visit__idempotency_key=KEY),
        shown_on=("visits:opinion_triage",),
        page_fields=tuple(VisitForm.base_fields),  # the visit form around it
        writable=("visit",),  # the new visit's id differs between the two posts
    ),
    FormCase(
        name="household_create",
        url="visits:household_create",
        form=lambda o, data: HouseholdForm(data, instance=Household(), user=o.staff),
        valid=lambda o: {
            "village": o.village.pk,
            "address": "西街5号",
            "head_name": "周建国",
            "phone": "13800005555",
            "size": 4,
            "status": "resident",
            "limited_mobility": "on",
        },
        created=lambda o: Household.objects.filter(head_name="周建国"),
        shown_on=("visits:household_list",),
        writable=("created_at",),
    ),
    FormCase(
        name="household_edit",
        url="visits:household_edit",
        setup=world,
        kwargs=lambda o: {"pk": o.household.pk},
        form=lambda o, data: HouseholdForm(data, instance=o.household, user=o.staff),
        valid=lambda o: {
            "village": o.village.pk,
            "address": "南街3号",
            "head_name": "刘玉珍",
            "phone": "13800006666",
            "size": 2,
            "status": "resident",
            "lives_alone_elderly": "on",
        },
        target=lambda o: o.household,
        shown_on=("visits:household_list", household_page),
    ),
    FormCase(
        name="household_import",
        url="visits:household_import",
        form=lambda o, data: ImportForm(*bind_files(data)),
        valid=lambda o: {"file": register_file()},
        created=lambda o: Household.objects.filter(head_name="导入户主"),
        shown_on=("visits:household_list",),
        writable=("created_at",),
    ),
    FormCase(
        name="pair_create",
        url="visits:pair_create",
        setup=world,
        form=lambda o, data: PairingForm(data, user=o.staff),
        valid=lambda o: {
            "deputy": o.deputy.pk,
            "household": o.elderly.pk,
            "started_on": timezone.localdate().isoformat(),
            "expected_every_days": 14,
            "notes": "每两周一次",
        },
        created=lambda o: Pairing.objects.filter(household=o.elderly),
        shown_on=("visits:pair_list",),
    ),
    FormCase(
        name="mediation_create",
        url="visits:mediation_create",
        form=lambda o, data: MediationForm(data, user=o.staff),
        valid=lambda o: {
            "village": o.village.pk,
            "occurred_on": timezone.localdate().isoformat(),
            "dispute": "两户宅基地界线纠纷",
            "outcome": MediationCase.Outcome.RESOLVED,
            "deputies": [o.deputy.pk],
        },
        created=lambda o: MediationCase.objects.filter(dispute="两户宅基地界线纠纷"),
        shown_on=("visits:mediation_list",),
        writable=("created_at",),
    ),
    FormCase(
        name="mediation_edit",
        url="visits:mediation_edit",
        setup=world,
        kwargs=lambda o: {"pk": o.case.pk},
        form=lambda o, data: MediationForm(data, user=o.staff, version=o.case.version),
        valid=lambda o: {
            "village": o.village.pk,
            "occurred_on": timezone.localdate().isoformat(),
            "dispute": "相邻两户排水纠纷",
            "outcome": MediationCase.Outcome.RESOLVED,
            "deputies": [o.deputy.pk],
            "version": o.case.version,
        },
        target=lambda o: o.case,
        shown_on=("visits:mediation_list",),
    ),
    FormCase(
        name="category_create",
        url="visits:category_list",
        form=lambda o, data: CategoryForm(data),
        valid=lambda o: {"name": "文化体育", "position": 20, "is_active": "on"},
        created=lambda o: OpinionCategory.objects.filter(town=o.town, name="文化体育"),
        shown_on=("visits:category_list",),
    ),
    FormCase(
        name="category_edit",
        url="visits:category_edit",
        setup=world,
        kwargs=lambda o: {"pk": o.category.pk},
        form=lambda o, data: CategoryForm(data, instance=o.category),
        valid=lambda o: {"name": "道路交通", "position": 3, "is_active": "on"},
        target=lambda o: o.category,
        shown_on=("visits:category_list",),
    ),
    FormCase(
        name="opinion_merge",
        url="visits:opinion_merge",
        setup=world,
        form=lambda o, data: MergeForm(data, user=o.staff),
        valid=lambda o: {
            "opinions": [o.opinion.pk],
            "merge-title": "路灯问题汇总",
            "merge-category": o.category.pk,
            "merge-reason": "同类问题",
        },
        created=lambda o: SummaryItem.objects.filter(title="路灯问题汇总"),
        shown_on=("visits:summary_list", "visits:opinion_triage"),
        writable=("created_by", "created_at", "updated_at"),
    ),
    FormCase(
        name="opinion_choice",
        url="visits:opinion_settle",
        setup=world,
        form=lambda o, data: ChosenOpinionsForm(data, user=o.staff),
        valid=lambda o: {"opinions": [o.opinion.pk], "settle-status": "answered", "settle-reason": "当场答复"},
        target=lambda o: o.opinion,
        shown_on=("visits:opinion_triage",),
        writable=("status", "reason"),
        page_fields=("settle-status", "settle-reason"),
        form_in=lambda context: None,  # the ticked opinions: a refusal comes back as a message on the list
    ),
    FormCase(
        name="opinion_settle",
        url="visits:opinion_settle",
        setup=world,
        form=lambda o, data: SettleOpinionsForm(data),
        valid=lambda o: {"opinions": [o.opinion.pk], "settle-status": "answered", "settle-reason": "当场答复"},
        target=lambda o: o.opinion,
        shown_on=("visits:opinion_triage",),
        writable=("status", "reason"),
    ),
    FormCase(
        name="summary_settle",
        url="visits:summary_settle",
        setup=world,
        kwargs=lambda o: {"pk": o.item.pk},
        form=lambda o, data: SettleItemForm(data, user=o.staff),
        valid=lambda o: {"status": "referred", "department": o.department.pk, "reason": "转农业农村办"},
        target=lambda o: o.item,
        shown_on=(item_page, "visits:summary_list"),
        writable=("status", "reason", "department", "updated_at"),
    ),
]
