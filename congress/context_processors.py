from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """The portal's name for every page, and the signed-in user's unread notifications for the navbar
    (a callable, so the count is only queried where a template shows it)."""

    def unread_notifications() -> int:
        from congress.models import Notification

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(recipient=user).unread().count()

    return {"PORTAL_NAME": settings.PORTAL_NAME, "unread_notifications": unread_notifications}
