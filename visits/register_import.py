"""Importing the household register from .xlsx: every row is checked first, and either all rows are
saved or none, with a report naming the row and column of each problem. The file is read through
congress.workbooks, which bounds it before reading and stops after the row limit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import access
from congress.models import Town, User, Village
from congress.phones import normalise_phone
from congress.workbooks import Sheet, open_sheet
from visits.models import Household
from visits.pinyin import initials

# The office's column headings (the file is filled in by hand in Chinese); a column may be absent only
# if it is optional.
COLUMNS = {
    "village": "村/社区",
    "address": "地址",
    "head_name": "户主姓名",
    "phone": "联系电话",
    "size": "家庭人口",
    "status": "状态",
    "lives_alone_elderly": "孤寡老人",
    "limited_mobility": "行动不便",
}
REQUIRED = ("village", "address", "head_name")
# The fields a row of the sheet changes on a household already in the register (matched by village,
# address and head of household).
UPDATED_FIELDS = ("phone", "size", "status", "lives_alone_elderly", "limited_mobility")
STATUS_WORDS = {"在住": "resident", "迁出": "moved_out", "注销": "deregistered", "": "resident"}
YES = {"是", "√", "✓", "1", "Y", "y", "yes"}
NO = {"否", "", "0", "N", "n", "no", "×"}
# Rows a sheet may hold, headings included: reading stops at the one after (congress.workbooks).
MAX_ROWS = 20000
HEADER_SEARCH_ROWS = 5


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def import_households(*, by: User, file: IO[bytes]) -> ImportReport:
    """Check every row of the sheet, then save them all in one transaction, or save nothing.

    A row matching a household already registered (same village, address and head) updates it.
    """
    if not access.can(by, "visits.import_households"):
        raise PermissionDenied
    town = access.home_town(by)
    report = ImportReport()
    sheet: Sheet | None = None
    try:
        sheet = open_sheet(file, max_rows=MAX_ROWS)
        # Read first (it stops one row past the limit), then check: a sheet too long is refused at once.
        rows = iter(list(sheet))
        head = list(islice(rows, HEADER_SEARCH_ROWS))
        if not any(any(_text(value) for value in values) for values in head):
            raise ValidationError(_("The sheet is empty."))
        header_at, positions = _find_header(head)
        if positions is None:
            missing = "、".join(COLUMNS[c] for c in REQUIRED)
            report.problems.append(ImportProblem(1, "", _("No heading row with the columns %(c)s.") % {"c": missing}))
            return report
        to_create, to_update = _check_rows(by, town, chain(head[header_at + 1 :], rows), header_at, positions, report)
    except ValidationError as exc:  # the file as a whole: too large, not a workbook, damaged, too many rows
        report.problems = [ImportProblem(0, "", message) for message in exc.messages]
        return report
    finally:
        report.rows_read = sheet.rows_read if sheet is not None else 0
    if not report.problems and not to_create and not to_update:
        report.problems.append(ImportProblem(0, "", _("The sheet has the headings but no household below them.")))
    if report.problems:
        return report
    today = timezone.localdate()
    for household in chain(to_create, to_update):
        household.note_status(today)
    with transaction.atomic():
        Household.objects.bulk_create(to_create, batch_size=1000)
        Household.objects.bulk_update(to_update, [*UPDATED_FIELDS, "left_on"], batch_size=1000)
    report.created, report.updated = len(to_create), len(to_update)
    return report


def _check_rows(
    by: User,
    town: Town,
    rows: Iterable[tuple[Any, ...]],
    header_at: int,
    positions: dict[str, int],
    report: ImportReport,
) -> tuple[list[Household], list[Household]]:
    """Check each row below the headings; the households to create and to update (the problems go in `report`)."""
    villages = {v.name: v for v in access.scope(by, Village).filter(town=town)}
    existing = {
        (h.village_id, h.address, h.head_name): h
        for h in access.scope(by, Household).filter(town=town).select_related("village")
    }
    seen: dict[tuple[int, str, str], int] = {}
    to_create: list[Household] = []
    to_update: list[Household] = []
    for offset, values in enumerate(rows, start=header_at + 2):
        cells = {key: _text(values[i]) if i < len(values) else "" for key, i in positions.items()}
        if not any(cells.values()):
            continue
        household = _parse_row(offset, cells, villages, report)
        if household is None:
            continue
        key = (household.village_id, household.address, household.head_name)
        if key in seen:
            report.problems.append(
                ImportProblem(offset, COLUMNS["head_name"], _("Same household as row %(n)s.") % {"n": seen[key]})
            )
            continue
        seen[key] = offset
        current = existing.get(key)
        if current is not None:
            for name in UPDATED_FIELDS:
                setattr(current, name, getattr(household, name))
            household = current
        try:
            household.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    report.problems.append(ImportProblem(offset, COLUMNS.get(name, name), message))
            continue
        (to_update if current is not None else to_create).append(household)
    return to_create, to_update


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int] | None]:
    """The heading row may follow a title row or two: look in the first five."""
    by_heading = {heading: key for key, heading in COLUMNS.items()}
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions = {}
        for i, value in enumerate(values):
            key = by_heading.get(_text(value))
            if key:
                positions[key] = i
        if all(key in positions for key in REQUIRED):
            return index, positions
    return 0, None


def _parse_row(row: int, cells: dict[str, str], villages: dict[str, Village], report: ImportReport) -> Household | None:
    problems_before = len(report.problems)

    def problem(key: str, message: str) -> None:
        report.problems.append(ImportProblem(row, COLUMNS[key], message))

    formulas = {key for key, value in cells.items() if value.startswith("=")}
    for key in formulas:
        problem(key, _("A formula: enter the value itself."))
        cells[key] = ""
    for key in REQUIRED:
        if not cells.get(key) and key not in formulas:
            problem(key, _("Required."))
    village = villages.get(cells.get("village", ""))
    if cells.get("village") and village is None:
        problem("village", _("No village “%(name)s” that you may keep.") % {"name": cells["village"]})
    size = 1
    if cells.get("size"):
        try:
            size = int(float(cells["size"]))
        except ValueError:
            size = 0
        if not 1 <= size <= 50:
            problem("size", _("A whole number from 1 to 50."))
    try:
        phone = normalise_phone(cells.get("phone", ""))
    except ValidationError as exc:
        phone = ""
        problem("phone", " ".join(exc.messages))
    status = STATUS_WORDS.get(cells.get("status", ""))
    if status is None:
        problem("status", _("One of 在住, 迁出, 注销."))
    flags = {}
    for key in ("lives_alone_elderly", "limited_mobility"):
        value = cells.get(key, "")
        if value in YES:
            flags[key] = True
        elif value in NO:
            flags[key] = False
        else:
            problem(key, _("是 or 否."))
    if len(cells.get("address", "")) > 200:
        problem("address", _("At most 200 characters."))
    if len(cells.get("head_name", "")) > 30:
        problem("head_name", _("At most 30 characters."))
    if len(report.problems) > problems_before or village is None:
        return None
    return Household(
        town_id=village.town_id,
        village=village,
        address=cells["address"],
        head_name=cells["head_name"],
        head_initials=initials(cells["head_name"]),
        phone=phone,
        size=size,
        status=status or "resident",
        **flags,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
