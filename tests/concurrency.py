"""Requests sent at the same moment from threads, each with its own client and database connection."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connections
from django.test import Client

from congress.models import User


def post_together(posts: list[tuple[User, str, dict[str, Any]]]) -> list[Any]:
    """POST each `(user, url, data)` from its own thread; all are released together. Needs a
    transactional database (each thread commits on its own connection)."""
    start = threading.Barrier(len(posts))
    responses: list[Any] = [None] * len(posts)
    failures: list[BaseException] = []

    def send(i: int, user: User, url: str, data: dict[str, Any]) -> None:
        try:
            client = Client()
            client.force_login(user)
            start.wait(timeout=30)
            responses[i] = client.post(url, data)
        except BaseException as exc:  # reported to the test below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    return responses
