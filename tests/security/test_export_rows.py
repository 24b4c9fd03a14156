"""Exports hold exactly what the list shows: for each export and each persona it lets in, the records in
the .xlsx are the records the matching page shows that persona under the same query (all of its pages),
never more (a wider register) and never fewer.

Each record carries a text no other record has (a visit's notes, a deputy's, a household head's or a
project's name), so the records an export holds are the known texts found among its cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congress.models import Deputy
from supervision import services
from supervision.models import Circular, LivelihoodProject
from tests import factories as core
from tests.conftest import PERSONAS
from tests.visits import factories
from visits.models import Household, Visit

pytestmark = pytest.mark.django_db


def texts_of(cells: Any) -> set[str]:
    return {str(value) for value in cells if value not in (None, "")}


def sheet_texts(content: bytes) -> set[str]:
    book = load_workbook(BytesIO(content), read_only=True)
    return {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}


def paged(model: Any, field: str) -> Callable[[Any], set[str]]:
    """The texts of every record of a paginated list (all pages, not only the first)."""

    def keys(context: Any) -> set[str]:
        ids = list(context["page"].paginator.object_list)
        pks = [i if isinstance(i, int) else i.pk for i in ids]
        return set(model.objects.filter(pk__in=pks).values_list(field, flat=True))

    return keys


def quota_keys(context: Any) -> set[str]:
    return {deputy.name for deputy, _result in context["rows"]}


def table_keys(context: Any) -> set[str]:
    return texts_of(cell for row in context["rows"] for cell in row)


@dataclass(frozen=True)
class Export:
    name: str
    page: Callable[[SimpleNamespace], str]
    export: Callable[[SimpleNamespace], str]
    page_keys: Callable[[Any], set[str]]
    known: Callable[[], set[str]]  # every record's own text, of every town


def url(name: str, query: str = "", pk: Callable[[SimpleNamespace], Any] | None = None) -> Callable[..., str]:
    return lambda o: reverse(name, args=[pk(o).pk] if pk else None) + query


def notes() -> set[str]:
    return set(Visit.objects.values_list("notes", flat=True))


def deputies() -> set[str]:
    return set(Deputy.objects.values_list("name", flat=True))


def heads() -> set[str]:
    return set(Household.objects.values_list("head_name", flat=True))


def projects() -> set[str]:
    return set(LivelihoodProject.objects.values_list("name", flat=True))


EXPORTS = [
    Export("ledger", url("visits:ledger", "?year=2026"), url("visits:ledger_export", "?year=2026"),
           paged(Visit, "notes"), notes),
    Export("ledger of one village", url("visits:ledger", "?year=2026&village={village}"),
           url("visits:ledger_export", "?year=2026&village={village}"), paged(Visit, "notes"), notes),
    Export("quota", url("visits:quota_overview", "?year=2026"), url("visits:quota_export", "?year=2026"), quota_keys,
           deputies),
    Export("household register", url("visits:household_list"), url("visits:household_export"),
           paged(Household, "head_name"), heads),
    Export("household register, one village", url("visits:household_list", "?village={village}"),
           url("visits:household_export", "?village={village}"), paged(Household, "head_name"), heads),
    Export("division table", url("supervision:division_table", "?year=2026"),
           url("supervision:division_table_xlsx", "?year=2026"), table_keys, projects),
    Export("circular", url("supervision:circular_detail", pk=lambda o: o.circular),
           url("supervision:circular_xlsx", pk=lambda o: o.circular), table_keys, projects),
]  # fmt: skip


@pytest.fixture
def records(cast):
    """Visits, households and projects in both villages of the town and in the other town."""
    other_village = core.VillageFactory(town=cast.other_town, name="溪翁庄村")
    core.DeputyFactory(town=cast.other_town, name="王外镇")
    n = 0
    for village, deputy in [(cast.village, cast.deputy), (cast.other_village, cast.other_deputy),
                            (other_village, None)]:  # fmt: skip
        for i in range(3):
            n += 1
            home = factories.HouseholdFactory(town=village.town, village=village, head_name=f"户主{n}号")
            factories.VisitFactory(
                town=village.town, household=home, village=village, deputies=[deputy] if deputy else [],
                recorded_by=cast.staff if village.town == cast.town else cast.outsider_staff,
                notes=f"走访记录{n}号", visited_on=dt.date(2026, 3, i + 1),
            )  # fmt: skip
    made = []
    for name, supervisor, department in [("乡村公路大修", cast.deputy, cast.department),
                                         ("敬老院改造", cast.other_deputy, None)]:  # fmt: skip
        project = services.create_project(
            by=cast.staff, town=cast.town, year=2026, name=name, content="内容",
            start=dt.date(2026, 3, 1), deadline=dt.date(2026, 8, 31),
            lead_department=department or core.DepartmentFactory(town=cast.town, name="民政科"),
            supervisors=[supervisor],
        )  # fmt: skip
        services.adopt_project(project=project, by=cast.staff)
        services.start_project(project=project, by=cast.staff)
        services.save_targets(project=project, by=cast.staff, rows=services.proposed_targets(project))
        made.append(project)
    april = services.open_round(town=cast.town, year=2026, month=4, by=cast.staff)
    for review in april.reviews.all():
        services.record_review(review=review, by=cast.staff, actual_percent=5, today=dt.date(2026, 4, 15))
    cast.circular = services.draft_circular(round_=april, by=cast.staff)
    assert isinstance(cast.circular, Circular)
    return cast


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_an_export_holds_the_records_its_page_shows_to_each_role(records, client, export):
    o = records
    compared = 0
    for persona in PERSONAS[1:]:
        client.force_login(getattr(o, persona))
        page_url = export.page(o).format(village=o.village.pk)
        export_url = export.export(o).format(village=o.village.pk)
        sheet = client.get(export_url)
        if sheet.status_code != 200:
            continue  # the permission matrix says who may export; here only what an export holds
        page = client.get(page_url)
        assert page.status_code == 200, f"{persona}: the export opens but its page answers {page.status_code}"
        known = export.known()
        shown = export.page_keys(page.context) & known
        exported = sheet_texts(sheet.content) & known
        assert exported == shown, (
            f"{persona}: exported {sorted(exported - shown)} not shown, shown but missing {sorted(shown - exported)}"
        )
        compared += 1
    assert compared >= 2  # at least the office and one more role exported something to compare
