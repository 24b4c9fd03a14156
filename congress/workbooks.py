"""Reading an uploaded workbook, bounded before it reads: the one way in for every spreadsheet import.

An upload is checked in the order that costs least: its size first, then its type by its first bytes
(a workbook is a zip; an old .xls or a password-protected workbook is an OLE2 file and each gets its own
message), then the zip's table of contents (a workbook that would unpack to far more than it weighs is
refused before anything is unpacked), and only then are rows read, one at a time, stopping as soon as
one more than the limit has been read. Every refusal is a ValidationError with a message in the
office's words, meant for the file field of the form.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 file holding a stream of this name (UTF-16 in the directory).
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
# What the parts of a workbook may unpack to, in all and per byte stored: real workbooks stay far below
# both (their XML packs about 5 to 30 times); a zip bomb packs thousands of times.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_PACKING_RATIO = 100
# How much of a sheet's XML is read to find its <dimension>, which comes before the rows.
SHEET_HEAD_BYTES = 64 * 1024

NOT_A_WORKBOOK = gettext_lazy("The file is not an Excel (.xlsx) workbook.")
DAMAGED_WORKBOOK = gettext_lazy("The workbook is damaged or incomplete: open it in Excel and save it again.")
PROTECTED_WORKBOOK = gettext_lazy(
    "The workbook is protected by a password: remove the password in Excel, then upload it."
)
OLD_WORKBOOK = gettext_lazy("This is an old Excel 97-2003 (.xls) file: save it in Excel as .xlsx, then upload it.")

# The errors a damaged workbook raises somewhere between opening and the last row.
DAMAGED = (InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, ParseError, OSError)


class Sheet:
    """The rows of a workbook's first sheet, read lazily; `rows_read` counts what was read so far."""

    def __init__(self, worksheet: Any, max_rows: int) -> None:
        self._worksheet = worksheet
        self.max_rows = max_rows
        self.rows_read = 0

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        try:
            for values in self._worksheet.iter_rows(values_only=True):
                self.rows_read += 1
                if self.rows_read > self.max_rows:
                    raise ValidationError(
                        _("At most %(n)s rows at a time: split the file and import it in parts.") % {"n": self.max_rows}
                    )
                yield tuple(values)
        except DAMAGED as exc:
            raise ValidationError(
                _("The workbook is damaged or incomplete: open it in Excel and save it again.")
            ) from exc


def _size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    file.seek(0, 2)
    end = file.tell()
    file.seek(0)
    return end


def check_workbook(file: IO[bytes], *, max_bytes: int | None = None) -> None:
    """Refuse what is not a readable .xlsx workbook, reading no more than its first bytes and its zip directory."""
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if _size(file) > limit:
        megabytes = limit / (1024 * 1024)
        shown = f"{megabytes:.0f}" if megabytes >= 1 else f"{megabytes:.2f}"
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": shown})
    file.seek(0)
    head = file.read(len(OLE2_MAGIC))
    file.seek(0)
    if head.startswith(OLE2_MAGIC):
        encrypted = ENCRYPTION_STREAM in file.read(limit)
        file.seek(0)
        raise ValidationError(PROTECTED_WORKBOOK if encrypted else OLD_WORKBOOK)
    if not head.startswith(ZIP_MAGIC):
        raise ValidationError(NOT_A_WORKBOOK)
    try:
        with zipfile.ZipFile(file) as archive:
            _check_archive(archive)
    except DAMAGED as exc:
        raise ValidationError(DAMAGED_WORKBOOK) from exc
    finally:
        file.seek(0)


def _check_archive(archive: zipfile.ZipFile) -> None:
    """The zip's table of contents, then the first bytes of each sheet; nothing else is unpacked."""
    parts = archive.infolist()
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise ValidationError(NOT_A_WORKBOOK)
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_PACKING_RATIO * max(packed, 1):
        raise ValidationError(_("The workbook unpacks to far more than its size: it cannot be read safely."))
    # Each sheet must state its size (<dimension>) before its rows, as Excel, WPS and LibreOffice write it:
    # without it the reader would scan the whole sheet just to open it.
    for part in parts:
        if not part.filename.startswith("xl/worksheets/sheet"):
            continue
        with archive.open(part) as stream:
            head = stream.read(SHEET_HEAD_BYTES)
        rows_at, dimension_at = head.find(b"<sheetData"), head.find(b"<dimension")
        if dimension_at == -1 or (rows_at != -1 and rows_at < dimension_at):
            raise ValidationError(DAMAGED_WORKBOOK)


def open_sheet(file: IO[bytes], *, max_rows: int, max_bytes: int | None = None) -> Sheet:
    """Check the upload (`check_workbook`), then open its first sheet for reading row by row.

    Formulas are read as written, not as their last results, so that an import can refuse them."""
    check_workbook(file, max_bytes=max_bytes)
    try:
        worksheet = load_workbook(file, read_only=True, data_only=False).active
    except DAMAGED as exc:
        raise ValidationError(DAMAGED_WORKBOOK) from exc
    if worksheet is None:
        raise ValidationError(_("The workbook has no sheet."))
    return Sheet(worksheet, max_rows)
