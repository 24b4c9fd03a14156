"""Values a page reads from its query string, each by one rule.

A value a user can type into the address bar never causes a server error: what does not parse is
treated as absent and the page shows its default.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 2000, 2100


def chosen_year(request: HttpRequest, *, name: str = "year") -> int | None:
    """?year= when it is a year the portal keeps (2000 to 2100, ASCII digits), else None."""
    value = request.GET.get(name, "")
    if value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return None


def year(request: HttpRequest, default: int | None = None, *, name: str = "year") -> int:
    """The year being viewed: the chosen year, else `default`, else this year in Asia/Shanghai."""
    chosen = chosen_year(request, name=name)
    if chosen is not None:
        return chosen
    return default if default is not None else timezone.localdate().year
