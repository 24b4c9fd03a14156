"""The division-of-labour table (人大代表监督政府民生事项分工一览表): one set of rows for the page,
the print layout and the .xlsx, so the three always agree."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from congress.models import Town
from congress.spreadsheets import write_cell
from supervision.models import LivelihoodProject


@dataclass(frozen=True)
class Column:
    label: object
    width: int  # in characters, for the .xlsx
    group: object | None = None


COLUMNS = [
    Column(gettext_lazy("No."), 5),
    Column(gettext_lazy("Project"), 16),
    Column(gettext_lazy("Main content and goals"), 30),
    Column(gettext_lazy("Investment (10,000 yuan)"), 9),
    Column(gettext_lazy("Funding source"), 10),
    Column(gettext_lazy("Leader in charge"), 10, gettext_lazy("Division of labour")),
    Column(gettext_lazy("Lead department"), 12, gettext_lazy("Division of labour")),
    Column(gettext_lazy("Cooperating departments"), 12, gettext_lazy("Division of labour")),
    Column(gettext_lazy("Presidium member in contact"), 9, gettext_lazy("Supervision")),
    Column(gettext_lazy("Deputy supervisors"), 12, gettext_lazy("Supervision")),
    Column(gettext_lazy("Deadline"), 9),
    Column(gettext_lazy("Monthly targets"), 30),
]


def title(town: Town, year: int) -> str:
    """The official title of the printed table, the same in every interface language."""
    return f"{year}年{town.name}人大代表监督政府民生事项分工一览表"


def projects(town: Town, year: int) -> QuerySet[LivelihoodProject]:
    """The projects the table lists: those adopted for the year, in their table order."""
    return LivelihoodProject.objects.of_town_year(town, year).adopted().for_table().order_by("position", "pk")


def _money(value: object) -> str:
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rows(project_list: list[LivelihoodProject]) -> list[list[str]]:
    """One list of cell texts per project; multi-value cells join their parts with '、' or new lines."""
    result = []
    for number, p in enumerate(project_list, start=1):
        targets = "\n".join(f"{t.month.month}月 {t.planned_percent}% {t.target}".strip() for t in p.targets.all())
        result.append(
            [
                str(number),
                p.name,
                p.content,
                _money(p.investment),
                p.funding_source,
                p.lead_leader_display,
                p.lead_department.name if p.lead_department else "",
                "、".join(d.name for d in p.cooperating_departments.all()),
                p.presidium_member.name if p.presidium_member else "",
                "、".join(d.name for d in p.supervisors.all()),
                p.deadline_display,
                targets,
            ]
        )
    return result


def workbook(town: Town, year: int, table_rows: list[list[str]]) -> bytes:
    """The .xlsx: a merged title row, a two-level header with merged cells, set widths, A4 landscape."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(year)
    n = len(COLUMNS)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    write_cell(ws, 1, 1, title(town, year)).font = Font(size=16, bold=True)
    ws.cell(row=1, column=1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.row_dimensions[1].height = 30

    col = 1
    while col <= n:
        group = COLUMNS[col - 1].group
        if group is None:
            write_cell(ws, 2, col, str(COLUMNS[col - 1].label))
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
            col += 1
            continue
        end = col
        while end + 1 <= n and COLUMNS[end].group == group:
            end += 1
        write_cell(ws, 2, col, str(group))
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=end)
        for c in range(col, end + 1):
            write_cell(ws, 3, c, str(COLUMNS[c - 1].label))
        col = end + 1
    for r in (2, 3):
        for c in range(1, n + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(bold=True)
            cell.alignment = centre
            cell.border = border

    for r, values in enumerate(table_rows, start=4):
        for c, value in enumerate(values, start=1):
            cell = write_cell(ws, r, c, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    for c, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = column.width

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:3"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HEADER_ROWS = 3  # title + two header rows: data starts on row 4 of the .xlsx
