"""What `make bench` reads inside the benchmark database's own process, set up as the portal: who signs in
for each page and the rows the pages ask for, the raw SQL floor of the dashboard, and the daily reminder
sweep. Imported only once Django is set up (scripts/bench.py --in-process): it reads models at import."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from congress import reminders
from congress.dates import first_working_day, monthly_visit_check_day
from congress.models import Deputy, Town, User
from duty import dashboard
from scripts.bench_report import percentile
from scripts.bench_serving import PASSWORD
from supervision.models import Circular
from visits.models import Household, Visit


def facts() -> dict[str, Any]:
    """Who signs in for each page and the rows the pages ask for; an admin account is added once."""
    town = Town.objects.order_by("pk").first()
    if town is None:
        raise SystemExit("The benchmark database is empty: run seed_scale first.")
    today = timezone.localdate()
    staff = User.objects.filter(town=town, username__startswith="bench_staff").order_by("pk").first()
    chair = User.objects.filter(town=town, username__startswith="bench_chair").order_by("pk").first()
    district = User.objects.filter(username="bench_district").first()
    deputy = (
        Deputy.objects.filter(town=town, user__isnull=False)
        .serving_on(today)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    household = Household.objects.filter(town=town).exclude(head_initials="").order_by("pk").first()
    if not (staff and chair and district and deputy and deputy.user and household):
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
        "deputy_user": deputy.user.username,
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


def load_facts() -> dict[str, Any]:
    """For the mixed load: each town's staff account, signed in already (50 password checks at once
    would measure the password hasher, not the portal), a deputy serving today, households to visit."""
    today = timezone.localdate()
    towns = []
    for town in Town.objects.order_by("pk"):
        staff = User.objects.filter(town=town, username__startswith="bench_staff").order_by("pk").first()
        deputy = Deputy.objects.filter(town=town).serving_on(today).order_by("pk").first()
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


def floor(repeats: int) -> dict[str, Any]:
    """The dashboard's aggregate queries, captured once and then executed alone: the page's floor."""
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
    count = [0]

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def sweep(repeats: int) -> dict[str, Any]:
    """The daily sweep over all deputies on the monthly check day and on the pace-check day, each in a
    transaction rolled back; seconds and queries, with the collecting (reading) part counted alone."""
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


def run(part: str, repeats: int) -> dict[str, Any]:
    """One part's answer: the readers take no repeats, the timings do."""
    readers = {"facts": facts, "load_facts": load_facts}
    return readers[part]() if part in readers else {"floor": floor, "sweep": sweep}[part](repeats)
