"""Suite-wide fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# A Redis database of the tests' own, so a developer's running worker (on db 0) never takes their tasks.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(scope="session", autouse=True)
def celery_on_test_redis() -> Iterator[None]:
    """Point the Celery app at the test Redis database before any test can send a task."""
    from congress.celery import app

    app.conf.update(
        broker_url=TEST_REDIS_URL,
        result_backend=TEST_REDIS_URL,
        # Keep the console logging the settings configure; a test worker must not replace it.
        worker_hijack_root_logger=False,
    )
    yield
    app.close()
