"""Core tasks: the daily reminder sweep, the outbox relay and the audit trail's pruning. Tasks take ids
and ISO dates, ask the database what is due, and are safe to run twice; the apps' reminder collectors
live in their own tasks modules (settings.REMINDER_COLLECTORS)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from congress import audit, notifications, reminders


def day_of(iso: str | None) -> dt.date:
    """The day a task works for: the ISO date it was given, else today in Asia/Shanghai."""
    return dt.date.fromisoformat(iso) if iso else timezone.localdate()


@shared_task
def ping_database() -> int:
    """Ask PostgreSQL for the number of towns: proves a worker reaches the broker and the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM congress_town")
        (count,) = cursor.fetchone()
    return int(count)


@shared_task
def daily_sweep(day: str | None = None) -> int:
    """The 08:30 sweep: decide in code what is due on `day`, notify once per key, then relay the outbox."""
    with translation.override(settings.LANGUAGE_CODE):
        created = reminders.run_sweep(day_of(day))
    notifications.relay_outbox()
    return created


@shared_task
def prune_audit_trail() -> int:
    """Monthly: drop audit rows past AUDIT_RETENTION_DAYS (never younger than six months); rows removed."""

    return sum(audit.prune().values())


@shared_task
def relay_outbox() -> int:
    """Send the due outbox rows (every minute, and after each sweep); rows sent already are skipped."""
    return notifications.relay_outbox()
