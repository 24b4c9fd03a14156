"""Values a page reads from its query string, each by one rule.

A value a user can type into the address bar never causes a server error: what does not parse is
treated as absent and the page shows its default.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 2000, 2100
LARGEST_ID = 2**31 - 1  # PostgreSQL's integer: a larger number is no row's id, and would fail the query


def number(text: str | None) -> int | None:
    """`text` as a whole number when it is ASCII digits within PostgreSQL's integer, else None.

    str.isdigit() alone lets through digits int() refuses (²) and numbers the database cannot compare.
    """
    if text is None or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= LARGEST_ID else None


def chosen_id(request: HttpRequest, name: str) -> int | None:
    """?<name>= as a row's id, or None when absent or not a number."""
    return number(request.GET.get(name))


def chosen_year(request: HttpRequest, *, name: str = "year") -> int | None:
    """?year= when it is a year the portal keeps (2000 to 2100, ASCII digits), else None."""
    value = number(request.GET.get(name))
    return value if value is not None and FIRST_YEAR <= value <= LAST_YEAR else None


def year(request: HttpRequest, default: int | None = None, *, name: str = "year") -> int:
    """The year being viewed: the chosen year, else `default`, else this year in Asia/Shanghai."""
    chosen = chosen_year(request, name=name)
    if chosen is not None:
        return chosen
    return default if default is not None else timezone.localdate().year


def text(request: HttpRequest, name: str, *, max_length: int) -> str:
    """?<name>= as search text: without NUL characters (PostgreSQL refuses them in a query), trimmed,
    and cut to `max_length`."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]
