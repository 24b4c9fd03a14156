"""Core tasks: the daily reminder sweep, the outbox relay, and the congress reminders (suggestions,
sessions). Tasks take ids and ISO dates, ask the database what is due, and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress import notifications, reminders
from congress.models import Deputy, Role, Suggestion, SuggestionAnswer
from congress.reminders import Reminder, department_users, town_users
from sittings.models import Session

ANSWER_DUE_SOON_DAYS = 14
SESSION_NOTICE_DAYS = 3


def day_of(iso: str | None) -> dt.date:
    """The day a task works for: the ISO date it was given, else today in Asia/Shanghai."""
    return dt.date.fromisoformat(iso) if iso else timezone.localdate()


@shared_task
def ping_database() -> int:
    """Ask PostgreSQL for the number of towns: proves a worker reaches the broker and the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM congress_town")
        (count,) = cursor.fetchone()
    return int(count)


@shared_task
def daily_sweep(day: str | None = None) -> int:
    """The 08:30 sweep: decide in code what is due on `day`, notify once per key, then relay the outbox."""
    with translation.override(settings.LANGUAGE_CODE):
        created = reminders.run_sweep(day_of(day))
    notifications.relay_outbox()
    return created


@shared_task
def prune_audit_trail() -> int:
    """Monthly: drop audit rows past AUDIT_RETENTION_DAYS (never younger than six months); rows removed."""
    from congress import audit

    return sum(audit.prune().values())


@shared_task
def relay_outbox() -> int:
    """Send the due outbox rows (every minute, and after each sweep); rows sent already are skipped."""
    return notifications.relay_outbox()


def suggestion_reminders(day: dt.date) -> list[Reminder]:
    """Answers due within 14 days or overdue (lead department and staff); ratings awaited (proposer)."""
    found: list[Reminder] = []
    awaiting = Suggestion.objects.filter(
        state__in=Suggestion.AWAITING_ANSWER, due_on__lte=day + dt.timedelta(days=ANSWER_DUE_SOON_DAYS)
    ).order_by("due_on", "pk")
    for suggestion in awaiting:
        assert suggestion.due_on is not None and suggestion.lead_department_id is not None
        overdue = suggestion.due_on < day
        recipients = department_users(suggestion.lead_department_id) + town_users(suggestion.town_id, Role.STAFF)
        if overdue:
            kind, period = "suggestions.answer_overdue", f"{day:%Y-%m}"
            title = _("Answer overdue: suggestion %(ref)s") % {"ref": suggestion.reference}
            body = _("The answer to “%(title)s” was due on %(due)s and is %(days)s days late.") % {
                "title": suggestion.title,
                "due": suggestion.due_on.isoformat(),
                "days": (day - suggestion.due_on).days,
            }
        else:
            kind, period = "suggestions.answer_due", suggestion.due_on.isoformat()
            title = _("Answer due: suggestion %(ref)s") % {"ref": suggestion.reference}
            body = _("The answer to “%(title)s” is due on %(due)s, in %(days)s days.") % {
                "title": suggestion.title,
                "due": suggestion.due_on.isoformat(),
                "days": (suggestion.due_on - day).days,
            }
        reason = f"due {suggestion.due_on.isoformat()}"
        for user in recipients:
            found.append(
                Reminder(
                    user,
                    kind,
                    f"suggestion:{suggestion.pk}",
                    period,
                    title,
                    body,
                    suggestion.get_absolute_url(),
                    reason,
                )
            )

    from congress.suggestions import rating_deadline

    answers = SuggestionAnswer.objects.filter(suggestion__state=Suggestion.State.ANSWERED, rating="").select_related(
        "suggestion__proposer__user"
    )
    for answer in answers:
        suggestion = answer.suggestion
        proposer_user = suggestion.proposer.user
        deadline = rating_deadline(answer)
        if proposer_user is None or not proposer_user.is_active or deadline < day:
            continue
        title = _("Please rate the answer to suggestion %(ref)s") % {"ref": suggestion.reference}
        body = _("The department answered “%(title)s” on %(on)s; please rate the answer by %(by)s.") % {
            "title": suggestion.title,
            "on": answer.answered_on.isoformat(),
            "by": deadline.isoformat(),
        }
        found.append(
            Reminder(
                proposer_user,
                "suggestions.rating",
                f"answer:{answer.pk}",
                answer.answered_on.isoformat(),
                title,
                body,
                suggestion.get_absolute_url(),
                f"answered {answer.answered_on.isoformat()}, rate by {deadline.isoformat()}",
            )
        )
    return found


def session_reminders(day: dt.date) -> list[Reminder]:
    """Deputies are told of a session three days before it opens."""
    found: list[Reminder] = []
    opening = day + dt.timedelta(days=SESSION_NOTICE_DAYS)
    for session in Session.objects.filter(starts_on=opening).order_by("pk"):
        deputies = Deputy.objects.filter(town_id=session.town_id, user__is_active=True).serving_on(opening)
        title = _("Congress session on %(date)s") % {"date": session.starts_on.isoformat()}
        body = _("%(session)s opens on %(date)s at %(place)s.") % {
            "session": str(session),
            "date": session.starts_on.isoformat(),
            "place": session.place or "—",
        }
        for deputy in deputies.select_related("user"):
            assert deputy.user is not None
            found.append(
                Reminder(
                    deputy.user,
                    "sessions.upcoming",
                    f"session:{session.pk}",
                    session.starts_on.isoformat(),
                    title,
                    body,
                    reverse("sessions:detail", args=[session.pk]),
                    f"session opens {session.starts_on.isoformat()}",
                )
            )
    return found
