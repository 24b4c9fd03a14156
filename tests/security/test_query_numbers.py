"""A number in a query string that str.isdigit() accepts but int() or PostgreSQL cannot take (², ٧, a
number past the database's integer) is treated as absent, and search text loses the NUL characters
PostgreSQL refuses: the page answers, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

HOSTILE = ["²", "٧", "99999999999999999999", "0"]

# (persona, URL name, the parameter that narrows the page)
PAGES = [
    ("staff", "visits:household_list", "village"),
    ("staff", "visits:household_list", "visited"),
    ("staff", "visits:household_list", "unvisited"),
    ("staff", "visits:quota_overview", "village"),
    ("staff", "visits:quota_overview", "constituency"),
    ("staff", "visits:opinion_triage", "category"),
    ("staff", "visits:ledger", "town"),
    ("staff", "suggestions:list", "town"),
    ("staff", "suggestions:list", "year"),
    ("staff", "supervision:rectification_list", "town"),
    ("district_user", "visits:household_list", "town"),
    ("district_user", "supervision:project_list", "town"),
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("persona", "url_name", "name"), PAGES)
def test_a_number_the_database_cannot_take_narrows_nothing(client, cast, persona, url_name, name, value):
    client.force_login(getattr(cast, persona))
    response = client.get(reverse(url_name), {name: value})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "url_name", "name"),
    [
        ("staff", "visits:household_list", "q"),
        ("staff", "visits:household_search", "q"),
        ("deputy_user", "suggestions:similar", "title"),
    ],
)
def test_search_text_with_a_nul_character_is_searched_without_it(client, cast, persona, url_name, name):
    client.force_login(getattr(cast, persona))
    response = client.get(reverse(url_name), {name: "路灯\x00安装"})
    assert response.status_code == 200
