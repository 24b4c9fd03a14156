"""The budgets of `make bench`, the figures measured against them, and the report of a run: the table with
PASS/MISS per budget and the checks across pages and scales."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

QUERY_BUDGET = 15  # "every page at most 15 queries whatever the data size"
SEED_BUDGET_SECONDS = {"district": 180.0, "large": 900.0}
SWEEP_BUDGET_SECONDS = 10.0
DASHBOARD_RATIO_BUDGET = 2.0  # district median / town median
ADMIN_SPEEDUP_BUDGET = 2.0  # admin changelist median / ledger median


# The budgets of issue 11 at district scale on the 2-core reference machine (None: queries only).
TIME_BUDGETS: dict[str, float | None] = {
    "login page": None,
    "chairman dashboard": 150,
    "district overview": None,
    "visit ledger, page 1": 80,
    "visit ledger, page 200": 80,
    "household search (pinyin)": 80,
    "visit create (POST)": 60,
    "quota overview": None,
    "division table": None,
    "circular": None,
    "suggestion list": None,
    "deputy home": None,
    "admin changelist of visits": None,
}


@dataclass
class Result:
    page: str
    user: str
    path: str
    median_ms: float
    p95_ms: float
    queries: int
    budget_ms: float | None
    town_median_ms: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.town_median_ms if self.town_median_ms else None

    @property
    def ok(self) -> bool:
        return self.queries <= QUERY_BUDGET and (self.budget_ms is None or self.median_ms <= self.budget_ms)


@dataclass
class Check:
    """A budget beyond one page's own: a ratio, a floor, the sweep."""

    name: str
    value: str
    budget: str
    ok: bool | None  # None: reported, no budget


@dataclass
class Run:
    scale: str
    pages: list[Result] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    in_process: dict[str, Any] = field(default_factory=dict)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def compare(main: Run, town: Run | None) -> list[Check]:
    """The budgets across pages and scales."""
    checks: list[Check] = []
    by_name = {r.page: r for r in main.pages}
    if town is not None:
        town_by_name = {r.page: r for r in town.pages}
        for r in main.pages:
            if r.page in town_by_name:
                r.town_median_ms = town_by_name[r.page].median_ms
        dashboard = by_name.get("chairman dashboard")
        if dashboard and dashboard.ratio is not None:
            checks.append(
                Check(
                    f"dashboard {main.scale}/town", f"{dashboard.ratio:.2f}", f"≤ {DASHBOARD_RATIO_BUDGET:.1f}",
                    dashboard.ratio <= DASHBOARD_RATIO_BUDGET,
                )
            )  # fmt: skip
    ledger, admin = by_name.get("visit ledger, page 1"), by_name.get("admin changelist of visits")
    if ledger and admin:
        speedup = admin.median_ms / ledger.median_ms
        checks.append(
            Check("admin changelist / ledger page 1", f"{speedup:.2f}×", f"≥ {ADMIN_SPEEDUP_BUDGET:.0f}×",
                  speedup >= ADMIN_SPEEDUP_BUDGET)
        )  # fmt: skip
    floor = main.in_process.get("floor")
    dashboard = by_name.get("chairman dashboard")
    if floor and dashboard:
        checks.append(
            Check(
                "dashboard aggregates, raw SQL alone (floor)",
                f"{floor['median_ms']:.1f} ms of {dashboard.median_ms:.1f} ms ({floor['queries']} queries)",
                "—",
                None,
            )
        )
    sweep = main.in_process.get("sweep") or {}
    town_sweep = (town.in_process.get("sweep") or {}) if town else {}
    for name, figures in sweep.items():
        checks.append(
            Check(
                f"reminder sweep, {name} ({figures['day']}), {main.in_process['facts']['deputies']} deputies",
                f"{figures['seconds']:.2f} s, {figures['sweep_queries']} queries, {figures['sent']} sent",
                f"≤ {SWEEP_BUDGET_SECONDS:.0f} s",
                figures["seconds"] <= SWEEP_BUDGET_SECONDS,
            )
        )
        if name in town_sweep:
            # Twenty times the deputies and towns: the reading part may differ by a query where data takes
            # another branch (nobody behind, no digest day), never in proportion.
            small = town_sweep[name]["collect_queries"]
            checks.append(
                Check(
                    f"sweep's reading queries, {name}: {main.scale} / town",
                    f"{figures['collect_queries']} / {small}",
                    "≤ 2 × town",
                    figures["collect_queries"] <= 2 * small,
                )
            )
    return checks


def table(run: Run) -> str:
    def cell(value: float | None, spec: str = ".1f") -> str:
        return "—" if value is None else format(value, spec)

    head = (
        f"{'page':<28} {'user':<14} {'median ms':>9} {'p95 ms':>8} {'queries':>7} {'town ms':>8} {'ratio':>6} "
        f"{'budget ms':>9} {'budget q':>8}  result"
    )
    lines = [head, "-" * len(head)]
    for r in run.pages:
        lines.append(
            f"{r.page:<28} {r.user:<14} {r.median_ms:>9.1f} {r.p95_ms:>8.1f} {r.queries:>7} "
            f"{cell(r.town_median_ms):>8} {cell(r.ratio, '.2f'):>6} {cell(r.budget_ms, '.0f'):>9} "
            f"{QUERY_BUDGET:>8}  {'PASS' if r.ok else 'MISS'}"
        )
    if run.checks:
        lines += ["", f"{'reference':<62} {'value':<44} {'budget':<8} result", "-" * len(head)]
        for c in run.checks:
            verdict = "—" if c.ok is None else ("PASS" if c.ok else "MISS")
            lines.append(f"{c.name:<62} {c.value:<44} {c.budget:<8} {verdict}")
    return "\n".join(lines)
