"""What is due on a day: the daily sweep asks each app's collectors, then sends through `notify`.

A collector is a function `(day) -> list[Reminder]` that only reads. Because reminders are values,
`send_reminders --dry-run` lists exactly what the real sweep would send and why, and the real sweep
sends each through `congress.notifications.notify`, whose unique key makes a second run send nothing.

The collectors live with their apps (visits/tasks.py, supervision/tasks.py, congress/tasks.py) and are
named here by dotted path, so congress does not import the apps that build on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.module_loading import import_string

from congress.models import Notification, Role, Town, User

COLLECTORS = [
    "visits.tasks.visit_reminders",
    "supervision.tasks.deadline_reminders",
    "supervision.tasks.chairman_digest",
    "congress.tasks.suggestion_reminders",
    "congress.tasks.session_reminders",
]


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
    return [import_string(path) for path in COLLECTORS]


def collect(day: dt.date) -> list[Reminder]:
    """Every reminder due on `day`, one per key."""
    seen: dict[tuple[int, str, str, str], Reminder] = {}
    for collector in collectors():
        for reminder in collector(day):
            seen.setdefault(reminder.key, reminder)
    return list(seen.values())


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
    """Notify each reminder's recipient; returns how many were new (the rest had been sent already)."""
    from congress.notifications import notify

    sent = 0
    for r in reminders:
        created = notify(
            recipient=r.recipient,
            kind=r.kind,
            subject=r.subject,
            period=r.period,
            title=r.title,
            body=r.body,
            url=r.url,
        )
        sent += created is not None
    return sent


def run_sweep(day: dt.date) -> int:
    """The daily sweep: record unrated answers whose window has passed, then send what is due."""
    from congress.suggestions import record_unrated_answers

    record_unrated_answers(today=day)
    return send(collect(day))


def town_users(town_id: int, *roles: Role) -> list[User]:
    """Active users of a town with one of `roles`."""
    return list(User.objects.filter(town_id=town_id, role__in=[r.value for r in roles], is_active=True).order_by("pk"))


def department_users(department_id: int) -> list[User]:
    return list(User.objects.filter(department_id=department_id, role=Role.DEPARTMENT, is_active=True).order_by("pk"))


def towns() -> list[Town]:
    return list(Town.objects.order_by("pk"))
