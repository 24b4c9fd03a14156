"""Every malformed spreadsheet an office may send gets a clear Chinese message on the file field, and
nothing is saved; a huge sheet is refused after reading one row more than the limit (congress.workbooks)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import msoffcrypto
import pytest
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from visits import register_import
from visits.models import Household
from visits.register_import import import_households

pytestmark = pytest.mark.django_db

HEADINGS = ["村/社区", "地址", "户主姓名", "联系电话", "家庭人口"]


def _workbook_bytes(rows, merge: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _good() -> bytes:
    return _workbook_bytes([HEADINGS, ["北房村", "北街1号", "张晓明", "13812345678", 3]])


def _encrypted() -> bytes:
    out = io.BytesIO()
    msoffcrypto.OfficeFile(io.BytesIO(_good())).encrypt("mima2026", out)
    return out.getvalue()


def _old_xls() -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("住户")
    for column, heading in enumerate(HEADINGS):
        sheet.write(0, column, heading)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A workbook whose sheet unpacks to 200 MB of one repeated byte: stored in a few hundred kilobytes."""
    buffer = io.BytesIO()
    good = zipfile.ZipFile(io.BytesIO(_good()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in good.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(part, good.read(part))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(200):
                sheet.write(block)
    return buffer.getvalue()


def _without_dimension() -> bytes:
    """A sheet that does not state its size: the reader would scan all of it before the first row."""
    buffer = io.BytesIO()
    good = zipfile.ZipFile(io.BytesIO(_good()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in good.infolist():
            content = good.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            archive.writestr(part, content)
    return buffer.getvalue()


def _not_a_workbook_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


CASES = {
    # name: (file bytes, a part of the Chinese message on the file field)
    "truncated zip": (lambda: _good()[: len(_good()) // 2], "已损坏或不完整"),
    "pdf renamed .xlsx": (lambda: b"%PDF-1.7\n" + b"0" * 4000, "不是Excel"),
    "csv renamed .xlsx": (lambda: "村/社区,地址,户主姓名\n北房村,北街1号,张晓明\n".encode(), "不是Excel"),
    "empty file": (lambda: b"", "空文件"),
    "password-protected": (_encrypted, "设置了密码"),
    "old .xls renamed": (_old_xls, "97-2003"),
    "zip that is no workbook": (_not_a_workbook_zip, "不是Excel"),
    "zip bomb": (_zip_bomb, "解压后"),
    "sheet without its size": (_without_dimension, "已损坏或不完整"),
    "10 MB of zeros": (lambda: b"\x00" * (10 * 1024 * 1024), "不是Excel"),
    "empty sheet": (lambda: _workbook_bytes([]), "表格是空的"),
    "only the headings": (lambda: _workbook_bytes([HEADINGS]), "没有住户"),
    "merged heading cells": (
        lambda: _workbook_bytes([["村/社区", None, "户主姓名"], ["北房村", "北街1号", "张晓明"]], merge="A1:B1"),
        "未找到包含",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_malformed_file_gets_a_chinese_message_on_the_field(client, cast, name):
    content, says = CASES[name]
    client.force_login(cast.staff)

    response = client.post(reverse("visits:household_import"), {"file": SimpleUploadedFile("住户名册.xlsx", content())})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["file"], errors
    assert says in " ".join(errors["file"])
    assert not Household.objects.exists()


def test_formulas_and_dates_in_cells_are_named_by_row_and_column(client, cast):
    client.force_login(cast.staff)
    content = _workbook_bytes(
        [
            HEADINGS,
            ["北房村", '=HYPERLINK("http://x")', "张晓明", "", 3],
            ["北房村", "北街2号", "王五", "", date(2026, 5, 1)],
            ["北房村", "北街3号", "赵六", "", "2026-05-01"],
        ]
    )

    response = client.post(reverse("visits:household_import"), {"file": SimpleUploadedFile("a.xlsx", content)})

    problems = [(p.row, p.column) for p in response.context["report"].problems]
    assert problems == [(2, "地址"), (3, "家庭人口"), (4, "家庭人口")]
    assert not Household.objects.exists()


def test_an_oversized_file_is_refused_before_a_byte_is_read(cast, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    upload = SimpleUploadedFile(
        "a.xlsx", _workbook_bytes([HEADINGS] + [["北房村", f"{n}号", f"户{n}"] for n in range(300)])
    )

    report = import_households(by=cast.staff, file=upload)

    assert len(report.problems) == 1 and "MB" in report.problems[0].message
    assert report.rows_read == 0


@pytest.fixture(scope="module")
def a_million_rows(tmp_path_factory) -> bytes:
    """A sheet of 1,000,000 households written straight as XML (openpyxl would take minutes to write it)."""
    good = zipfile.ZipFile(io.BytesIO(_good()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for part in good.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(part, good.read(part))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><dimension ref="A1:C1000000"/><sheetData>'
            )
            heading = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADINGS[:3])
            sheet.write(f'<row r="1">{heading}</row>'.encode())
            for n in range(2, 1_000_001):
                sheet.write(
                    f'<row r="{n}"><c t="inlineStr"><is><t>北房村</t></is></c><c t="inlineStr"><is><t>北街{n}号'
                    f'</t></is></c><c t="inlineStr"><is><t>户主{n * 7919 % 1000003}</t></is></c></row>'.encode()
                )
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_million_row_sheet_is_refused_after_one_row_more_than_the_limit(cast, a_million_rows, settings):
    settings.UPLOAD_MAX_BYTES = 64 * 1024 * 1024

    report = import_households(by=cast.staff, file=SimpleUploadedFile("a.xlsx", a_million_rows))

    assert [p.column for p in report.problems] == [""]
    assert "20000" in report.problems[0].message
    assert report.rows_read == register_import.MAX_ROWS + 1
    assert not Household.objects.exists()
