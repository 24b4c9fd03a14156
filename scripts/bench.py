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
import datetime as dt
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/congress"
QUERY_BUDGET = 15  # "every page at most 15 queries whatever the data size"
PASSWORD = "Bench-scale-2026"  # noqa: S105 (demo.scale.PASSWORD: the benchmark accounts' shared password)
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


def bench_url(base: str, scale: str) -> str:
    """DATABASE_URL with `_<scale>_bench` after the database name; server, credentials and options kept."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{scale}_bench"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def manage(*args: str, database_url: str, env: dict[str, str] | None = None, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
        check=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )
    return result.stdout or ""


def seed(url: str, scale: str) -> float:
    """Seed `scale` into `url` from scratch; the wall-clock seconds it took."""
    began = time.monotonic()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "seed_scale", "--scale", scale, "--reset", "--database-url", url],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - began


def is_seeded(url: str) -> bool:
    import psycopg2

    try:
        connection = psycopg2.connect(url)
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('congress_town') IS NOT NULL")
            row = cursor.fetchone()
            if not row or not row[0]:
                return False
            cursor.execute("SELECT EXISTS (SELECT 1 FROM congress_town)")
            row = cursor.fetchone()
            return bool(row and row[0])
    finally:
        connection.close()


# --- serving -------------------------------------------------------------------------------------


def server_env(database_url: str, secret_key: str = "") -> dict[str, str]:
    """Production settings over plain HTTP on the loopback, with the bench-only query-count header."""
    return {
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secret_key or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(ROOT / ".data" / "bench-static"),
        "BENCH_QUERY_HEADER": "1",
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, *, workers: int, secret_key: str = "") -> Iterator[int]:
    """gunicorn serving `database_url` on a free loopback port; yields the port, stops it afterwards."""
    env = {**os.environ, **server_env(database_url, secret_key)}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "congress.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


class Browser:
    """One signed-in user over HTTP: keeps its cookies, reads the CSRF token from forms."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, str, int]:
        """(status, body, queries) of one request."""
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.connection.close()  # gunicorn's sync workers close after each response; open anew
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, text, int(response.getheader("X-Query-Count", "-1"))

    def csrf(self, path: str) -> str:
        status, text, _q = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if status != 200 or not match:
            raise SystemExit(f"no form at {path} ({status})")
        return match.group(1)

    def sign_in(self, username: str) -> Browser:
        token = self.csrf("/accounts/login/")
        status, _text, _q = self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        if status != 302:
            raise SystemExit(f"could not sign in as {username} ({status})")
        return self


@dataclass
class Page:
    name: str
    user: str  # a username, or "" for a visitor
    path: str
    post: bool = False


def pages_for(facts: dict[str, Any]) -> list[Page]:
    ledger = "/visits/ledger/?" + urlencode({"method": "household", "date_from": facts["first_visit"]})
    pages = [
        Page("login page", "", "/accounts/login/"),
        Page("chairman dashboard", facts["chairman"], "/dashboard/"),
        Page("district overview", facts["district_user"], "/dashboard/district/"),
        Page("visit ledger, page 1", facts["staff"], ledger),
        Page("visit ledger, page 200", facts["staff"], ledger + "&page=200"),
        Page("household search (pinyin)", facts["staff"], "/visits/record/households/?q=" + facts["initials"]),
        Page("visit create (POST)", facts["staff"], "/visits/record/", post=True),
        Page("quota overview", facts["staff"], "/visits/quota/"),
        Page("division table", facts["staff"], "/supervision/table/"),
        Page("suggestion list", facts["staff"], "/suggestions/"),
        Page("deputy home", facts["deputy_user"], "/"),
        Page("admin changelist of visits", facts["admin"], "/admin/visits/visit/"),
    ]
    if facts.get("circular"):
        pages.insert(-2, Page("circular", facts["staff"], f"/supervision/circulars/{facts['circular']}/"))
    return pages


def visit_form(token: str, facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "csrfmiddlewaretoken": token,
        "idempotency_key": str(uuid.uuid4()),
        "deputies": [facts["deputy"]],
        "visited_on": facts["today"],
        "method": "household",
        "village": facts["village"],
        "household": facts["household"],
        "voter_name": "",
        "notes": "",
        "opinions-TOTAL_FORMS": "0",
        "opinions-INITIAL_FORMS": "0",
        "opinions-MIN_NUM_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "30",
    }


def measure(browser: Browser, page: Page, facts: dict[str, Any], *, repeats: int, warmup: int) -> Result:
    def once() -> tuple[float, int]:
        if page.post:
            form = visit_form(browser.csrf(page.path), facts)
            began = time.perf_counter()
            status, _text, queries = browser.request("POST", page.path, form)
            expected = 302  # a form shown again (200) means the visit was refused
        else:
            began = time.perf_counter()
            status, _text, queries = browser.request("GET", page.path)
            expected = 200
        elapsed = (time.perf_counter() - began) * 1000
        if status != expected:
            raise SystemExit(f"{page.name}: {page.path} answered {status}")
        return elapsed, queries

    for _ in range(warmup):
        once()
    samples = [once() for _ in range(repeats)]
    times = [t for t, _q in samples]
    return Result(
        page=page.name,
        user=page.user or "(visitor)",
        path=page.path,
        median_ms=round(statistics.median(times), 1),
        p95_ms=round(percentile(times, 0.95), 1),
        queries=max(q for _t, q in samples),
        budget_ms=TIME_BUDGETS[page.name],
    )


def measure_pages(port: int, facts: dict[str, Any], *, repeats: int, warmup: int, only: str) -> list[Result]:
    browsers: dict[str, Browser] = {}
    results = []
    for page in pages_for(facts):
        if only not in page.name:
            continue
        if page.user not in browsers:
            browser = Browser(port)
            browsers[page.user] = browser.sign_in(page.user) if page.user else browser
        result = measure(browsers[page.user], page, facts, repeats=repeats, warmup=warmup)
        print(f"  {page.name:<30} {result.median_ms:8.1f} ms {result.queries:4d} q", file=sys.stderr)
        results.append(result)
    return results


# --- in the benchmark database's own process: facts, the raw SQL floor, the sweep -----------------------


def in_process(part: str, database_url: str, repeats: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `part` in a child process set up on `database_url`; its JSON answer."""
    output = subprocess.run(
        [sys.executable, __file__, "--in-process", part, "--repeats", str(repeats)],
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "congress.settings",
            "ALLOWED_HOSTS": "testserver",
            **(env or {}),
        },
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def _facts() -> dict[str, Any]:
    """Who signs in for each page and the rows the pages ask for; an admin account is added once."""
    from django.utils import timezone

    from congress.models import Deputy, Town, User
    from supervision.models import Circular
    from visits.models import Household, Visit

    town = Town.objects.order_by("pk").first()
    if town is None:
        raise SystemExit("The benchmark database is empty: run seed_scale first.")
    today = timezone.localdate()
    staff = User.objects.filter(town=town, username__startswith="bench_staff").order_by("pk").first()
    chair = User.objects.filter(town=town, username__startswith="bench_chair").order_by("pk").first()
    district = User.objects.filter(username="bench_district").first()
    deputy = (
        Deputy.objects.filter(town=town, user__isnull=False)
        .serving_on(today)  # type: ignore[attr-defined]
        .select_related("user")
        .order_by("pk")
        .first()
    )
    household = Household.objects.filter(town=town).exclude(head_initials="").order_by("pk").first()
    if not (staff and chair and district and deputy and household):
        raise SystemExit("The benchmark database lacks the bench_* accounts: seed it again with seed_scale.")
    admin, created = User.objects.get_or_create(
        username="bench_admin", defaults={"full_name": "管理员", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(PASSWORD)
        admin.save(update_fields=["password"])
    first = Visit.objects.filter(town=town).order_by("visited_on").values_list("visited_on", flat=True).first()
    circular = Circular.objects.filter(town=town).order_by("pk").values_list("pk", flat=True).first()
    return {
        "staff": staff.username,
        "chairman": chair.username,
        "district_user": district.username,
        "deputy_user": deputy.user.username,  # type: ignore[union-attr]
        "admin": admin.username,
        "deputy": deputy.pk,
        "household": household.pk,
        "village": household.village_id,
        "initials": household.head_initials[:3],
        "first_visit": first.isoformat() if first else today.replace(month=1, day=1).isoformat(),
        "circular": circular,
        "today": today.isoformat(),
        "towns": Town.objects.count(),
        "deputies": Deputy.objects.count(),
        "visits": Visit.objects.count(),
    }


def _load_facts() -> dict[str, Any]:
    """For the mixed load: each town's staff account, signed in already (50 password checks at once
    would measure the password hasher, not the portal), a deputy serving today, households to visit."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from congress.models import Deputy, Town, User
    from visits.models import Household

    today = timezone.localdate()
    towns = []
    for town in Town.objects.order_by("pk"):
        staff = User.objects.filter(town=town, username__startswith="bench_staff").order_by("pk").first()
        deputy = Deputy.objects.filter(town=town).serving_on(today).order_by("pk").first()  # type: ignore[attr-defined]
        households = list(
            Household.objects.filter(town=town)
            .exclude(head_initials="")
            .order_by("pk")[:20]
            .values("id", "village", "head_initials")
        )
        if staff is None or deputy is None or not households:
            continue
        client = Client()
        client.force_login(staff)
        towns.append(
            {
                "staff": staff.username,
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "deputy": deputy.pk,
                "households": [{"id": h["id"], "village": h["village"]} for h in households],
                "initials": sorted({h["head_initials"][:2] for h in households}),
            }
        )
    return {"today": today.isoformat(), "towns": towns}


def _floor(repeats: int) -> dict[str, Any]:
    """The dashboard's aggregate queries, captured once and then executed alone: the page's floor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from congress.models import User
    from duty import dashboard

    chair = User.objects.filter(username__startswith="bench_chair").select_related("town").order_by("pk").first()
    assert chair is not None and chair.town is not None
    with CaptureQueriesContext(connection) as captured:
        dashboard.town_figures(chair, chair.town, today=timezone.localdate())
    statements = [q["sql"] for q in captured.captured_queries]
    times = []
    with connection.cursor() as cursor:
        for _ in range(3 + repeats):
            began = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)  # captured with their parameters interpolated
                cursor.fetchall()
            times.append((time.perf_counter() - began) * 1000)
    times = times[3:]
    return {"queries": len(statements), "median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)}


@contextmanager
def counting() -> Iterator[list[int]]:
    """The statements run inside the block (without transaction control), however many."""
    from django.db import connection

    count = [0]

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def _sweep(repeats: int) -> dict[str, Any]:
    """The daily sweep over all deputies on the monthly check day and on the pace-check day, each in a
    transaction rolled back; seconds and queries, with the collecting (reading) part counted alone."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone, translation

    from congress import reminders
    from congress.dates import first_working_day, monthly_visit_check_day

    today = timezone.localdate()
    check = monthly_visit_check_day(today.year, today.month)
    if check > today:  # the check of the month before: a day the data is complete for
        last = today.replace(day=1) - dt.timedelta(days=1)
        check = monthly_visit_check_day(last.year, last.month)
    days = {"monthly check": check, "pace check": first_working_day(today.year, today.month)}
    found: dict[str, Any] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for name, day in days.items():
            with counting() as collecting:
                due = reminders.collect(day)
            began = time.perf_counter()
            with counting() as sweeping, transaction.atomic():
                sent = reminders.run_sweep(day)
                transaction.set_rollback(True)
            seconds = time.perf_counter() - began
            found[name] = {
                "day": day.isoformat(),
                "due": len(due),
                "sent": sent,
                "collect_queries": collecting[0],
                "sweep_queries": sweeping[0],
                "seconds": round(seconds, 2),
            }
    return found


def run_in_process(part: str, repeats: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    readers = {"facts": _facts, "load_facts": _load_facts}
    result = readers[part]() if part in readers else {"floor": _floor, "sweep": _sweep}[part](repeats)
    print(json.dumps(result, ensure_ascii=False, default=str))


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
