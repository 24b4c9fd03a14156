"""Printing to PDF with Chromium, checked as paper: the harness the print layouts of the supervision and
suggestion pages will use, proven here on the deputies list (50 rows: more than one A4 page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.pdf import print_to_pdf, tables_wider_than_paper

pytestmark = pytest.mark.usefixtures("shared_demo_district")

HEADER = ("名称", "选区", "电话")


@pytest.fixture
def deputy_list(new_page):
    page = new_page(signed_in_as="bf_staff")
    page.goto(reverse("congress:deputy_list"))
    return page


def test_deputy_list_prints_on_portrait_a4_with_chinese_as_text(deputy_list):
    printed = print_to_pdf(deputy_list)

    assert len(printed.pages) >= 2
    assert all(page.is_a4() and not page.landscape for page in printed.pages)
    assert printed.chinese_characters() > 100, "Chinese must be printed as text, not as boxes or images"
    first_deputy = deputy_list.locator("tbody tr td a").first.inner_text()
    assert first_deputy in printed.pages[0].text


def test_deputy_list_repeats_its_header_row_on_every_printed_page(deputy_list):
    printed = print_to_pdf(deputy_list)

    for number, page in enumerate(printed.pages, start=1):
        if any(name in page.text for name in deputy_list.locator("tbody tr td a").all_inner_texts()):
            assert all(cell in page.text for cell in HEADER), f"page {number} has rows but no header row"


def test_deputy_list_prints_landscape_when_asked(deputy_list):
    printed = print_to_pdf(deputy_list, landscape=True)

    assert all(page.is_a4() and page.landscape for page in printed.pages)


def test_deputy_list_table_fits_across_the_paper(deputy_list):
    assert tables_wider_than_paper(deputy_list) == []


def test_a_record_of_duty_prints_on_a4_and_fits_across(new_page):
    from congress.models import Deputy

    deputy = Deputy.objects.filter(town__slug="beifang").order_by("pk").first()
    page = new_page(signed_in_as="bf_chair")
    page.goto(reverse("activities:record_print", args=[deputy.pk]))
    printed = print_to_pdf(page)

    assert all(p.is_a4() for p in printed.pages)
    assert deputy.name in printed.pages[0].text
    assert not tables_wider_than_paper(page)


def test_the_reception_roster_prints_on_a4(new_page):
    page = new_page(signed_in_as="bf_cadre")
    page.goto(reverse("activities:roster_print"))
    printed = print_to_pdf(page)

    assert all(p.is_a4() for p in printed.pages)
    assert printed.chinese_characters() > 4
