"""The supervision papers printed to PDF by Chromium: the division-of-labour table (分工一览表) on A4
landscape and a circular (通报) from its print view on A4 portrait, each with its header row on every
page that has rows, Chinese printed as text, and no table wider than the paper."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import Department, Town
from supervision import table
from supervision.models import Circular
from tests.e2e.pdf import print_to_pdf, tables_wider_than_paper
from tests.supervision.factories import LivelihoodProjectFactory


def header_on_every_page_with_rows(printed, header: list[str], row_marks: list[str]) -> list[int]:
    """The numbers of the pages that print table rows but not the header row."""
    missing = []
    for number, page in enumerate(printed.pages, start=1):
        text = squeezed(page.text)  # a header cell may wrap over lines in its narrow column
        if any(squeezed(mark) in text for mark in row_marks) and not all(squeezed(cell) in text for cell in header):
            missing.append(number)
    return missing


def squeezed(text: str) -> str:
    """Text without white space, in the compatibility forms the PDF's text comes back in."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.usefixtures("demo_district")
def test_division_table_prints_on_landscape_a4_with_its_header_on_every_page(new_page):
    town = Town.objects.get(slug="beifang")
    department = Department.objects.filter(town=town).first()
    projects = LivelihoodProjectFactory.create_batch(
        24,
        town=town,
        year=timezone.localdate().year,
        lead_department=department,
        content="对村内主干道进行整体翻修，补齐路灯与排水设施，完善无障碍通道，方便老年人和残疾人出行。",
    )
    page = new_page(signed_in_as="bf_staff")
    page.goto(reverse("supervision:division_table"))
    header = [cell.strip() for cell in page.locator("#division-table thead th").all_inner_texts()][:3]

    printed = print_to_pdf(page)

    assert len(printed.pages) >= 2, "24 projects fill more than one sheet"
    assert all(sheet.is_a4() and sheet.landscape for sheet in printed.pages)
    assert printed.chinese_characters() > 500, "Chinese must be printed as text"
    names = [squeezed(p.name) for p in projects]
    assert sum(any(name in squeezed(sheet.text) for name in names) for sheet in printed.pages) >= 2
    assert header_on_every_page_with_rows(printed, header, names) == []
    assert tables_wider_than_paper(page, landscape=True) == []


@pytest.mark.usefixtures("demo_district_with_projects")
def test_the_demo_years_table_with_its_month_columns_fits_landscape_a4_and_matches_the_xlsx(new_page):
    year = timezone.localdate().year
    page = new_page(signed_in_as="bf_staff")
    page.goto(reverse("supervision:division_table") + f"?year={year}")
    months = [cell.strip() for cell in page.locator("#division-table thead tr:nth-child(2) th").all_inner_texts()]
    months = [label for label in months if label.endswith("月")]
    page_rows = page.locator("#division-table tbody tr").count()

    printed = print_to_pdf(page)

    assert len(months) >= 6, "the demo's projects run from March to the autumn"
    assert all(sheet.is_a4() and sheet.landscape for sheet in printed.pages)
    assert tables_wider_than_paper(page, landscape=True) == []
    first = squeezed(printed.pages[0].text)
    assert all(squeezed(label) in first for label in months), "every month column is printed, none cut off"
    # The .xlsx of the same table carries as many rows as the page (the unit tests compare every cell).
    response = page.request.get(reverse("supervision:division_table_xlsx") + f"?year={year}")
    sheet = load_workbook(io.BytesIO(response.body())).active
    assert sheet.max_row - table.HEADER_ROWS == page_rows > 0


@pytest.mark.usefixtures("demo_district_with_projects")
def test_circular_prints_on_portrait_a4_with_chinese_as_text(new_page):
    circular = Circular.objects.filter(town__slug="beifang").order_by("-round__year", "-round__month").first()
    page = new_page(signed_in_as="bf_chair")
    page.goto(reverse("supervision:circular_print", args=[circular.pk]))
    header = [cell.strip() for cell in page.locator("#circular-lines thead th").all_inner_texts()]

    printed = print_to_pdf(page)

    assert all(sheet.is_a4() and not sheet.landscape for sheet in printed.pages)
    # The title is letter-spaced, and a font may map 民 to its look-alike radical: compare its tail.
    assert squeezed(circular.title)[2:] in squeezed(printed.pages[0].text)
    assert printed.chinese_characters() > 100
    projects = [line["project"] for line in circular.content["lines"]]
    assert header_on_every_page_with_rows(printed, header, projects) == []
    assert tables_wider_than_paper(page) == []
