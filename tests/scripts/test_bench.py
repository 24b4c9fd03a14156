"""make bench reads a database of its own beside the configured one, and judges figures by the budgets."""

from scripts.bench import BUDGETS, Result, bench_url


def test_bench_database_is_named_after_the_configured_one_and_keeps_its_options():
    url = "postgres://office:secret@db.example:6543/congress?connect_timeout=5"

    assert (
        bench_url(url, "district")
        == "postgres://office:secret@db.example:6543/congress_district_bench?connect_timeout=5"
    )


def _result(page: str, median_ms: float, queries: int) -> Result:
    budget = BUDGETS[page]
    return Result(page, "/", "someone", median_ms, median_ms, queries, budget.median_ms, budget.queries)


def test_a_page_over_its_time_budget_fails():
    assert _result("visit ledger, page 200", 79.0, 8).ok
    assert not _result("visit ledger, page 200", 81.0, 8).ok


def test_a_page_over_fifteen_queries_fails_even_without_a_time_budget():
    assert _result("project list", 500.0, 15).ok
    assert not _result("project list", 5.0, 16).ok
