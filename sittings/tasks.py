"""The sessions' reminders, collected by the daily sweep (settings.REMINDER_COLLECTORS)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from congress.models import Deputy
from congress.reminders import Reminder
from sittings.models import Session

SESSION_NOTICE_DAYS = 3


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
