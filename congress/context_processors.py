from typing import Any

from django.conf import settings
from django.http import HttpRequest

from congress import params
from congress.access import towns
from congress.models import Notification


def portal(request: HttpRequest) -> dict[str, Any]:
    """The portal's name for every page, and the signed-in user's unread notifications for the navbar
    (a callable, so the count is only queried where a template shows it)."""

    def unread_notifications() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        counted = getattr(user, "unread_notification_count", None)  # read with the user (PortalBackend)
        if counted is not None:
            return int(counted)
        return Notification.objects.filter(recipient=user).unread().count()

    def chosen_town() -> dict[str, Any] | None:
        """The town a list is narrowed to with ?town= (congress.access.in_chosen_town), and the same list
        for every town; None without the parameter (no query then)."""
        town_id = params.chosen_id(request, "town")
        user = getattr(request, "user", None)
        if town_id is None or user is None or not user.is_authenticated:
            return None

        town = towns(user).filter(pk=town_id).first()
        if town is None:
            return None
        query = request.GET.copy()
        query.pop("town", None)
        query.pop("page", None)
        return {"town": town, "all_url": f"?{query.urlencode()}"}

    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "unread_notifications": unread_notifications,
        "chosen_town": chosen_town,
    }
