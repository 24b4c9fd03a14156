"""Outage drill: Redis stops in the middle of a burst of 200 visit submissions and comes back.

The test starts everything it stops, so the shared servers are never touched: a redis-server on a free
port without persistence, a Celery worker process on a queue of its own pointed at that Redis and at
the test database, an SMTP server and a work-chat robot. A thread plays beat, asking for an outbox
relay four times a second (beat's minute, sped up). Every visit carries an urgent opinion, so each
one makes a notification for the town's staff, sent by e-mail and to the work-chat robot.

What must hold: every submission is stored without an error while Redis is down (requests never
touch the broker), and once Redis is back every notification arrives exactly once on each channel.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from congress.models import ChannelPreference, Delivery, Notification
from congress.tasks import relay_outbox as relay_task
from tests.figures import report
from tests.integration.conftest import broker_at, wait_for
from tests.local_servers import Inbox, closed_port, http_server, smtp_server
from tests.visits.factories import HouseholdFactory, visit_form
from visits.models import OpinionCategory, Visit

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

VISITS = 200
QUEUE = "outage-drill"
BEAT_SECONDS = 0.25
NUMBERED = re.compile(r"第(\d{3})次走访")


class RedisServer:
    """A redis-server of the test's own on `port`: 127.0.0.1 only, nothing written to disk."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port = port
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(argv, cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        assert wait_for(self.answers, timeout=10), "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        assert not self.answers()

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def database_url_of_the_tests() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
# Real commits: the worker process reads the rows on a connection of its own.
def drill(tmp_path: Path, transactional_db: None) -> Iterator[tuple[RedisServer, Inbox, Inbox, str]]:
    """The drill's Redis, SMTP server, robot and worker process; yields (redis, mails, robot posts, robot URL)."""
    redis = RedisServer(closed_port(), tmp_path)
    redis.start()
    broker = f"redis://127.0.0.1:{redis.port}/0"
    log = tmp_path / "worker.log"
    with smtp_server() as (smtp_port, mails), http_server() as (robot, posts):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "congress.settings",
            "DATABASE_URL": database_url_of_the_tests(),
            "CONN_MAX_AGE": "0",
            "REDIS_URL": broker,
            "CELERY_BROKER_URL": broker,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            # The local robot stands in for a robot host on the internet.
            "NOTIFICATIONS_WORK_CHAT_HOSTS": "127.0.0.1",
            "NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS": "127.0.0.1/32",
        }
        argv = [sys.executable, "-m", "celery", "-A", "congress", "worker", "-Q", QUEUE, "--pool", "solo"]
        argv += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
        with log.open("wb") as out:
            worker = subprocess.Popen(argv, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            assert wait_for(lambda: b" ready." in log.read_bytes(), timeout=30), log.read_text()
            with broker_at(broker):
                yield redis, mails, posts, robot
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(5)
            redis.stop()


class Beat(threading.Thread):
    """Asks for an outbox relay every BEAT_SECONDS, as beat does every minute; counts refused sends."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopping = threading.Event()
        self.sent = 0
        self.refused = 0

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                relay_task.apply_async(queue=QUEUE, retry=False)
                self.sent += 1
            except Exception:  # whatever kombu raises while the broker is down
                self.refused += 1
            self.stopping.wait(BEAT_SECONDS)


class Burst:
    """VISITS submissions of the visit form by the town's staff, from CLIENTS browsers at once."""

    CLIENTS = 4

    def __init__(self, cast, household, category) -> None:
        self.forms = []
        for number in range(1, VISITS + 1):
            form = visit_form(cast.deputy, household, category, urgent=True)
            form["opinions-0-text"] = f"第{number:03d}次走访：路灯不亮，夜里有老人摔倒"
            self.forms.append(form)
        self.user = cast.staff  # an ordinary staff account of the town, not a superuser
        self.lock = threading.Lock()
        self.done = 0
        self.errors = 0
        self.threads = [threading.Thread(target=self.submit, args=(i,), daemon=True) for i in range(self.CLIENTS)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            if thread.ident is not None:  # started
                thread.join(120)

    def submit(self, first: int) -> None:
        client = Client()
        client.force_login(self.user)
        try:
            for form in self.forms[first :: self.CLIENTS]:
                try:
                    failed = client.post(reverse("visits:visit_create"), form).status_code != 302
                except Exception:
                    failed = True
                with self.lock:
                    self.done += 1
                    self.errors += failed
        finally:
            connections.close_all()


# Real commits: the worker reads the rows on a connection of its own.
@pytest.mark.django_db(transaction=True)
def test_a_redis_outage_during_200_visit_submissions_loses_nothing_and_sends_nothing_twice(
    cast_with_mail,
    drill,
):
    cast = cast_with_mail
    redis, mails, posts, robot = drill
    ChannelPreference.objects.create(user=cast.staff, email=True, work_chat=True, work_chat_webhook=f"{robot}/staff")
    household = HouseholdFactory(town=cast.town, village=cast.village, head_name="王大爷")
    category = OpinionCategory.objects.for_town(cast.town).first()
    beat = Beat()
    beat.start()
    burst = Burst(cast, household, category)
    try:
        burst.start()
        assert wait_for(lambda: burst.done >= VISITS // 3, timeout=60)
        redis.stop()
        refused_before = beat.refused
        # Until a third more are in and beat has tried, and failed, to reach the stopped broker.
        assert wait_for(lambda: burst.done >= 2 * VISITS // 3 and beat.refused > refused_before, timeout=60)
        refused_during_outage = beat.refused - refused_before
        redis.start()
        burst.join()
        errors = burst.errors

        stored = Visit.objects.count()
        notifications = Notification.objects.filter(kind="visits.urgent_opinion").count()
        all_sent = wait_for(lambda: not Delivery.objects.filter(sent_at__isnull=True).exists(), timeout=60)
        time.sleep(4 * BEAT_SECONDS)  # more relays after the last send: they must find nothing to send
    finally:
        beat.stopping.set()
        beat.join(5)
        burst.join()

    mailed = Counter(int(m) for _, message in mails.messages for m in NUMBERED.findall(message.get_content()))
    robot_posts = Counter(int(m) for _, body in posts.messages for m in NUMBERED.findall(body["text"]["content"]))
    once = sum(1 for n in range(1, VISITS + 1) if mailed[n] == 1 and robot_posts[n] == 1)
    report(
        f"redis stopped during {VISITS} visit submissions: {stored} stored, {errors} errors, "
        f"{notifications} notifications, {once} delivered exactly once by e-mail and work chat"
    )

    assert refused_during_outage > 0, "the outage must have refused beat's sends during the burst"
    assert (stored, errors, notifications) == (VISITS, 0, VISITS)
    assert all_sent
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 2 * VISITS
    assert (len(mails.messages), len(posts.messages)) == (VISITS, VISITS)
    assert once == VISITS
