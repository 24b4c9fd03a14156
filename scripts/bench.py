"""`make bench`: the key pages against the district-scale benchmark database, beside their budgets.

Each page is requested through Django's test client, logged in as the user who uses it, a few times to
warm up and then --repeats times; the table gives the median and 95th-percentile milliseconds and the
queries of one request, next to the budgets of docs/performance.md. It also times seeding the town scale
into a database of its own. The exit status is 1 when a budget is missed.

    .venv/bin/python scripts/bench.py [--scale district] [--repeats 30] [--no-town-seed]

The benchmark databases are DATABASE_URL's name + `_<scale>_bench` (created with seed_scale when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/congress"
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
QUERY_BUDGET = 15  # "every page at most 15 queries whatever the data size"


@dataclass(frozen=True)
class Budget:
    median_ms: float | None
    queries: int = QUERY_BUDGET


# The budgets of issue 11 at district scale on the 2-core reference machine.
BUDGETS: dict[str, Budget] = {
    "chairman home": Budget(median_ms=150),  # the chairman's dashboard
    "visit ledger, page 1": Budget(median_ms=80),
    "visit ledger, page 200": Budget(median_ms=80),
    "visit create (POST)": Budget(median_ms=60),
    "household search (record form)": Budget(median_ms=80),
    "household register, pinyin": Budget(median_ms=80),
    "quota overview": Budget(median_ms=None),
    "my duty (deputy)": Budget(median_ms=None),
    "project list": Budget(median_ms=None),
    "division table": Budget(median_ms=None),
    "circular": Budget(median_ms=None),
    "suggestion list": Budget(median_ms=None),
}
SEED_BUDGET_SECONDS = {"district": 180.0, "large": 900.0}


@dataclass
class Result:
    page: str
    url: str
    user: str
    median_ms: float
    p95_ms: float
    queries: int
    budget_ms: float | None
    budget_queries: int

    @property
    def ok(self) -> bool:
        return self.queries <= self.budget_queries and (self.budget_ms is None or self.median_ms <= self.budget_ms)


def bench_url(base: str, scale: str) -> str:
    """DATABASE_URL with `_<scale>_bench` after the database name; server, credentials and options kept."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{scale}_bench"))


def seed(url: str, scale: str) -> float:
    """Seed `scale` into `url` from scratch; the wall-clock seconds it took."""
    began = time.monotonic()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "seed_scale", "--scale", scale, "--reset", "--database-url", url],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - began


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(page: str, user: Any, url: str, repeats: int, request: Callable[[Any], Any] | None = None) -> Result:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)

    def call() -> Any:
        return request(client) if request else client.get(url)

    for _ in range(3):
        response = call()
        if response.status_code not in (200, 302):
            raise SystemExit(f"{page}: {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        call()
    # Counted now: the next request's request_started clears the log it reads. Transaction control
    # (BEGIN, COMMIT, SAVEPOINT ...) is not a query of data and is left out.
    count = sum(1 for q in queries.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    budget = BUDGETS[page]
    return Result(
        page, url, user.username, statistics.median(times), percentile(times, 0.95), count,
        budget.median_ms, budget.queries,
    )  # fmt: skip


def run_pages(repeats: int, only: str = "") -> list[Result]:
    from django.urls import reverse
    from django.utils import timezone

    from congress.models import Deputy, Town, User
    from supervision.models import Circular
    from visits.models import Household, Visit

    town = Town.objects.order_by("pk").first()
    if town is None:
        raise SystemExit("The benchmark database is empty: run seed_scale first.")
    staff = User.objects.get(username="bench_staff1")
    chair = User.objects.get(username="bench_chair1")
    deputy = Deputy.objects.filter(town=town).select_related("user").order_by("pk").first()
    assert deputy is not None and deputy.user is not None
    household = Household.objects.filter(town=town).exclude(head_initials="").order_by("pk").first()
    assert household is not None
    first = Visit.objects.filter(town=town).order_by("visited_on").values_list("visited_on", flat=True).first()
    circular = Circular.objects.filter(town=town).order_by("pk").first()
    ledger = reverse("visits:ledger") + f"?method=household&date_from={first}"
    today = timezone.localdate()
    pinyin = f"?q={household.head_initials}"

    def create_visit(client: Any) -> Any:
        return client.post(
            reverse("visits:visit_create"),
            {
                "idempotency_key": str(uuid.uuid4()),
                "deputies": [deputy.pk],
                "visited_on": today.isoformat(),
                "method": "household",
                "village": household.village_id,
                "household": household.pk,
                "voter_name": "",
                "notes": "",
                "opinions-TOTAL_FORMS": "0",
                "opinions-INITIAL_FORMS": "0",
                "opinions-MIN_NUM_FORMS": "0",
                "opinions-MAX_NUM_FORMS": "30",
            },
        )

    pages: list[tuple[str, Any, str, Callable[[Any], Any] | None]] = [
        ("chairman home", chair, reverse("home"), None),
        ("visit ledger, page 1", staff, ledger, None),
        ("visit ledger, page 200", staff, ledger + "&page=200", None),
        ("visit create (POST)", staff, reverse("visits:visit_create"), create_visit),
        ("household search (record form)", staff, reverse("visits:household_search") + pinyin, None),
        ("household register, pinyin", staff, reverse("visits:household_list") + pinyin, None),
        ("quota overview", staff, reverse("visits:quota_overview"), None),
        ("my duty (deputy)", deputy.user, reverse("visits:my_duty"), None),
        ("project list", staff, reverse("supervision:project_list"), None),
        ("division table", staff, reverse("supervision:division_table"), None),
        ("suggestion list", staff, reverse("suggestions:list"), None),
    ]  # fmt: skip
    if circular is not None:
        pages.append(("circular", staff, reverse("supervision:circular_detail", args=[circular.pk]), None))
    results = []
    for page, user, url, request in pages:
        if only not in page:
            continue
        result = measure(page, user, url, repeats, request)
        print(f"  {page:<32} {result.median_ms:8.1f} ms", file=sys.stderr)
        results.append(result)
    return results


def table(results: list[Result]) -> str:
    def budget(r: Result) -> str:
        return "—" if r.budget_ms is None else f"{r.budget_ms:.0f}"

    head = f"{'page':<32} {'median ms':>10} {'p95 ms':>8} {'budget ms':>10} {'queries':>8} {'budget q':>9}  ok"
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.page:<32} {r.median_ms:>10.1f} {r.p95_ms:>8.1f} {budget(r):>10} {r.queries:>8} "
            f"{r.budget_queries:>9}  {'yes' if r.ok else 'NO'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="district", choices=("town", "district", "large"))
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--no-town-seed", action="store_true", help="skip timing the town-scale seed")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    args = parser.parse_args(argv)

    base = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    target = bench_url(base, args.scale)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    timings: dict[str, float] = {}
    if not args.no_town_seed:
        timings["seed town"] = seed(bench_url(base, "town"), "town")
        print(f"seed_scale --scale town: {timings['seed town']:.1f} s", file=sys.stderr)

    os.environ["DATABASE_URL"] = target
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    hosts = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
    os.environ["ALLOWED_HOSTS"] = hosts + ",testserver"
    import django

    try:
        django.setup()
        from congress.models import Town

        seeded = Town.objects.exists()
    except Exception:
        seeded = False
    if not seeded:
        print(f"Seeding {args.scale} scale into {target} first ...", file=sys.stderr)
        timings[f"seed {args.scale}"] = seed(target, args.scale)
        from django.db import connection

        connection.close()

    results = run_pages(args.repeats, args.only)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{args.scale} scale, {target.rpartition('/')[2]}, {args.repeats} requests a page")
    print(f"{os.cpu_count()} cores, load average {load} (figures grow with the load)\n")
    print(table(results))
    failed = [r.page for r in results if not r.ok]
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
        "load": os.getloadavg(),
        "timings": timings,
        "pages": [asdict(r) for r in results],
    }
    (out / f"{stamp}-{args.scale}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    if failed:
        print("\nOver budget: " + "; ".join(failed))
        return 1
    print("\nEvery budget met.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
