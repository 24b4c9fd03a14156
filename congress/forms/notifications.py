"""The form of a user's notification channels, and the office's decision about an unconfirmed delivery."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congress.forms.reference import submit_helper
from congress.models import ChannelPreference
from congress.notifications import Resolution


class ChannelPreferenceForm(forms.ModelForm):
    """Which channels besides the inbox; a robot address is needed for work chat."""

    class Meta:
        model = ChannelPreference
        fields = ["email", "sms", "work_chat", "work_chat_webhook"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper()

    def clean_work_chat_webhook(self) -> str:
        url: str = self.cleaned_data["work_chat_webhook"]
        if url and not url.startswith("https://"):
            raise forms.ValidationError(_("The robot address must start with https://."))
        host = (urlsplit(url).hostname or "").lower()
        if url and host not in {h.lower() for h in settings.NOTIFICATIONS_WORK_CHAT_HOSTS}:
            raise forms.ValidationError(
                _("Only the group-robot address of WeCom, DingTalk or Feishu is accepted (it starts with %(hosts)s).")
                % {"hosts": "、".join(f"https://{h}/" for h in settings.NOTIFICATIONS_WORK_CHAT_HOSTS)}
            )
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("work_chat") and not data.get("work_chat_webhook"):
            self.add_error("work_chat_webhook", _("Give the group robot's address to use work chat."))
        return data


class ResolveDeliveryForm(forms.Form):
    """After checking with the recipient: the message arrived, or it goes out again (with the same key)."""

    outcome = forms.ChoiceField(
        label=_("What the check found"),
        choices=[(Resolution.DELIVERED, _("Delivered")), (Resolution.RESEND, _("Send again"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Record the decision"))
