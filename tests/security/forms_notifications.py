"""The notification-channel form, for the mass-assignment and hostile-input suites."""

from __future__ import annotations

from congress.forms.notifications import ChannelPreferenceForm
from congress.models import ChannelPreference
from tests.security.form_cases import FormCase

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
]
