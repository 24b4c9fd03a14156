"""make bench reads a database of its own beside the configured one, judges figures by the budgets, and
counts queries from a header that only its servers send."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scripts.bench import TIME_BUDGETS, Result, Run, bench_url, compare


def test_bench_database_is_named_after_the_configured_one_and_keeps_its_options():
    url = "postgres://office:secret@db.example:6543/congress?connect_timeout=5"

    assert (
        bench_url(url, "district")
        == "postgres://office:secret@db.example:6543/congress_district_bench?connect_timeout=5"
    )


def _result(page: str, median_ms: float, queries: int = 8, town_ms: float | None = None) -> Result:
    return Result(page, "someone", "/", median_ms, median_ms, queries, TIME_BUDGETS[page], town_ms)


def test_a_page_over_its_time_budget_misses():
    assert _result("visit ledger, page 200", 79.0).ok
    assert not _result("visit ledger, page 200", 81.0).ok


def test_a_page_over_fifteen_queries_misses_even_without_a_time_budget():
    assert _result("suggestion list", 500.0, 15).ok
    assert not _result("suggestion list", 5.0, 16).ok


def test_the_dashboard_ratio_and_the_admin_reference_are_judged():
    run = Run("district", pages=[_result("chairman dashboard", 90.0), _result("visit ledger, page 1", 40.0),
                                  _result("admin changelist of visits", 70.0)])  # fmt: skip
    town = Run("town", pages=[_result("chairman dashboard", 40.0)])

    checks = {c.name: c for c in compare(run, town)}

    assert checks["dashboard district/town"].value == "2.25"
    assert checks["dashboard district/town"].ok is False
    assert checks["admin changelist / ledger page 1"].ok is False  # 1.75 times, not twice


@pytest.mark.django_db
def test_the_bench_header_counts_the_queries_of_a_request(client, cast, settings):
    settings.MIDDLEWARE = ["congress.middleware.QueryCountHeaderMiddleware", *settings.MIDDLEWARE]
    client.force_login(cast.staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("visits:ledger"))

    data = [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert int(response["X-Query-Count"]) == len(data) > 0


@pytest.mark.django_db
def test_without_the_bench_setting_no_query_count_is_sent(client, cast):
    client.force_login(cast.staff)

    assert "X-Query-Count" not in client.get(reverse("visits:ledger"))
