"""Every page without path arguments answers hostile query strings without a server error.

Each such URL is opened by the office's staff and by a district user with every query parameter the
portal reads set to one hostile value at a time (13 values): a page may ignore what it cannot read or
say so, but never answer 500.
"""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from tests.security.matrix import url_names

# Every query-string name a page of the portal reads.
PARAMETERS = [
    "town",
    "year",
    "page",
    "q",
    "title",
    "village",
    "constituency",
    "category",
    "state",
    "status",
    "tab",
    "kind",
    "light",
    "sort",
    "month",
    "date_from",
    "date_to",
    "user",
    "action",
    "result",
    "visited",
    "unvisited",
    "vulnerable",
    "outcome",
    "exclude",
    "round",
    "index",
    "overdue",
    "overdue_targets",
    "all",
]
HOSTILE = [
    "²",
    "٧",
    "-1",
    "0",
    "99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "2026-13-45",
    "\x00",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%",
    "x" * 2000,
]
# Pages outside the portal's own code, or that do what a GET asks of them whatever the query says.
LEFT_OUT = {"logout", "i18n:set_language", "favicon"}


def pages() -> list[str]:
    names = []
    for name in sorted(url_names()):
        if name.split(":")[0] == "admin" or name in LEFT_OUT:
            continue
        try:
            reverse(name)
        except NoReverseMatch:
            continue  # takes path arguments
        names.append(name)
    return names


def test_the_walk_covers_the_portals_pages():
    assert len(pages()) >= 60


@pytest.mark.parametrize("url_name", pages())
def test_a_hostile_query_string_never_breaks_a_page(client, cast, url_name):
    url = reverse(url_name)
    broken = []
    for persona in (cast.staff, cast.district_user):
        client.force_login(persona)
        for value in HOSTILE:
            response = client.get(url, dict.fromkeys(PARAMETERS, value))
            if response.status_code >= 500:
                broken.append(f"{persona.username} {value[:20]!r}: {response.status_code}")
    assert broken == []
