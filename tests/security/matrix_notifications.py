"""Matrix rows for the inbox (congress:inbox*): every signed-in user has their own; another user's
notification is a 404 and stays unread."""

from __future__ import annotations

from congress.models import Notification
from tests.security.matrix import METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, signed_in


def with_notification(cast):
    return {
        "notification": Notification.objects.create(
            recipient=cast.deputy_user, kind="test", subject="deputy:1", period="2026-11", title="提醒"
        )
    }


ROWS = [
    Row("congress:inbox", get=signed_in(OK), post=signed_in(METHOD_NOT_ALLOWED)),
    Row(
        "congress:inbox_read",
        setup=with_notification,
        kwargs=lambda o: {"pk": o.notification.pk},
        get=signed_in(METHOD_NOT_ALLOWED),
        post=signed_in(NOT_FOUND, deputy_user=REDIRECT),
        target=lambda o: o.notification,
    ),
    Row("congress:inbox_read_all", get=signed_in(METHOD_NOT_ALLOWED), post=signed_in(REDIRECT)),
    Row(
        "congress:inbox_channels",
        get=signed_in(OK),
        post=signed_in(REDIRECT),
        data=lambda o: {"email": "on", "sms": "on"},
    ),
]
