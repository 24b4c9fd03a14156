"""Print a page to PDF with Chromium and read it back, to check print layouts as paper sees them.

Chromium prints with the page's print CSS (`page.pdf` uses the print media type). The PDF is read with
pypdf: page sizes and orientation from the media boxes, the text from the embedded fonts' Unicode maps,
so Chinese shows up as Chinese only when it was printed as text and not as boxes or images.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4
A4_MM = (210.0, 297.0)
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class PrintedPage:
    width_mm: float
    height_mm: float
    text: str

    @property
    def landscape(self) -> bool:
        return self.width_mm > self.height_mm

    def is_a4(self, tolerance_mm: float = 1.0) -> bool:
        short, long = sorted((self.width_mm, self.height_mm))
        return abs(short - A4_MM[0]) <= tolerance_mm and abs(long - A4_MM[1]) <= tolerance_mm

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


@dataclass(frozen=True)
class PrintedDocument:
    data: bytes
    pages: list[PrintedPage]

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    def chinese_characters(self) -> int:
        return len(CJK.findall(self.text))


# Chrome's print dialog leaves about a centimetre on every side unless the page's @page rule says otherwise.
DEFAULT_MARGIN_MM = 10.0


def print_to_pdf(page: Any, *, landscape: bool = False, margin_mm: float = DEFAULT_MARGIN_MM) -> PrintedDocument:
    """The current page printed on A4 by Chromium, as from the print dialog; a page size its print CSS
    sets (`@page { size: A4 landscape }`) wins over `landscape`."""
    margin = f"{margin_mm}mm"
    data = page.pdf(
        format="A4",
        landscape=landscape,
        print_background=True,
        prefer_css_page_size=True,
        margin={"top": margin, "right": margin, "bottom": margin, "left": margin},
    )
    return read_pdf(data)


def read_pdf(data: bytes) -> PrintedDocument:
    reader = PdfReader(io.BytesIO(data))
    pages = []
    for pdf_page in reader.pages:
        box = pdf_page.mediabox
        rotated = (pdf_page.get("/Rotate") or 0) % 180 == 90
        width, height = float(box.width) / POINTS_PER_MM, float(box.height) / POINTS_PER_MM
        if rotated:
            width, height = height, width
        # NFKC: a font may map a common character to its look-alike radical (⽥ for 田) in its Unicode table.
        text = unicodedata.normalize("NFKC", pdf_page.extract_text() or "")
        pages.append(PrintedPage(width_mm=width, height_mm=height, text=text))
    return PrintedDocument(data=data, pages=pages)


def tables_wider_than_paper(page: Any, *, landscape: bool = False, margin_mm: float = DEFAULT_MARGIN_MM) -> list[str]:
    """Tables that would not fit across an A4 sheet: laid out with print CSS at the sheet's printable width
    (CSS pixels are 1/96 inch), as Chromium lays out a printed page. Each as "selector: width px"."""
    short, long = A4_MM
    width_px = round(((long if landscape else short) - 2 * margin_mm) / 25.4 * 96)
    viewport = page.viewport_size
    page.set_viewport_size({"width": width_px, "height": viewport["height"] if viewport else 900})
    page.emulate_media(media="print")
    try:
        return page.evaluate(
            """() => [...document.querySelectorAll('table')]
                .filter(table => table.getClientRects().length > 0)
                .filter(table => table.scrollWidth > document.documentElement.clientWidth + 0.5
                                 || table.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                .map(table => (table.id ? '#' + table.id : 'table.' + [...table.classList].join('.')) +
                              ': ' + Math.round(table.scrollWidth) + 'px')"""
        )
    finally:
        page.emulate_media(media=None)
        if viewport:
            page.set_viewport_size(viewport)
