"""Read-only links to the meeting-room display (数据大屏): staff make one for a wall screen and revoke it
when the screen moves or the link leaks. The wall opens it without signing in, so no session is left
logged in on a screen anyone can walk up to.

The token is 32 random bytes (URL-safe base64); the database keeps only its SHA-256, so a copy of the
database does not open any display.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from congress.models import DisplayLink, Town, User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_display_link(*, by: User, town: Town, label: str) -> tuple[DisplayLink, str]:
    """A new display link of the town; returns it with its token, which is never stored or shown again."""
    token = secrets.token_urlsafe(32)
    link = DisplayLink(town=town, label=label, token_hash=token_hash(token), created_by=by)
    link.full_clean()
    link.save()
    return link, token


@transaction.atomic
def revoke_display_link(*, by: User, link: DisplayLink) -> DisplayLink:
    """End a display link for good: the wall showing it gets 404 on its next refresh. Revoking twice
    keeps the first revocation."""
    updated = DisplayLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    if updated:
        link.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return link


def active_link(token: str) -> DisplayLink | None:
    """The active display link with this token, or None (unknown, revoked or malformed)."""
    if not token or len(token) > 100:
        return None
    return DisplayLink.objects.active().select_related("town").filter(token_hash=token_hash(token)).first()
