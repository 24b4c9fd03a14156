"""Template tags for the portal's layout."""

from __future__ import annotations

from typing import Any

from django import template

from congress import access, navigation
from congress.privacy import mask_phone

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_items(context: template.Context) -> list[navigation.NavItem]:
    """The navigation entries of the signed-in user; none when the page has no request (the 500 page)."""
    request = context.get("request")
    if request is None or not hasattr(request, "user"):
        return []
    match = getattr(request, "resolver_match", None)
    return navigation.nav_items(request.user, current_view=match.view_name if match else None)


@register.simple_tag(takes_context=True)
def nav_groups(context: template.Context) -> list[tuple[str, Any, list[navigation.NavItem]]]:
    """The user's main navigation entries by group (see navigation.GROUPS)."""
    return navigation.nav_groups(nav_items(context))


@register.filter
def reads_several_towns(user: Any) -> bool:
    """Whether a list shown to `user` names each row's town (access.reads_several_towns)."""
    return access.reads_several_towns(user)


@register.filter
def may_follow(user: Any, url: str) -> bool:
    """Show a link only if its target lets the user in: `{% if request.user|may_follow:url %}`."""
    return access.may_follow(user, url)


@register.filter
def alert_class(message: Any) -> str:
    """The Bootstrap alert colour for a message (Django calls it "error", Bootstrap "danger")."""
    level_tag = getattr(message, "level_tag", "") or "info"
    return {"error": "danger", "debug": "secondary"}.get(level_tag, level_tag)


@register.filter
def masked_phone(value: str | None) -> str:
    """A phone number as lists show it: 138****5678 (congress.privacy)."""

    return mask_phone(value or "")
