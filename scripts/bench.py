"""`make bench`: the key pages over real HTTP against the benchmark database, beside their references and budgets.

For the scale asked (district by default) and for the town scale, it serves the benchmark database with
gunicorn (DEBUG off, as in production, plus the query-count header that only BENCH_QUERY_HEADER turns on),
signs in through the login form as the user each page is for, warms every worker up, then requests each
page --repeats times (30 at least) and takes the median, the 95th percentile and the queries of a request.
Beside them, from the same data: the district/town ratio of each page; the Django admin changelist of
visits (the page a user would otherwise use) against the ledger; the raw SQL of the dashboard's aggregates
timed alone (the floor); and the daily reminder sweep over all deputies (seconds and queries), run inside
a transaction that is rolled back. It prints a table with PASS/MISS per budget, writes it as JSON under
bench/results/, and exits 1 when a budget is missed.

    .venv/bin/python scripts/bench.py [--scale district] [--repeats 30] [--only ledger] [--time-town-seed]

The benchmark databases are DATABASE_URL's name + `_<scale>_bench` and `_town_bench`, seeded with
`manage.py seed_scale` when missing (never the development database).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

import django

# Run as `python scripts/bench.py`, the script's own folder comes first on the path: the project's root
# lets the `scripts.` imports below (and the apps, in the child process) be found.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_pages import measure_pages
from scripts.bench_report import (
    ADMIN_SPEEDUP_BUDGET,
    DASHBOARD_RATIO_BUDGET,
    QUERY_BUDGET,
    SEED_BUDGET_SECONDS,
    SWEEP_BUDGET_SECONDS,
    TIME_BUDGETS,
    Check,
    Result,
    Run,
    compare,
    percentile,
    table,
)
from scripts.bench_serving import (
    DEFAULT_DATABASE_URL,
    PASSWORD,
    ROOT,
    bench_url,
    gunicorn,
    in_process,
    is_seeded,
    manage,
    seed,
)

# The names other scripts and the tests import from here, from before the modules were split.
__all__ = [
    "ADMIN_SPEEDUP_BUDGET",
    "DASHBOARD_RATIO_BUDGET",
    "DEFAULT_DATABASE_URL",
    "PASSWORD",
    "QUERY_BUDGET",
    "ROOT",
    "SEED_BUDGET_SECONDS",
    "SWEEP_BUDGET_SECONDS",
    "TIME_BUDGETS",
    "Check",
    "Result",
    "Run",
    "bench_scale",
    "bench_url",
    "compare",
    "gunicorn",
    "in_process",
    "is_seeded",
    "main",
    "manage",
    "percentile",
    "run_in_process",
    "seed",
    "table",
]


def run_in_process(part: str, repeats: int) -> None:
    """The child's side of in_process(): set Django up on DATABASE_URL, read `part`, print it as JSON."""
    django.setup()
    # Imported here, not at the top: scripts.bench_inside reads the apps' models at import, which needs
    # the setup above; the parent process (which never sets Django up) must not import it at all.
    from scripts import bench_inside

    print(json.dumps(bench_inside.run(part, repeats), ensure_ascii=False, default=str))


# --- one scale, and the report ------------------------------------------------------------------------


def bench_scale(url: str, scale: str, args: argparse.Namespace) -> Run:
    print(f"{scale} scale: {url.rpartition('/')[2]}", file=sys.stderr)
    run = Run(scale=scale)
    facts = in_process("facts", url, args.repeats)
    run.in_process["facts"] = facts
    with gunicorn(url, workers=args.workers) as port:
        run.pages = measure_pages(port, facts, repeats=args.repeats, warmup=args.workers * 2, only=args.only)
    if not args.only:
        run.in_process["floor"] = in_process("floor", url, args.repeats)
        run.in_process["sweep"] = in_process("sweep", url, args.repeats)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="district", choices=("town", "district", "large"))
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    parser.add_argument("--time-town-seed", action="store_true", help="seed the town scale again and time it")
    parser.add_argument("--in-process", choices=("facts", "load_facts", "floor", "sweep"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        run_in_process(args.in_process, args.repeats)
        return 0
    if args.repeats < 30:
        parser.error("--repeats: at least 30 requests a page")

    base = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    timings: dict[str, float] = {}
    urls = {args.scale: bench_url(base, args.scale)}
    if args.scale != "town":
        urls["town"] = bench_url(base, "town")
    for scale, url in urls.items():
        if not is_seeded(url) or (scale == "town" and args.time_town_seed):
            print(f"Seeding {scale} scale into {url.rpartition('/')[2]} ...", file=sys.stderr)
            timings[f"seed {scale}"] = seed(url, scale)
        else:
            manage("migrate", "--verbosity", "0", database_url=url)  # a seeded database from an older checkout

    load_before = os.getloadavg()
    main_run = bench_scale(urls[args.scale], args.scale, args)
    town_run = bench_scale(urls["town"], "town", args) if "town" in urls and args.scale != "town" else None
    main_run.checks = compare(main_run, town_run)
    load_after = os.getloadavg()

    load = f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (1-minute load average)"
    facts = main_run.in_process["facts"]
    print(
        f"\n{args.scale} scale ({facts['towns']} towns, {facts['deputies']} deputies, {facts['visits']} visits), "
        f"town 1; gunicorn {args.workers} workers, {args.repeats} requests a page after warming up"
    )
    print(f"{os.cpu_count()} cores; load {load}; figures grow with the load\n")
    print(table(main_run))
    failed = [r.page for r in main_run.pages if not r.ok] + [c.name for c in main_run.checks if c.ok is False]
    for step, seconds in timings.items():
        print(f"{step}: {seconds:.1f} s")
        limit = SEED_BUDGET_SECONDS.get(step.removeprefix("seed "))
        if limit is not None and seconds > limit:
            failed.append(f"{step} over {limit:.0f} s")

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    payload = {
        "scale": args.scale,
        "repeats": args.repeats,
        "workers": args.workers,
        "cores": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_after,
        "timings": timings,
        "pages": [{**asdict(r), "ratio": r.ratio, "ok": r.ok} for r in main_run.pages],
        "checks": [asdict(c) for c in main_run.checks],
        "in_process": main_run.in_process,
        "town": None if town_run is None else {"pages": [asdict(r) for r in town_run.pages], **town_run.in_process},
    }
    path = out / f"{stamp}-{args.scale}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    print(f"\nWritten to {path.relative_to(ROOT)}")
    if failed:
        print("Missed: " + "; ".join(failed))
        return 1
    print("Every budget met.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
