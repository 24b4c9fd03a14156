"""Counters behind the visit quota, kept up in the transaction that records a visit.

DeputyMonthTally and DeputyHouseholdTally count every (visit, deputy) pair by month, year and method,
whatever the deputy's term: the quota applies the plan's counted methods and, for a deputy whose term
starts or ends within the year, asks the visits themselves (visits.quota). `rebuild` recounts them from
the visits (`manage.py rebuild_visit_tallies`), after bulk loads such as seed_scale and the demo.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from visits.models import DeputyHouseholdTally, DeputyMonthTally, Visit

MONTHS = DeputyMonthTally._meta.db_table
HOUSEHOLDS = DeputyHouseholdTally._meta.db_table
PAIRS = Visit.deputies.through._meta.db_table
VISITS = Visit._meta.db_table


def add_visit(visit: Visit, deputy_ids: Iterable[int]) -> None:
    """Count a new visit for its deputies, in one statement (call inside the visit's transaction)."""
    ids = sorted(set(deputy_ids))
    if not ids:
        return
    month = visit.visited_on.replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH months AS (
                INSERT INTO {MONTHS} (deputy_id, month, method, visits)
                SELECT d, %(month)s, %(method)s, 1 FROM unnest(%(ids)s::bigint[]) AS d
                ON CONFLICT (deputy_id, month, method) DO UPDATE SET visits = {MONTHS}.visits + 1
            )
            INSERT INTO {HOUSEHOLDS} (deputy_id, household_id, year, method, visits)
            SELECT d, %(household)s, %(year)s, %(method)s, 1 FROM unnest(%(ids)s::bigint[]) AS d
            WHERE %(household)s::bigint IS NOT NULL
            ON CONFLICT (deputy_id, year, method, household_id) DO UPDATE SET visits = {HOUSEHOLDS}.visits + 1
            """,  # noqa: S608 (table names from the models; values as parameters)
            {
                "month": month,
                "method": visit.method,
                "ids": ids,
                "household": visit.household_id,
                "year": visit.visited_on.year,
            },
        )


@transaction.atomic
def rebuild(deputy_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Recount the tallies (of some deputies, or all) from the visits; the rows written."""
    ids = None if deputy_ids is None else sorted(set(deputy_ids))
    only = "" if ids is None else "WHERE vd.deputy_id = ANY(%(ids)s::bigint[])"
    only_tally = "" if ids is None else "WHERE deputy_id = ANY(%(ids)s::bigint[])"
    params = {"ids": ids}
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MONTHS} {only_tally}", params)  # noqa: S608 (as above)
        cursor.execute(
            f"""
            INSERT INTO {MONTHS} (deputy_id, month, method, visits)
            SELECT vd.deputy_id, date_trunc('month', v.visited_on)::date, v.method, COUNT(*)
            FROM {PAIRS} vd JOIN {VISITS} v ON v.id = vd.visit_id {only}
            GROUP BY 1, 2, 3
            """,  # noqa: S608 (table names from the models; values as parameters)
            params,
        )
        months = cursor.rowcount
        cursor.execute(f"DELETE FROM {HOUSEHOLDS} {only_tally}", params)  # noqa: S608
        cursor.execute(
            f"""
            INSERT INTO {HOUSEHOLDS} (deputy_id, household_id, year, method, visits)
            SELECT vd.deputy_id, v.household_id, EXTRACT(YEAR FROM v.visited_on)::int, v.method, COUNT(*)
            FROM {PAIRS} vd JOIN {VISITS} v ON v.id = vd.visit_id
            {only or "WHERE TRUE"} AND v.household_id IS NOT NULL
            GROUP BY 1, 2, 3, 4
            """,  # noqa: S608 (table names from the models; values as parameters)
            params,
        )
        households = cursor.rowcount
    return months, households
