"""Writing cells of exported .xlsx files safely: every exporter of the portal writes through here.

Text that users typed (a household's address, a project's name, a review's problems) ends up in
workbooks that staff open in Excel or WPS and often save again as CSV. Text starting with = + - @ (or a
tab or carriage return) is read there as a formula (formula injection, "CSV injection"), and openpyxl
itself stores a string starting with "=" as a formula. Such text gets a leading apostrophe, the OWASP
advice. A plain signed number ("+5", "-3", "+8613800001111") carries no formula and is left alone, so
figures such as a change of percentage read as they do on the page. Characters the xlsx format cannot
hold (control characters) are dropped rather than failing the whole export.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SIGNED_NUMBER = re.compile(r"[+-]\d+(\.\d+)?%?")


def safe_cell_value(value: Any) -> Any:
    """The value as a spreadsheet should hold it: text that could run as a formula is neutralised."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS) and not SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Any) -> list[Any]:
    return [safe_cell_value(value) for value in values]


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """ws.cell(row, column, value) with the value made safe."""
    return ws.cell(row=row, column=column, value=safe_cell_value(value))
