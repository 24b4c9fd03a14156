"""Matrix rows for the inbox (congress:inbox*): every signed-in user has their own; another user's
notification is a 404 and stays unread. The unconfirmed deliveries (congress:deliver*) are the office's:
staff of the town, superusers; another town's delivery is a 404 and stays unresolved."""

from __future__ import annotations

from congress.models import Delivery, Notification
from tests.security.matrix import METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, granted, signed_in


def with_notification(cast):
    return {
        "notification": Notification.objects.create(
            recipient=cast.deputy_user, kind="test", subject="deputy:1", period="2026-11", title="提醒"
        )
    }


def with_unconfirmed_delivery(cast):
    note = Notification.objects.create(
        recipient=cast.deputy_user, kind="test", subject="deputy:1", period="2026-11", title="提醒"
    )
    return {
        "delivery": Delivery.objects.create(
            notification=note, channel="email", address="deputy@example.cn", state=Delivery.State.UNKNOWN
        )
    }


OFFICE = ("staff", "outsider_staff", "superuser")

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

ROWS += [
    Row(
        "congress:deliveries_unconfirmed",
        get=granted(OK, OFFICE),
        post=granted(METHOD_NOT_ALLOWED, OFFICE),
    ),
    Row(
        "congress:delivery_resolve",
        setup=with_unconfirmed_delivery,
        kwargs=lambda o: {"pk": o.delivery.pk},
        get=granted(OK, OFFICE, outsider_staff=NOT_FOUND),
        post=granted(REDIRECT, OFFICE, outsider_staff=NOT_FOUND),
        data=lambda o: {"outcome": "delivered"},
        target=lambda o: o.delivery,
    ),
]
