"""What is due on a day: the daily sweep asks each app's collectors, then sends through `notify_many`.

A collector is a function `(day) -> list[Reminder]` that only reads. Because reminders are values,
`send_reminders --dry-run` lists exactly what the real sweep would send and why, and the real sweep
sends them through `congress.notifications.notify_many`, whose unique key makes a second run send nothing.

The collectors live with their apps (visits/tasks.py, supervision/tasks.py, suggestions/tasks.py,
sittings/tasks.py) and are listed by dotted path in settings.REMINDER_COLLECTORS, the way MIDDLEWARE is
listed, so congress does not import the apps that build on it. settings.REMINDER_SWEEP_STEPS lists what
the sweep does first (each called with `today=`), such as recording the ratings whose window closed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from congress.dates import overrides_read_once
from congress.models import Notification, Role, Town, User
from congress.notifications import notify_many


@dataclass(frozen=True)
class Reminder:
    """One notification to be sent, with its key and the reason it is due (for the dry run)."""

    recipient: User
    kind: str
    subject: str
    period: str
    title: str
    body: str
    url: str
    reason: str

    @property
    def key(self) -> tuple[int, str, str, str]:
        return (self.recipient.pk, self.kind, self.subject, self.period)


def collectors() -> list[Callable[[dt.date], list[Reminder]]]:
    return [import_string(path) for path in settings.REMINDER_COLLECTORS]


def collect(day: dt.date) -> list[Reminder]:
    """Every reminder due on `day`, one per key. The users who receive them and the working-day
    overrides are each read once, so the queries do not grow with the towns, projects and deputies."""
    seen: dict[tuple[int, str, str, str], Reminder] = {}
    with overrides_read_once(), users_read_once():
        for collector in collectors():
            for reminder in collector(day):
                seen.setdefault(reminder.key, reminder)
    return list(seen.values())


# Within `users_read_once()`: the active users by (town, role) and by department.
_directory: ContextVar[tuple[dict[tuple[int, str], list[User]], dict[int, list[User]]] | None] = ContextVar(
    "reminder_users", default=None
)


@contextmanager
def users_read_once() -> Iterator[None]:
    """Read the active users with a town or a department once, for the lookups of a whole sweep."""
    by_town: dict[tuple[int, str], list[User]] = defaultdict(list)
    by_department: dict[int, list[User]] = defaultdict(list)
    users = User.objects.filter(is_active=True).filter(Q(town__isnull=False) | Q(department__isnull=False))
    for user in users.order_by("pk"):
        if user.town_id is not None:
            by_town[(user.town_id, user.role)].append(user)
        if user.department_id is not None and user.role == Role.DEPARTMENT:
            by_department[user.department_id].append(user)
    token = _directory.set((by_town, by_department))
    try:
        yield
    finally:
        _directory.reset(token)


def already_sent(reminders: Iterable[Reminder]) -> set[tuple[int, str, str, str]]:
    """The keys among `reminders` that have a notification already (the dry run marks them)."""
    reminders = list(reminders)
    if not reminders:
        return set()
    condition = Q(pk__in=[])
    for r in reminders:
        condition |= Q(recipient_id=r.recipient.pk, kind=r.kind, subject=r.subject, period=r.period)
    return set(Notification.objects.filter(condition).values_list("recipient_id", "kind", "subject", "period"))


def send(reminders: Iterable[Reminder]) -> int:
    """Notify each reminder's recipient; returns how many were new (the rest had been sent already).

    They go to `notify_many` together, so the statements grow with the batches, not the reminders."""

    return len(
        notify_many(
            Notification(
                recipient=r.recipient,
                kind=r.kind,
                subject=r.subject,
                period=r.period,
                title=r.title,
                body=r.body,
                url=r.url,
            )
            for r in reminders
        )
    )


def run_sweep(day: dt.date) -> int:
    """The daily sweep: run the apps' first steps (settings.REMINDER_SWEEP_STEPS), then send what is due."""
    with overrides_read_once():  # the steps count in working days (a rating window, for one)
        for path in settings.REMINDER_SWEEP_STEPS:
            import_string(path)(today=day)
    return send(collect(day))


def town_users(town_id: int, *roles: Role) -> list[User]:
    """Active users of a town with one of `roles`."""
    directory = _directory.get()
    if directory is not None:
        found = [u for r in roles for u in directory[0].get((town_id, r.value), [])]
        return sorted(found, key=lambda u: u.pk)
    return list(User.objects.filter(town_id=town_id, role__in=[r.value for r in roles], is_active=True).order_by("pk"))


def department_users(department_id: int) -> list[User]:
    directory = _directory.get()
    if directory is not None:
        return list(directory[1].get(department_id, []))
    return list(User.objects.filter(department_id=department_id, role=Role.DEPARTMENT, is_active=True).order_by("pk"))


def towns() -> list[Town]:
    return list(Town.objects.order_by("pk"))
