"""`make load`: a mixed load on the benchmark database, with locust headless on the loopback.

gunicorn serves the benchmark database as `make bench` does; locust (scripts/locustfile.py) runs 50 users
that sign in as the staff of the towns and wait 1 to 3 seconds between actions, 70 % reads and 30 %
visits recorded, for 2 minutes. It prints the requests, errors, median and 95th percentile, and the
throughput, writes them as JSON under bench/results/, and exits 1 on any error or a 95th percentile over
500 ms. Never part of `make test`.

    .venv/bin/python scripts/load.py [--scale district] [--users 50] [--duration 2m]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench import DEFAULT_DATABASE_URL, ROOT, bench_url, gunicorn, in_process, is_seeded, seed

P95_BUDGET_MS = 500


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="district", choices=("town", "district", "large"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", default="2m")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    args = parser.parse_args(argv)

    url = bench_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL), args.scale)
    if not is_seeded(url):
        print(f"Seeding {args.scale} scale into {url.rpartition('/')[2]} ...", file=sys.stderr)
        seed(url, args.scale)
    # The sessions are made beforehand with the key the server will check them with.
    secret_key = secrets.token_urlsafe(48)
    facts = in_process("load_facts", url, 30, env={"SECRET_KEY": secret_key})
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp, gunicorn(url, workers=args.workers, secret_key=secret_key) as port:
        facts_file = Path(tmp) / "facts.json"
        facts_file.write_text(json.dumps(facts))
        prefix = Path(tmp) / "load"
        locust = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile.py"), "--headless",
            "--host", f"http://127.0.0.1:{port}", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
            "--run-time", args.duration, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        subprocess.run(locust, env={**os.environ, "LOAD_FACTS": str(facts_file)}, check=False, cwd=ROOT)
        with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    load_after = os.getloadavg()

    def row(r: dict[str, str]) -> dict[str, float | str]:
        return {
            "name": r["Name"] or "all",
            "requests": int(r["Request Count"]),
            "errors": int(r["Failure Count"]),
            "median_ms": float(r["Median Response Time"]),
            "p95_ms": float(r["95%"]),
            "per_second": float(r["Requests/s"]),
        }

    table = [row(r) for r in rows]
    total = next(r for r in table if r["name"] == "Aggregated")
    print(
        f"\nmixed load, {args.scale} scale: {args.users} users, 1-3 s wait, 70 % reads / 30 % writes, {args.duration}"
    )
    print(f"gunicorn {args.workers} workers; load {load_before[0]:.1f} before, {load_after[0]:.1f} after\n")
    print(f"{'request':<24} {'count':>7} {'errors':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}")
    for r in table:
        print(
            f"{r['name']!s:<24} {r['requests']:>7} {r['errors']:>7} {r['median_ms']:>10.0f} {r['p95_ms']:>8.0f} "
            f"{r['per_second']:>7.1f}"
        )
    ok = total["errors"] == 0 and float(total["p95_ms"]) <= P95_BUDGET_MS
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.scale}-load.json"
    payload = {
        "scale": args.scale,
        "users": args.users,
        "duration": args.duration,
        "workers": args.workers,
        "load_before": load_before,
        "load_after": load_after,
        "requests": table,
        "budget": {"errors": 0, "p95_ms": P95_BUDGET_MS},
        "ok": ok,
    }
    path.write_text(json.dumps(payload, indent=2))
    print(
        f"\nerrors {total['errors']} (budget 0), p95 {total['p95_ms']:.0f} ms (budget {P95_BUDGET_MS}), "
        f"throughput {total['per_second']:.1f} requests/s: {'PASS' if ok else 'MISS'}"
    )
    print(f"Written to {path.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
