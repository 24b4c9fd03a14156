"""Hypothesis runs derandomised with no deadline (a failure reproduces in CI), and the suite prints
its figures at the end: matrix cells, inputs tried, server errors found."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.security.tally import TALLY

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reports = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, []) if r.when == "call"]
    cells = sum("test_permission_matrix.py::test_permission_matrix[" in r.nodeid for r in reports)
    if not (cells or TALLY):
        return
    write = terminalreporter.write_line
    terminalreporter.section("security figures")
    write(f"permission matrix cells (URL x persona x method) checked: {cells}")
    write(f"forms covered: {TALLY['forms']}")
    write(f"mass-assignment posts: {TALLY['mass_assignment_posts']}, protected fields checked: {TALLY['protected']}")
    write(
        f"hostile inputs tried: {TALLY['inputs_form'] + TALLY['inputs_view']} "
        f"({TALLY['inputs_form']} on form.is_valid(), {TALLY['inputs_view']} through the views)"
    )
    write(f"server errors found: {TALLY['server_errors']}")
