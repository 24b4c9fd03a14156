"""The circular (通报) as a printable table, an .xlsx and an archived PDF: all read its frozen content."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from congress.spreadsheets import write_cell
from supervision.models import Circular, Light, LightReason

LIGHT_LABELS = dict(Light.choices)
REASON_LABELS = dict(LightReason.choices)


def headers() -> list[str]:
    return [_("No."), _("Project"), _("Planned %"), _("Actual %"), _("Change"), _("Light"), _("Why this light")]


def line_rows(circular: Circular) -> list[list[str]]:
    rows = []
    for number, line in enumerate(circular.content.get("lines", []), start=1):
        change = line.get("change")
        rows.append(
            [
                str(number),
                line["project"],
                str(line["planned"]),
                "" if line["actual"] is None else str(line["actual"]),
                "" if change is None else f"{change:+d}",
                str(LIGHT_LABELS.get(line["light"], line["light"])),
                str(REASON_LABELS.get(line["reason"], line["reason"])),
            ]
        )
    return rows


def workbook(circular: Circular) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Circular")[:31]
    width = len(headers())
    write_cell(ws, 1, 1, f"{circular.title}（v{circular.version}）").font = Font(size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    summary = circular.content.get("summary", {})
    write_cell(
        ws,
        2,
        1,
        "  ".join(f"{LIGHT_LABELS[light]}: {summary.get(light, 0)}" for light in ("green", "yellow", "red")),
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for c, label in enumerate(headers(), start=1):
        write_cell(ws, 3, c, label).font = Font(bold=True)
    for r, values in enumerate(line_rows(circular), start=4):
        for c, value in enumerate(values, start=1):
            write_cell(ws, r, c, value)
    row = 4 + len(circular.content.get("lines", [])) + 1
    write_cell(ws, row, 1, _("Problems")).font = Font(bold=True)
    for problem in circular.content.get("problems", []):
        row += 1
        write_cell(ws, row, 1, problem["project"])
        write_cell(ws, row, 2, problem["problems"])
    for c, w in enumerate([5, 24, 9, 9, 8, 8, 18], start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def pdf(circular: Circular) -> bytes:
    """The circular on A4 as the archive keeps it, always in the office's language (WeasyPrint, Noto CJK)."""
    # Imported here on purpose: importing weasyprint loads pango and its fonts (about a second and 20 MB
    # per process), and only publishing a circular needs it, not every worker that imports this module.
    from weasyprint import CSS, HTML  # noqa: PLC0415

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "supervision/circular_pdf.html",
            {"circular": circular, "headers": headers(), "rows": line_rows(circular)},
        )
    stylesheet = CSS(filename=finders.find("css/circular-pdf.css"))
    return bytes(HTML(string=html).write_pdf(stylesheets=[stylesheet]))
