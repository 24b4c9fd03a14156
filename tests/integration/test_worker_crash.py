"""A Celery worker killed with SIGKILL in the middle of the daily sweep loses no reminder and sends
none twice once a worker is back and the sweep runs again.

The worker is a process of the test's own (`celery worker` on a queue of its own, on the test Redis
database, against the test database), so the shared servers and any other worker are never touched;
e-mail goes to an SMTP server the test starts. The expected reminders are computed beforehand by the
same collectors, read-only."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from congress import backups, notifications, reminders
from congress.models import Delivery, Notification
from congress.notifications import channel_addresses
from congress.roles import Role
from congress.tasks import daily_sweep
from congress.tasks import relay_outbox as relay_task
from tests import factories
from tests.conftest import TEST_REDIS_URL, build_cast
from tests.figures import report
from tests.local_servers import smtp_server

# Real commits: the worker is a process of its own, which only sees committed rows.
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 11, 2)  # the first working day of November: every deputy behind pace is reminded
DEPUTIES = 150
BATCH_SIZE = 5


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def worker_process(queue: str, smtp_port: int, log: Path, **settings_env: str) -> Iterator[subprocess.Popen[bytes]]:
    """`celery worker` in a process of its own, consuming only `queue`; stopped (if still alive) after.
    `settings_env` sets more environment variables the settings read."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": TEST_REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "CONN_MAX_AGE": "0",
        # Small batches, so the sweep commits its notifications in many steps and can be killed between them.
        "NOTIFICATIONS_BATCH_SIZE": str(BATCH_SIZE),
        **settings_env,
    }
    argv = [
        sys.executable, "-m", "celery", "-A", "congress", "worker", "--pool", "solo", "-Q", queue,
        "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING",
    ]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(argv, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def counts() -> tuple[int, int]:
    """(notifications, deliveries sent), read on a connection of the test's own."""
    server, name = backups.default_server()
    conn = server.connect(name)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM congress_notification WHERE kind = 'visits.pace'")
            notes = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM congress_delivery WHERE sent_at IS NOT NULL")
            sent = cursor.fetchone()[0]
        return notes, sent
    finally:
        conn.close()


def forget_queue(queue: str) -> None:
    """Drop the drill's queue and the unacknowledged message of the killed worker from the test Redis
    (Redis would hand it out again after the visibility timeout, to a queue nobody reads)."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.delete(queue)
    for tag, payload in client.hgetall("unacked").items():
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.close()


@pytest.fixture
def deputies_behind_pace(transactional_db):  # Real commits: read by the worker process
    cast = build_cast()
    for i in range(DEPUTIES):
        user = factories.UserFactory(
            username=f"drill{i}", role=Role.DEPUTY, town=cast.town, email=f"drill{i}@example.cn"
        )
        factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, user=user)
    return cast


def test_a_worker_killed_mid_sweep_loses_no_reminder_and_sends_none_twice(deputies_behind_pace, tmp_path):
    expected = reminders.collect(DAY)
    keys = {r.key for r in expected if r.kind == "visits.pace"}
    addresses = Counter(a for r in expected for a in channel_addresses(r.recipient).values())
    assert len(keys) >= DEPUTIES
    queue = f"drill-{os.getpid()}-{time.monotonic_ns()}"
    log = tmp_path / "worker.log"

    with smtp_server() as (port, inbox):
        try:
            with worker_process(queue, port, log) as first:
                daily_sweep.apply_async(args=[DAY.isoformat()], queue=queue)
                deadline = time.monotonic() + 90
                while time.monotonic() < deadline:
                    notes, _ = counts()
                    if len(keys) // 3 <= notes < len(keys):
                        first.send_signal(signal.SIGKILL)
                        break
                    assert notes < len(keys), "the sweep finished before it could be killed: add deputies"
                    time.sleep(0.005)
                else:
                    pytest.fail(f"the worker never started the sweep:\n{log.read_text()}")
                assert first.wait(timeout=10) == -signal.SIGKILL
            at_kill, sent_at_kill = counts()
            assert 0 < at_kill < len(keys)

            # A worker comes back and the sweep runs again (the next beat, or an operator).
            with worker_process(queue, port, log):
                daily_sweep.apply_async(args=[DAY.isoformat()], queue=queue)
                deadline = time.monotonic() + 90
                while time.monotonic() < deadline and len(inbox.messages) < sum(addresses.values()):
                    time.sleep(0.1)
                time.sleep(1)  # anything more it would send, it sends now
        finally:
            forget_queue(queue)

    connection.close()
    stored = set(Notification.objects.values_list("recipient_id", "kind", "subject", "period"))
    missing = keys - stored
    mailed = Counter(address for recipients, _ in inbox.messages for address in recipients)
    twice = {a: n for a, n in mailed.items() if n > 1}
    assert missing == set()
    assert Notification.objects.filter(kind="visits.pace").count() == len(keys)
    assert twice == {}
    assert mailed == addresses
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 0
    report(
        f"worker killed (SIGKILL) after {at_kill} of {len(keys)} reminders ({sent_at_kill} mailed); after the "
        f"restart {len(stored & keys)} stored, {len(missing)} missing, {len(twice)} sent twice"
    )


# The drill's worker hands an unacknowledged message back after VISIBILITY seconds, scans for such
# messages every second, and calls a row still being sent after UNCONFIRMED_AFTER seconds abandoned.
VISIBILITY = 6
UNCONFIRMED_AFTER = 2


def delivery_states() -> Counter[str]:
    return Counter(Delivery.objects.values_list("state", flat=True))


def test_a_worker_killed_mid_delivery_resumes_the_sweep_by_itself_and_mails_each_reminder_once(
    deputies_behind_pace, tmp_path
):
    """SIGKILL of the worker's main process while the sweep is mailing: nobody sends the sweep again;
    Redis hands the unacknowledged sweep to the next worker after the visibility timeout, which mails
    the rest; a message the dead worker was handing over is "unconfirmed", and the office resolves it
    by looking at what arrived (here: the Message-IDs the mail server received)."""
    expected = reminders.collect(DAY)
    addresses = Counter(a for r in expected for a in channel_addresses(r.recipient).values())
    total = sum(addresses.values())
    queue = f"drill-{os.getpid()}-{time.monotonic_ns()}"
    log = tmp_path / "worker.log"
    fast = {
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "NOTIFICATIONS_UNCONFIRMED_AFTER": str(UNCONFIRMED_AFTER),
        "NOTIFICATIONS_BATCH_SIZE": "500",
    }
    started = time.monotonic()

    with smtp_server() as (port, inbox):
        try:
            with worker_process(queue, port, log, **fast) as first:
                daily_sweep.apply_async(args=[DAY.isoformat()], queue=queue)
                deadline = time.monotonic() + 90
                while time.monotonic() < deadline:
                    if total // 3 <= len(inbox.messages) < total:
                        first.send_signal(signal.SIGKILL)
                        break
                    assert len(inbox.messages) < total, "the sweep finished before it could be killed: add deputies"
                    time.sleep(0.002)
                else:
                    pytest.fail(f"the worker never started mailing:\n{log.read_text()}")
                killed_at = time.monotonic()
                assert first.wait(timeout=10) == -signal.SIGKILL
            mailed_at_kill = len(inbox.messages)

            # A new worker (systemd restarts it); the sweep is NOT sent again: Redis hands it back.
            with worker_process(queue, port, log, **fast):
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and len(inbox.messages) == mailed_at_kill:
                    time.sleep(0.05)
                resumed_after = time.monotonic() - killed_at
                assert len(inbox.messages) > mailed_at_kill, f"the sweep never resumed:\n{log.read_text()}"
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    states = delivery_states()
                    if states[Delivery.State.SENT] + states[Delivery.State.UNKNOWN] == total:
                        break
                    time.sleep(0.1)
                states_after_restart = delivery_states()

                # The office checks each unconfirmed one: arrived (its Message-ID was received) or sent again.
                received = {str(message["Message-ID"]) for _, message in inbox.messages}
                unconfirmed = list(Delivery.objects.filter(state=Delivery.State.UNKNOWN))
                had_arrived = 0
                for delivery in unconfirmed:
                    arrived = notifications.message_id(str(delivery.key)) in received
                    had_arrived += arrived
                    notifications.resolve_unconfirmed(
                        by=deputies_behind_pace.staff,
                        delivery=delivery,
                        outcome=notifications.Resolution.DELIVERED if arrived else notifications.Resolution.RESEND,
                    )
                relay_task.apply_async(queue=queue)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and delivery_states()[Delivery.State.SENT] < total:
                    time.sleep(0.1)
                time.sleep(1)  # anything more it would send, it sends now
        finally:
            forget_queue(queue)

    connection.close()
    ids = Counter(str(message["Message-ID"]) for _, message in inbox.messages)
    twice = {i: n for i, n in ids.items() if n > 1}
    mailed = Counter(address for recipients, _ in inbox.messages for address in recipients)
    assert twice == {}
    assert mailed == addresses
    assert set(ids) == {notifications.message_id(str(k)) for k in Delivery.objects.values_list("key", flat=True)}
    assert delivery_states() == Counter({Delivery.State.SENT: total})
    assert states_after_restart[Delivery.State.UNKNOWN] <= 1  # at most the one being handed over
    # Redis hands the message back after the visibility timeout, at the next scan (every second here).
    assert resumed_after < VISIBILITY + 20
    report(
        f"worker killed (SIGKILL) mid-delivery after {mailed_at_kill} of {total} e-mails; the sweep resumed by "
        f"itself {resumed_after:.1f} s later (visibility timeout {VISIBILITY} s; production 180 s + 30 s scan); "
        f"{len(unconfirmed)} unconfirmed ({had_arrived} had arrived, the rest sent again); "
        f"{len(ids)} Message-IDs received, {len(twice)} twice, "
        f"{sum((addresses - mailed).values())} missing; drill {time.monotonic() - started:.1f} s"
    )
