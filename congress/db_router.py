"""Send the dashboards' reads to a read replica when one is configured (off by default).

The dashboards read a year of visits, households and projects across a town or a district; a replica a
few seconds behind answers them as well and keeps that load off the primary, which takes every write.
Only reads made inside `dashboard_reads()` go to the replica: the request's session and sign-in, and
every other page, stay on the primary, so nobody reads their own write from a lagging copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings

REPLICA = "replica"
_reading_dashboard: ContextVar[bool] = ContextVar("reading_dashboard", default=False)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def dashboard_reads() -> Iterator[None]:
    """Within this block, reads may go to the dashboard replica (when the router is enabled)."""
    token = _reading_dashboard.set(True)
    try:
        yield
    finally:
        _reading_dashboard.reset(token)


def reads_dashboard(view: F) -> F:
    """A view whose reads are dashboard reads."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with dashboard_reads():
            return view(*args, **kwargs)

    return cast(F, wrapped)


class DashboardReplicaRouter:
    """Dashboard reads to the `replica` database; all else (and every write) left to the default."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_dashboard.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA
