"""Pages of the visits app, one module per feature."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from congress.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user: every view of the app sits behind access.require_action, which sends anonymous
    users to the login page before the view runs."""
    return cast(User, request.user)
