"""The meeting-room display link form, for the mass-assignment and hostile-input suites."""

from __future__ import annotations

from congress.models import DisplayLink
from duty.forms import DisplayLinkForm
from tests.security.form_cases import FormCase

FORMS = [
    FormCase(
        name="display_link_create",
        url="dashboard:display_links",
        form=lambda o, data: DisplayLinkForm(data),
        valid=lambda o: {"label": "三楼会议室"},
        created=lambda o: DisplayLink.objects.filter(town=o.town, label="三楼会议室"),
        shown_on=("dashboard:display_links",),
        # Set by the server on creation: each link gets a new random token and its own time. A hostile
        # "token_hash" or "created_at" still cannot set them: the form lists only the label.
        writable=("created_at", "token_hash"),
    ),
]
