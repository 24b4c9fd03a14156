"""A real Celery worker, in a thread of the test process, on the test Redis database; the cast with
e-mail addresses; pointing the Celery app at another broker for a while."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from celery.worker import WorkController
from django.db import connections

from congress.celery import app
from tests.conftest import TEST_REDIS_URL, build_cast


def _close_worker_connections(**kwargs: Any) -> None:
    # The worker thread opens its own database connection; close it after each task so no
    # session outlives the test and blocks flushing or dropping the test database.
    connections.close_all()


@pytest.fixture
def celery_worker() -> Iterator[WorkController]:
    """Start a worker on the portal's own Celery app; it stops (and its thread ends) after the test."""
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        # No ping check: it would need the ping task's result stored, and settings ignore results.
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Send tasks to another broker for a while; the test Redis pool is left open for later tests."""

    def use(target: str) -> None:
        app.conf.broker_url = target
        app._pool = None  # the pool and producer pool are cached per app: pick them again for this URL
        app.amqp._producer_pool = None

    use(url)
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        use(TEST_REDIS_URL)


def wait_for(condition, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def cast_with_mail(transactional_db):  # Real commits: read by the worker thread's own connection
    cast = build_cast()
    for user in (cast.staff, cast.deputy_user, cast.department_user, cast.chairman):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    return cast


from tests.local_servers import smtp  # noqa: E402, F401 - the local SMTP server the reminder tests need
from tests.visits.conftest import categories, household  # noqa: E402, F401 - the visit form the drills send
