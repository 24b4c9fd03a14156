"""The notification-channel form and the decision about an unconfirmed delivery, for the mass-assignment
and hostile-input suites."""

from __future__ import annotations

from congress.forms.notifications import ChannelPreferenceForm, ResolveDeliveryForm
from congress.models import ChannelPreference, Delivery, Notification
from tests.security.form_cases import FormCase


def unconfirmed_delivery(o):
    note = Notification.objects.create(
        recipient=o.deputy_user, kind="test", subject="deputy:1", period="2026-11", title="提醒"
    )
    return {
        "delivery": Delivery.objects.create(
            notification=note, channel="email", address="deputy@example.cn", state=Delivery.State.UNKNOWN
        )
    }


FORMS = [
    FormCase(
        name="inbox_channels",
        url="congress:inbox_channels",
        persona="deputy_user",
        form=lambda o, data: ChannelPreferenceForm(data, instance=ChannelPreference(user=o.deputy_user)),
        valid=lambda o: {
            "email": "on",
            "sms": "on",
            "work_chat": "on",
            "work_chat_webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
        },
        created=lambda o: ChannelPreference.objects.filter(user=o.deputy_user, sms=True),
    ),
    FormCase(
        name="delivery_resolve",
        url="congress:delivery_resolve",
        setup=unconfirmed_delivery,
        kwargs=lambda o: {"pk": o.delivery.pk},
        form=lambda o, data: ResolveDeliveryForm(data),
        valid=lambda o: {"outcome": "delivered"},
        target=lambda o: o.delivery,
        # The service records the decision: the state, when it was sent, who resolved it and when.
        writable=("state", "sent_at", "next_attempt_at", "resolved_by", "resolved_at"),
    ),
]
