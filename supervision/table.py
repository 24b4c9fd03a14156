"""The division-of-labour table (人大代表监督政府民生事项分工一览表): one set of rows for the page,
the print layout and the .xlsx, so the three always agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from congress.models import Town
from congress.spreadsheets import write_cell
from supervision.models import LivelihoodProject, MonthlyTarget


@dataclass(frozen=True)
class Column:
    label: object
    width: int  # in characters, for the .xlsx
    group: object | None = None
    css: str = ""  # the page's class for the column's width


DIVISION = gettext_lazy("Division of labour")
SUPERVISION = gettext_lazy("Supervision")
MONTHLY = gettext_lazy("Monthly targets and planned cumulative progress")

COLUMNS = [
    Column(gettext_lazy("No."), 5, css="col-no"),
    Column(gettext_lazy("Project"), 16, css="col-name"),
    Column(gettext_lazy("Main content and goals"), 30, css="col-content"),
    Column(gettext_lazy("Investment (10,000 yuan)"), 9, css="col-narrow"),
    Column(gettext_lazy("Funding source"), 10, css="col-narrow"),
    Column(gettext_lazy("Leader in charge"), 10, DIVISION, css="col-person"),
    Column(gettext_lazy("Lead department"), 12, DIVISION, css="col-department"),
    Column(gettext_lazy("Cooperating departments"), 12, DIVISION, css="col-department"),
    Column(gettext_lazy("Presidium member in contact"), 9, SUPERVISION, css="col-person"),
    Column(gettext_lazy("Deputy supervisors"), 12, SUPERVISION, css="col-department"),
    Column(gettext_lazy("Deadline"), 9, css="col-narrow"),
]


@dataclass(frozen=True)
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1


def title(town: Town, year: int) -> str:
    """The official title of the printed table, the same in every interface language."""
    return f"{year}年{town.name}人大代表监督政府民生事项分工一览表"


def projects(town: Town, year: int) -> QuerySet[LivelihoodProject]:
    """The projects the table lists: those adopted for the year, in their table order."""
    return LivelihoodProject.objects.of_town_year(town, year).adopted().for_table().order_by("position", "pk")


def months(project_list: list[LivelihoodProject]) -> list[dt.date]:
    """Every month any listed project has a target in, in order: one column each."""
    return sorted({t.month for p in project_list for t in p.targets.all()})


def columns(month_list: list[dt.date]) -> list[Column]:
    """The fixed columns, then one per month under a common heading."""
    spans_years = len({m.year for m in month_list}) > 1
    return COLUMNS + [
        Column(f"{m.year}年{m.month}月" if spans_years else f"{m.month}月", 11, MONTHLY, css="col-month")
        for m in month_list
    ]


def header_rows(column_list: list[Column]) -> tuple[list[HeaderCell], list[HeaderCell]]:
    """The two header rows: ungrouped columns span both, a group's name spans its columns above them."""
    top: list[HeaderCell] = []
    below: list[HeaderCell] = []
    i = 0
    while i < len(column_list):
        group = column_list[i].group
        if group is None:
            top.append(HeaderCell(str(column_list[i].label), rowspan=2))
            i += 1
            continue
        end = i
        while end + 1 < len(column_list) and column_list[end + 1].group == group:
            end += 1
        top.append(HeaderCell(str(group), colspan=end - i + 1))
        below.extend(HeaderCell(str(c.label)) for c in column_list[i : end + 1])
        i = end + 1
    return top, below


def _money(value: object) -> str:
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _month_cell(target: MonthlyTarget | None) -> str:
    if target is None:
        return ""
    return "\n".join(part for part in (target.target, f"{target.planned_percent}%") if part)


def rows(project_list: list[LivelihoodProject], month_list: list[dt.date]) -> list[list[str]]:
    """One list of cell texts per project; multi-value cells join their parts with '、' or new lines.

    Each month's cell holds the month's target and its planned cumulative percentage.
    """
    result = []
    for number, p in enumerate(project_list, start=1):
        by_month = {t.month: t for t in p.targets.all()}
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
                *(_month_cell(by_month.get(m)) for m in month_list),
            ]
        )
    return result


def workbook(town: Town, year: int, column_list: list[Column], table_rows: list[list[str]]) -> bytes:
    """The .xlsx: a merged title row, a two-level header with merged cells, set widths, A4 landscape."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(year)
    n = len(column_list)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    write_cell(ws, 1, 1, title(town, year)).font = Font(size=16, bold=True)
    ws.cell(row=1, column=1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.row_dimensions[1].height = 30

    top, below = header_rows(column_list)
    col = 1
    below_cells = iter(below)
    for cell in top:
        write_cell(ws, 2, col, cell.label)
        ws.merge_cells(start_row=2, start_column=col, end_row=1 + cell.rowspan, end_column=col + cell.colspan - 1)
        if cell.rowspan == 1:
            for c in range(col, col + cell.colspan):
                write_cell(ws, 3, c, next(below_cells).label)
        col += cell.colspan
    for r in (2, 3):
        for c in range(1, n + 1):
            header = ws.cell(row=r, column=c)
            header.font = Font(bold=True)
            header.alignment = centre
            header.border = border

    for r, values in enumerate(table_rows, start=4):
        for c, value in enumerate(values, start=1):
            cell = write_cell(ws, r, c, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    for c, column in enumerate(column_list, start=1):
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
