"""The sign-in backend: Django's model backend, reading with the signed-in user what every page needs.

Each request loads its user once (`get_user`); the town and the unread-notification count come in that
same statement, so the navbar and the town's pages ask for neither again. The count is read when the
request starts: marking notifications read is a POST that redirects, so the page after it is fresh.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from congress.models import Notification, User


class PortalBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        user = (
            User._default_manager.select_related("town")
            .annotate(unread_notification_count=Coalesce(Subquery(unread), 0))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
