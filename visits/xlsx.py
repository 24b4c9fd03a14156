"""Excel files in the office layout: a title row naming the town and period, a header row, the rows,
and a totals row, ready to print on A4."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from congress.spreadsheets import safe_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def office_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    totals: Sequence[Any] | None = None,
    widths: Sequence[int] | None = None,
    sheet: str = "Sheet1",
) -> bytes:
    """The bytes of a one-sheet workbook: title row (merged), header, rows, optional totals row."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    columns = len(headers)
    ws.append(safe_row([title]))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws.append(safe_row(headers))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # Cells are styled by their address as each row is added: asking the sheet for its last row
    # (ws.max_row, ws[n]) scans every cell written so far, which made a long ledger quadratic.
    body = Alignment(vertical="top", wrap_text=True)
    bold = Font(bold=True)
    last = 2
    for row in rows:
        ws.append(safe_row(row))
        last += 1
        for column in range(1, columns + 1):
            cell = ws.cell(row=last, column=column)
            cell.border = BOX
            cell.alignment = body
    if totals is not None:
        ws.append(safe_row(totals))
        last += 1
        for column in range(1, columns + 1):
            cell = ws.cell(row=last, column=column)
            cell.font = bold
            cell.border = BOX
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
