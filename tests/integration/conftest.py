"""A real Celery worker, in a thread of the test process, on the test Redis database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from celery.worker import WorkController
from django.db import connections

from congress.celery import app


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


from tests.local_servers import smtp  # noqa: E402, F401 - the local SMTP server the reminder tests need
from tests.visits.conftest import categories, household  # noqa: E402, F401 - the visit form the drills send
