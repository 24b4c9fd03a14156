"""The Celery settings keep a killed worker's sweep within 5 minutes of its time, and a sweep missed while
beat was down runs once at the next beat, not once per missed day (docs/reliability.md, promise 7)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from celery.schedules import crontab
from django.conf import settings

from congress.celery import app

BOUND_SECONDS = 5 * 60
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_an_unacknowledged_message_comes_back_within_five_minutes():
    options = app.conf.broker_transport_options
    scan_every = options["unacked_restore_interval"] * options.get("unacked_restore_throttle", 10)

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert options["visibility_timeout"] + scan_every < BOUND_SECONDS


def test_every_task_ends_before_redis_would_hand_it_to_a_second_worker():
    visibility = app.conf.broker_transport_options["visibility_timeout"]

    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility
    # The relay stops taking rows after its budget; the last send may take the send timeout more.
    budget = settings.NOTIFICATIONS_RELAY_SECONDS + settings.NOTIFICATIONS_SEND_TIMEOUT
    assert budget < app.conf.task_soft_time_limit


def test_a_row_is_called_abandoned_only_after_any_send_would_have_ended():
    assert settings.NOTIFICATIONS_UNCONFIRMED_AFTER > 2 * settings.NOTIFICATIONS_SEND_TIMEOUT


def test_a_sweep_missed_while_beat_was_down_runs_once_at_the_next_beat():
    """The sweep's schedule as migration 0007 creates it: 08:30 every day, Asia/Shanghai."""
    last_run = dt.datetime(2026, 11, 2, 8, 30, tzinfo=SHANGHAI)
    back_up = dt.datetime(2026, 11, 5, 10, 0, tzinfo=SHANGHAI)  # beat was down three mornings

    def at(now: dt.datetime) -> crontab:
        return crontab(minute="30", hour="8", nowfun=lambda: now, app=app)

    due, _ = at(back_up).is_due(last_run)
    assert due
    # Once run, nothing more is due that day: the next run is tomorrow at 08:30.
    due_again, next_in = at(back_up + dt.timedelta(seconds=5)).is_due(back_up)
    assert not due_again
    assert dt.timedelta(seconds=next_in) == dt.datetime(2026, 11, 6, 8, 30, tzinfo=SHANGHAI) - (
        back_up + dt.timedelta(seconds=5)
    )


def test_no_task_is_sent_with_a_countdown_or_an_eta():
    """A message that waits in Redis longer than the visibility timeout would be handed out twice."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    apps = ["congress", "visits", "supervision", "suggestions", "sittings", "duty"]
    found = [
        f"{path.relative_to(root)}: {line.strip()}"
        for app_dir in apps
        for path in (root / app_dir).rglob("*.py")
        if "migrations" not in path.parts
        for line in path.read_text().splitlines()
        if ("countdown=" in line or "eta=" in line) and not line.lstrip().startswith("#")
    ]
    assert found == []
