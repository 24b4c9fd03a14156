"""The suggestions' reminders, collected by the daily sweep (settings.REMINDER_COLLECTORS): answers due
soon or overdue, and ratings awaited."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from congress.reminders import Reminder, department_users, town_users
from congress.roles import Role
from suggestions.models import Suggestion, SuggestionAnswer
from suggestions.services import rating_deadline

ANSWER_DUE_SOON_DAYS = 14


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
