"""Exported .xlsx files never carry a formula a user typed: every cell of every export of the portal
(visit ledger, visit quota, household register, division-of-labour table, circular) is read back.

Records are filled with formula-injection payloads (and a control character the xlsx format cannot
hold); each export must answer 200, hold no formula cell, and show each payload as inert text.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congress.spreadsheets import FORMULA_STARTS, SIGNED_NUMBER, safe_cell_value
from supervision import services
from tests import factories as core
from tests.visits import factories

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example","点击")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "=1+1\x01",
]


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def cells(content: bytes) -> list:
    book = load_workbook(BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_inert(response) -> None:
    assert response.status_code == 200
    found = cells(response.content)
    assert not [c.coordinate for c in found if c.data_type == "f"], "a formula cell in the export"
    texts = [c.value for c in found if isinstance(c.value, str)]
    live = [t for t in texts if t.startswith(FORMULA_STARTS) and not SIGNED_NUMBER.fullmatch(t)]
    assert not live, f"cells a spreadsheet would run: {live}"
    # The payloads did reach the sheet, neutralised: the check above looked at something.
    assert any(t.startswith("'") and t[1:].startswith(FORMULA_STARTS) for t in texts)


@pytest.fixture
def hostile(cast):
    """A village, deputy, household, visit and project whose every text is a payload."""
    village = core.VillageFactory(town=cast.town, name='=A1&"村"')
    cast.deputy.name = "@A1"
    cast.deputy.save(update_fields=["name"])
    home = factories.HouseholdFactory(
        town=cast.town, village=village, address=payload(1), head_name="=A1+1", phone="-1+A1"
    )
    factories.VisitFactory(
        town=cast.town, household=home, village=village, deputies=[cast.deputy], recorded_by=cast.staff,
        notes=payload(4), visited_on=dt.date(2026, 3, 10),
    )  # fmt: skip
    project = services.create_project(
        by=cast.staff, town=cast.town, year=2026, name=payload(0), content=payload(1), rationale=payload(2),
        funding_source=payload(3), lead_leader_name="+A1", deadline_text="=A1",
        start=dt.date(2026, 3, 1), deadline=dt.date(2026, 8, 31), lead_department=cast.department,
        supervisors=[cast.deputy],
    )  # fmt: skip
    services.adopt_project(project=project, by=cast.staff)
    services.start_project(project=project, by=cast.staff)
    services.save_targets(project=project, by=cast.staff, rows=services.proposed_targets(project))
    april = services.open_round(town=cast.town, year=2026, month=4, by=cast.staff)
    services.record_review(
        review=april.reviews.get(), by=cast.staff, actual_percent=5, problems=payload(0), today=dt.date(2026, 4, 15)
    )
    return services.draft_circular(round_=april, by=cast.staff)


@pytest.mark.parametrize(
    "url",
    [
        reverse("visits:ledger_export") + "?year=2026",
        reverse("visits:quota_export") + "?year=2026",
        reverse("visits:household_export"),
        reverse("visits:household_export") + "?full=1",
        reverse("supervision:division_table_xlsx") + "?year=2026",
    ],
)
def test_no_export_carries_a_formula_a_user_typed(cast, client, hostile, url):
    client.force_login(cast.staff)
    assert_inert(client.get(url))


def test_the_circular_carries_no_formula_a_user_typed(cast, client, hostile):
    client.force_login(cast.staff)
    assert_inert(client.get(reverse("supervision:circular_xlsx", args=[hostile.pk])))


def test_the_safe_cell_keeps_text_and_numbers_and_neutralises_formulas():
    assert safe_cell_value("=1+1") == "'=1+1"
    assert safe_cell_value("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell_value("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0"
    assert safe_cell_value("a\x00b\x01") == "ab"
    assert safe_cell_value("+5") == "+5"  # a change of percentage, as the circular shows it
    assert safe_cell_value("-3.5%") == "-3.5%"
    assert safe_cell_value("北房村") == "北房村"
    assert safe_cell_value(-7) == -7
    assert safe_cell_value(None) is None
