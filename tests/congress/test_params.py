"""The query-string values every page reads by one rule: a value that does not parse is absent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory

from congress import params


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2024"}, 2024),
        ({"year": "2100"}, 2100),
        ({"year": "1999"}, 2026),
        ({"year": "2101"}, 2026),
        ({"year": "²"}, 2026),
        ({"year": "٢٠٢٤"}, 2026),
        ({"year": "-2024"}, 2026),
        ({"year": "2024.0"}, 2026),
        ({"year": "\x00"}, 2026),
        ({"year": ""}, 2026),
        ({}, 2026),
    ],
)
def test_the_year_being_viewed_is_a_year_the_portal_keeps_or_this_year(query, expected):
    with time_machine.travel(dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC), tick=False):
        assert params.year(RequestFactory().get("/", query)) == expected


def test_a_page_may_give_its_own_default_year():
    assert params.year(RequestFactory().get("/", {"year": "x"}), default=2025) == 2025
    assert params.year(RequestFactory().get("/", {"year": "2023"}), default=2025) == 2023


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7), ("2147483647", 2147483647), ("2147483648", None), ("²", None), ("٧", None), ("-7", None), ("", None)],
)
def test_an_id_is_ascii_digits_within_the_database_integer(text, expected):
    assert params.number(text) == expected
    assert params.chosen_id(RequestFactory().get("/", {"town": text}), "town") == expected
